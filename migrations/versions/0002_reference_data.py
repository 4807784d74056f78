"""reference data: the nation, the 47 prefectures and the markets

A new database can take imports at once, without `tracker demo`. The data is frozen here as it was when this
revision was written (the app's own lists may change: the markets come from the installed Babel's locale data).

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

NATION = ("JP", "日本", "にほん", "Japan")
# code, kanji, kana, English, one prefecture a line, in JIS X 0401 order
PREFECTURES = """
010006 北海道 ほっかいどう Hokkaido
020001 青森県 あおもりけん Aomori
030007 岩手県 いわてけん Iwate
040002 宮城県 みやぎけん Miyagi
050008 秋田県 あきたけん Akita
060003 山形県 やまがたけん Yamagata
070009 福島県 ふくしまけん Fukushima
080004 茨城県 いばらきけん Ibaraki
090000 栃木県 とちぎけん Tochigi
100005 群馬県 ぐんまけん Gunma
110001 埼玉県 さいたまけん Saitama
120006 千葉県 ちばけん Chiba
130001 東京都 とうきょうと Tokyo
140007 神奈川県 かながわけん Kanagawa
150002 新潟県 にいがたけん Niigata
160008 富山県 とやまけん Toyama
170003 石川県 いしかわけん Ishikawa
180009 福井県 ふくいけん Fukui
190004 山梨県 やまなしけん Yamanashi
200000 長野県 ながのけん Nagano
210005 岐阜県 ぎふけん Gifu
220001 静岡県 しずおかけん Shizuoka
230006 愛知県 あいちけん Aichi
240001 三重県 みえけん Mie
250007 滋賀県 しがけん Shiga
260002 京都府 きょうとふ Kyoto
270008 大阪府 おおさかふ Osaka
280003 兵庫県 ひょうごけん Hyogo
290009 奈良県 ならけん Nara
300004 和歌山県 わかやまけん Wakayama
310000 鳥取県 とっとりけん Tottori
320005 島根県 しまねけん Shimane
330001 岡山県 おかやまけん Okayama
340006 広島県 ひろしまけん Hiroshima
350001 山口県 やまぐちけん Yamaguchi
360007 徳島県 とくしまけん Tokushima
370002 香川県 かがわけん Kagawa
380008 愛媛県 えひめけん Ehime
390003 高知県 こうちけん Kochi
400009 福岡県 ふくおかけん Fukuoka
410004 佐賀県 さがけん Saga
420000 長崎県 ながさきけん Nagasaki
430005 熊本県 くまもとけん Kumamoto
440001 大分県 おおいたけん Oita
450006 宮崎県 みやざきけん Miyazaki
460001 鹿児島県 かごしまけん Kagoshima
470007 沖縄県 おきなわけん Okinawa
"""
# ISO 3166-1 alpha-2 codes, then ZZ (unspecified)
MARKETS = """
AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ
CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO
FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE
JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO
MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW
PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM
TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW ZZ
"""

areas = sa.table(
    "areas",
    sa.column("id", sa.Integer),
    sa.column("code", sa.String),
    sa.column("level", sa.String),
    sa.column("parent_id", sa.Integer),
    sa.column("name_ja", sa.String),
    sa.column("name_kana", sa.String),
    sa.column("name_en", sa.String),
)
markets = sa.table("markets", sa.column("code", sa.String))


def upgrade():
    connection = op.get_bind()
    code, name_ja, name_kana, name_en = NATION
    connection.execute(areas.insert(), [{"code": code, "level": "nation", "parent_id": None, "name_ja": name_ja,
                                         "name_kana": name_kana, "name_en": name_en}])
    nation_id = connection.scalar(sa.select(areas.c.id).where(areas.c.code == code))
    connection.execute(areas.insert(), [
        {"code": code, "level": "prefecture", "parent_id": nation_id, "name_ja": name_ja, "name_kana": name_kana,
         "name_en": name_en}
        for code, name_ja, name_kana, name_en in (line.split(" ") for line in PREFECTURES.strip().splitlines())
    ])
    connection.execute(markets.insert(), [{"code": code} for code in MARKETS.split()])


def downgrade():
    op.execute("DELETE FROM markets")
    op.execute("DELETE FROM areas WHERE level = 'prefecture'")
    op.execute("DELETE FROM areas WHERE level = 'nation'")
