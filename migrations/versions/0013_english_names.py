"""optional English names for exporters and targets (pages fall back to the Japanese name); English area names tell
a prefecture from the city that shares its name: "Kyoto Prefecture" and "Kyoto City"

Only names still as the app shipped them are changed: a name an administrator edited is kept.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02 09:20:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None

# code and English name (without " Prefecture") of the prefectures that read "... Prefecture"; Hokkaido and Tokyo
# keep their names, which no city shares
PREFECTURES = """
020001 Aomori
030007 Iwate
040002 Miyagi
050008 Akita
060003 Yamagata
070009 Fukushima
080004 Ibaraki
090000 Tochigi
100005 Gunma
110001 Saitama
120006 Chiba
140007 Kanagawa
150002 Niigata
160008 Toyama
170003 Ishikawa
180009 Fukui
190004 Yamanashi
200000 Nagano
210005 Gifu
220001 Shizuoka
230006 Aichi
240001 Mie
250007 Shiga
260002 Kyoto
270008 Osaka
280003 Hyogo
290009 Nara
300004 Wakayama
310000 Tottori
320005 Shimane
330001 Okayama
340006 Hiroshima
350001 Yamaguchi
360007 Tokushima
370002 Kagawa
380008 Ehime
390003 Kochi
400009 Fukuoka
410004 Saga
420000 Nagasaki
430005 Kumamoto
440001 Oita
450006 Miyazaki
460001 Kagoshima
470007 Okinawa
"""

_areas = sa.table("areas", sa.column("code", sa.String), sa.column("level", sa.String),
                  sa.column("name_ja", sa.String), sa.column("name_en", sa.String))


def _prefectures():
    return [line.split(" ", 1) for line in PREFECTURES.strip().splitlines()]


def upgrade():
    for table in ("exporters", "targets"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("name_en", sa.String(length=200), nullable=False, server_default=""))
    bare = [name for _code, name in _prefectures()]
    op.execute(_areas.update().where(_areas.c.level == "municipality", _areas.c.name_ja.like("%市"),
                                     _areas.c.name_en.in_(bare)).values(name_en=_areas.c.name_en + " City"))
    for code, name in _prefectures():
        op.execute(_areas.update().where(_areas.c.code == code, _areas.c.name_en == name)
                   .values(name_en=name + " Prefecture"))


def downgrade():
    for code, name in _prefectures():
        op.execute(_areas.update().where(_areas.c.code == code, _areas.c.name_en == name + " Prefecture")
                   .values(name_en=name))
    bare = [name + " City" for _code, name in _prefectures()]
    op.execute(_areas.update().where(_areas.c.level == "municipality", _areas.c.name_en.in_(bare))
               .values(name_en=sa.func.substr(_areas.c.name_en, 1, sa.func.length(_areas.c.name_en) - 5)))
    for table in ("targets", "exporters"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("name_en")
