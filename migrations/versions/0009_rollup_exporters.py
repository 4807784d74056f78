"""export rollups count their exporters: how many exporters sold to a destination (or in an HS code) in a
prefecture, or the nation, each month, so that a breakdown can tell a group backed by enough exporters without
reading every sale

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 07:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

# prefectures from their municipalities' exporters, in one pass over the sales; the nation as the sum of its
# prefectures (each exporter is in one municipality, so the counts add up)
_PREFECTURES = """
UPDATE {table} SET exporters = counted.exporters FROM (
    SELECT a.parent_id AS area_id, s.year AS year, s.month AS month, {key} AS group_key,
           count(DISTINCT s.exporter_id) AS exporters
    FROM export_sales s JOIN exporters e ON e.id = s.exporter_id JOIN areas a ON a.id = e.area_id {join}
    WHERE a.level = 'municipality' GROUP BY a.parent_id, s.year, s.month, {key}) AS counted
WHERE {table}.area_id = counted.area_id AND {table}.year = counted.year AND {table}.month = counted.month
  AND {table}.{column} = counted.group_key
"""
_NATION = """
UPDATE {table} SET exporters = counted.exporters FROM (
    SELECT p.year AS year, p.month AS month, p.{column} AS group_key, sum(p.exporters) AS exporters
    FROM {table} p JOIN areas a ON a.id = p.area_id WHERE a.level = 'prefecture'
    GROUP BY p.year, p.month, p.{column}) AS counted
WHERE {table}.area_id IN (SELECT id FROM areas WHERE level = 'nation') AND {table}.year = counted.year
  AND {table}.month = counted.month AND {table}.{column} = counted.group_key
"""
_TABLES = {
    "export_rollups": ("", "s.destination_id", "destination_id"),
    "export_product_rollups": ("JOIN products pr ON pr.id = s.product_id", "coalesce(pr.hs_code, '')", "hs_code"),
}


def upgrade():
    for table, (join, key, column) in _TABLES.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('exporters', sa.Integer(), server_default='0', nullable=False))
        op.execute(_PREFECTURES.format(table=table, join=join, key=key, column=column))
        op.execute(_NATION.format(table=table, column=column))


def downgrade():
    for table in _TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('exporters')
