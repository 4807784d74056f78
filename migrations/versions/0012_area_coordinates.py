"""areas keep where their office stands (office_lat, office_lng), for the maps' points; the 47 prefectures get
theirs here, municipalities from `tracker areas import` of the code list

The prefectures' offices are frozen here as the code list had them when this revision was written.

Revision ID: 0012
Revises: 0009
Create Date: 2026-12-02 08:10:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None

# code, latitude, longitude of the prefectural office, in JIS X 0401 order
PREFECTURE_OFFICES = """
010006 43.063968 141.347899
020001 40.824623 140.740593
030007 39.703531 141.152667
040002 38.268839 140.872103
050008 39.718600 140.102334
060003 38.240437 140.363634
070009 37.750299 140.467521
080004 36.341813 140.446793
090000 36.565725 139.883565
100005 36.391208 139.060156
110001 35.857428 139.648933
120006 35.605058 140.123308
130001 35.689521 139.691704
140007 35.447753 139.642514
150002 37.902418 139.023221
160008 36.695290 137.211338
170003 36.594682 136.625573
180009 36.065219 136.221642
190004 35.664158 138.568449
200000 36.651289 138.181224
210005 35.391227 136.722291
220001 34.976978 138.383054
230006 35.180188 136.906565
240001 34.730283 136.508591
250007 35.004531 135.868590
260002 35.021004 135.755608
270008 34.686316 135.519711
280003 34.691279 135.183025
290009 34.685333 135.832744
300004 34.226034 135.167506
310000 35.503869 134.237672
320005 35.472297 133.050499
330001 34.661772 133.934675
340006 34.396560 132.459622
350001 34.186121 131.470500
360007 34.065770 134.559303
370002 34.340149 134.043444
380008 33.841660 132.765362
390003 33.559705 133.531080
400009 33.606785 130.418314
410004 33.249367 130.298822
420000 32.744839 129.873756
430005 32.789828 130.741667
440001 33.238194 131.612591
450006 31.911090 131.423855
460001 31.560148 130.557981
470007 26.212401 127.680932
"""
OFFICE_CHECK = ("(office_lat IS NULL) = (office_lng IS NULL) AND (office_lat IS NULL OR "
                "(office_lat BETWEEN -90 AND 90 AND office_lng BETWEEN -180 AND 180))")

areas = sa.table("areas", sa.column("code", sa.String), sa.column("office_lat", sa.Float),
                 sa.column("office_lng", sa.Float))


def upgrade():
    with op.batch_alter_table('areas', schema=None) as batch_op:
        batch_op.add_column(sa.Column('office_lat', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('office_lng', sa.Float(), nullable=True))
        batch_op.create_check_constraint(batch_op.f('ck_areas_office_coordinates'), OFFICE_CHECK)
    for code, lat, lng in (line.split() for line in PREFECTURE_OFFICES.strip().splitlines()):
        op.execute(areas.update().where(areas.c.code == code).values(office_lat=float(lat), office_lng=float(lng)))


def downgrade():
    with op.batch_alter_table('areas', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_areas_office_coordinates'), type_='check')
        batch_op.drop_column('office_lng')
        batch_op.drop_column('office_lat')
