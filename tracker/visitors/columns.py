"""The visitor file layout, shared by the import, the templates and the downloads."""

COLUMNS = ("area_code", "year", "month", "market", "visitors", "status")
# The headers of the Japanese template; imports accept them as well as the English names.
JAPANESE_HEADERS = {
    "area_code": "団体コード",
    "year": "年",
    "month": "月",
    "market": "国・地域コード",
    "visitors": "外国人訪問者数",
    "status": "確定区分",
}
