"""Reference data that ships with the app: the 47 prefectures and the markets (ISO 3166-1 alpha-2)."""

import sqlalchemy as sa
from babel import Locale

# (6-digit local-government code, kanji, kana, English), in JIS X 0401 order. English names say "Prefecture" (Kyoto
# Prefecture beside Kyoto City), except Hokkaido and Tokyo, which no city shares.
PREFECTURES: tuple[tuple[str, str, str, str], ...] = (
    ('010006', '北海道', 'ほっかいどう', 'Hokkaido'),
    ('020001', '青森県', 'あおもりけん', 'Aomori Prefecture'),
    ('030007', '岩手県', 'いわてけん', 'Iwate Prefecture'),
    ('040002', '宮城県', 'みやぎけん', 'Miyagi Prefecture'),
    ('050008', '秋田県', 'あきたけん', 'Akita Prefecture'),
    ('060003', '山形県', 'やまがたけん', 'Yamagata Prefecture'),
    ('070009', '福島県', 'ふくしまけん', 'Fukushima Prefecture'),
    ('080004', '茨城県', 'いばらきけん', 'Ibaraki Prefecture'),
    ('090000', '栃木県', 'とちぎけん', 'Tochigi Prefecture'),
    ('100005', '群馬県', 'ぐんまけん', 'Gunma Prefecture'),
    ('110001', '埼玉県', 'さいたまけん', 'Saitama Prefecture'),
    ('120006', '千葉県', 'ちばけん', 'Chiba Prefecture'),
    ('130001', '東京都', 'とうきょうと', 'Tokyo'),
    ('140007', '神奈川県', 'かながわけん', 'Kanagawa Prefecture'),
    ('150002', '新潟県', 'にいがたけん', 'Niigata Prefecture'),
    ('160008', '富山県', 'とやまけん', 'Toyama Prefecture'),
    ('170003', '石川県', 'いしかわけん', 'Ishikawa Prefecture'),
    ('180009', '福井県', 'ふくいけん', 'Fukui Prefecture'),
    ('190004', '山梨県', 'やまなしけん', 'Yamanashi Prefecture'),
    ('200000', '長野県', 'ながのけん', 'Nagano Prefecture'),
    ('210005', '岐阜県', 'ぎふけん', 'Gifu Prefecture'),
    ('220001', '静岡県', 'しずおかけん', 'Shizuoka Prefecture'),
    ('230006', '愛知県', 'あいちけん', 'Aichi Prefecture'),
    ('240001', '三重県', 'みえけん', 'Mie Prefecture'),
    ('250007', '滋賀県', 'しがけん', 'Shiga Prefecture'),
    ('260002', '京都府', 'きょうとふ', 'Kyoto Prefecture'),
    ('270008', '大阪府', 'おおさかふ', 'Osaka Prefecture'),
    ('280003', '兵庫県', 'ひょうごけん', 'Hyogo Prefecture'),
    ('290009', '奈良県', 'ならけん', 'Nara Prefecture'),
    ('300004', '和歌山県', 'わかやまけん', 'Wakayama Prefecture'),
    ('310000', '鳥取県', 'とっとりけん', 'Tottori Prefecture'),
    ('320005', '島根県', 'しまねけん', 'Shimane Prefecture'),
    ('330001', '岡山県', 'おかやまけん', 'Okayama Prefecture'),
    ('340006', '広島県', 'ひろしまけん', 'Hiroshima Prefecture'),
    ('350001', '山口県', 'やまぐちけん', 'Yamaguchi Prefecture'),
    ('360007', '徳島県', 'とくしまけん', 'Tokushima Prefecture'),
    ('370002', '香川県', 'かがわけん', 'Kagawa Prefecture'),
    ('380008', '愛媛県', 'えひめけん', 'Ehime Prefecture'),
    ('390003', '高知県', 'こうちけん', 'Kochi Prefecture'),
    ('400009', '福岡県', 'ふくおかけん', 'Fukuoka Prefecture'),
    ('410004', '佐賀県', 'さがけん', 'Saga Prefecture'),
    ('420000', '長崎県', 'ながさきけん', 'Nagasaki Prefecture'),
    ('430005', '熊本県', 'くまもとけん', 'Kumamoto Prefecture'),
    ('440001', '大分県', 'おおいたけん', 'Oita Prefecture'),
    ('450006', '宮崎県', 'みやざきけん', 'Miyazaki Prefecture'),
    ('460001', '鹿児島県', 'かごしまけん', 'Kagoshima Prefecture'),
    ('470007', '沖縄県', 'おきなわけん', 'Okinawa Prefecture'),
)

# Each prefecture's office (the code list's office_lat, office_lng), where maps put the prefecture's point.
PREFECTURE_OFFICES: dict[str, tuple[float, float]] = {
    "010006": (43.063968, 141.347899),
    "020001": (40.824623, 140.740593),
    "030007": (39.703531, 141.152667),
    "040002": (38.268839, 140.872103),
    "050008": (39.718600, 140.102334),
    "060003": (38.240437, 140.363634),
    "070009": (37.750299, 140.467521),
    "080004": (36.341813, 140.446793),
    "090000": (36.565725, 139.883565),
    "100005": (36.391208, 139.060156),
    "110001": (35.857428, 139.648933),
    "120006": (35.605058, 140.123308),
    "130001": (35.689521, 139.691704),
    "140007": (35.447753, 139.642514),
    "150002": (37.902418, 139.023221),
    "160008": (36.695290, 137.211338),
    "170003": (36.594682, 136.625573),
    "180009": (36.065219, 136.221642),
    "190004": (35.664158, 138.568449),
    "200000": (36.651289, 138.181224),
    "210005": (35.391227, 136.722291),
    "220001": (34.976978, 138.383054),
    "230006": (35.180188, 136.906565),
    "240001": (34.730283, 136.508591),
    "250007": (35.004531, 135.868590),
    "260002": (35.021004, 135.755608),
    "270008": (34.686316, 135.519711),
    "280003": (34.691279, 135.183025),
    "290009": (34.685333, 135.832744),
    "300004": (34.226034, 135.167506),
    "310000": (35.503869, 134.237672),
    "320005": (35.472297, 133.050499),
    "330001": (34.661772, 133.934675),
    "340006": (34.396560, 132.459622),
    "350001": (34.186121, 131.470500),
    "360007": (34.065770, 134.559303),
    "370002": (34.340149, 134.043444),
    "380008": (33.841660, 132.765362),
    "390003": (33.559705, 133.531080),
    "400009": (33.606785, 130.418314),
    "410004": (33.249367, 130.298822),
    "420000": (32.744839, 129.873756),
    "430005": (32.789828, 130.741667),
    "440001": (33.238194, 131.612591),
    "450006": (31.911090, 131.423855),
    "460001": (31.560148, 130.557981),
    "470007": (26.212401, 127.680932),
}

CITY_SUFFIX = " City"
PREFECTURE_SUFFIX = " Prefecture"
_PREFECTURE_BARE_NAMES = frozenset(english.removesuffix(PREFECTURE_SUFFIX) for *_, english in PREFECTURES)


def municipality_english_name(name_ja: str, name_en: str) -> str:
    """A city's English name told from its prefecture's: "Kyoto" for 京都市 reads "Kyoto City"."""
    if name_ja.endswith("市") and name_en in _PREFECTURE_BARE_NAMES:
        return name_en + CITY_SUFFIX
    return name_en


NATION_CODE = "JP"
NATION_NAMES = ("日本", "にほん", "Japan")
UNSPECIFIED_MARKET = "ZZ"

# CLDR lists a few codes that are not ISO 3166-1 assignments: exceptional reservations (AC, CP, DG,
# EA, IC, TA), groupings (EU, EZ, UN, QO), pseudo-locales (XA, XB), Kosovo's user-assigned XK, the
# outlying-Oceania CQ, and ZZ, which the tracker keeps for "unspecified".
_NOT_ISO_3166_1 = frozenset({"AC", "CP", "CQ", "DG", "EA", "EU", "EZ", "IC", "TA", "UN", "QO", "XA", "XB", "XK", "ZZ"})


def market_codes() -> list[str]:
    """ISO 3166-1 alpha-2 codes known to Babel's locale data, plus ZZ (unspecified)."""
    codes = sorted(
        code for code in Locale("en").territories if len(code) == 2 and code.isalpha() and code not in _NOT_ISO_3166_1
    )
    return [*codes, UNSPECIFIED_MARKET]


_areas = sa.table(
    "areas",
    sa.column("id", sa.Integer),
    sa.column("code", sa.String),
    sa.column("level", sa.String),
    sa.column("parent_id", sa.Integer),
    sa.column("name_ja", sa.String),
    sa.column("name_kana", sa.String),
    sa.column("name_en", sa.String),
    sa.column("office_lat", sa.Float),
    sa.column("office_lng", sa.Float),
)
_markets = sa.table("markets", sa.column("code", sa.String))


def seed_reference_data(connection: sa.Connection) -> None:
    """Insert the nation, the 47 prefectures (with their offices) and the markets into empty tables (tests)."""
    name_ja, name_kana, name_en = NATION_NAMES
    connection.execute(_areas.insert(), [{"code": NATION_CODE, "level": "nation", "parent_id": None,
                                          "name_ja": name_ja, "name_kana": name_kana, "name_en": name_en}])
    nation_id = connection.scalar(sa.select(_areas.c.id).where(_areas.c.code == NATION_CODE))
    connection.execute(_areas.insert(), [
        {"code": code, "level": "prefecture", "parent_id": nation_id,
         "name_ja": name_ja, "name_kana": name_kana, "name_en": name_en,
         "office_lat": PREFECTURE_OFFICES[code][0], "office_lng": PREFECTURE_OFFICES[code][1]}
        for code, name_ja, name_kana, name_en in PREFECTURES
    ])
    connection.execute(_markets.insert(), [{"code": code} for code in market_codes()])
