"""The affiliations file layout, shared by the import, the templates and the downloads."""

COLUMNS = ("area_code", "partner_name", "partner_name_en", "country", "partner_level", "kind", "established", "ended",
           "fields", "note")
REQUIRED = COLUMNS[:7]
# The headers of the Japanese template; imports accept them as well as the English names.
JAPANESE_HEADERS = {
    "area_code": "団体コード",
    "partner_name": "提携先名",
    "partner_name_en": "提携先名（英語）",
    "country": "国コード",
    "partner_level": "提携先区分",
    "kind": "提携種別",
    "established": "提携日",
    "ended": "終了日",
    "fields": "交流分野",
    "note": "備考",
}
