"""rollups for the dashboard: export sales per prefecture and for the nation by destination and by HS code,
and how many municipalities and exporters reported each month; export sales indexed by month for their refresh

Dashboards at national scale read these instead of scanning millions of rows; existing figures are summed
in once here, and `tracker.rollups` keeps them in step afterwards.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28 20:02:57.409570

"""
from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

# Frozen here rather than imported, so that this revision keeps doing what it did when the app changes.
# Each pair: the prefectures' rows from the municipalities' figures, then the nation's from the prefectures'.
_MUNICIPAL_SALES = """FROM export_sales s JOIN exporters e ON e.id = s.exporter_id JOIN areas a ON a.id = e.area_id
                      WHERE a.level = 'municipality'"""
_FILL = (
    f"""INSERT INTO export_rollups (area_id, year, month, destination_id, value_jpy)
        SELECT a.parent_id, s.year, s.month, s.destination_id, SUM(s.value_jpy) {_MUNICIPAL_SALES}
        GROUP BY a.parent_id, s.year, s.month, s.destination_id""",
    """INSERT INTO export_rollups (area_id, year, month, destination_id, value_jpy)
       SELECT n.id, r.year, r.month, r.destination_id, SUM(r.value_jpy)
       FROM export_rollups r CROSS JOIN areas n WHERE n.level = 'nation'
       GROUP BY n.id, r.year, r.month, r.destination_id""",
    """INSERT INTO export_product_rollups (area_id, year, month, hs_code, value_jpy)
       SELECT a.parent_id, s.year, s.month, COALESCE(p.hs_code, ''), SUM(s.value_jpy)
       FROM export_sales s JOIN exporters e ON e.id = s.exporter_id JOIN areas a ON a.id = e.area_id
       JOIN products p ON p.id = s.product_id
       WHERE a.level = 'municipality'
       GROUP BY a.parent_id, s.year, s.month, COALESCE(p.hs_code, '')""",
    """INSERT INTO export_product_rollups (area_id, year, month, hs_code, value_jpy)
       SELECT n.id, r.year, r.month, r.hs_code, SUM(r.value_jpy)
       FROM export_product_rollups r CROSS JOIN areas n WHERE n.level = 'nation'
       GROUP BY n.id, r.year, r.month, r.hs_code""",
    f"""INSERT INTO reporting_rollups (area_id, year, month, metric, reporters)
        SELECT a.parent_id, s.year, s.month, 'export_value', COUNT(DISTINCT s.exporter_id) {_MUNICIPAL_SALES}
        GROUP BY a.parent_id, s.year, s.month""",
    """INSERT INTO reporting_rollups (area_id, year, month, metric, reporters)
       SELECT a.parent_id, c.year, c.month, 'visitors', COUNT(DISTINCT c.area_id)
       FROM visitor_counts c JOIN areas a ON a.id = c.area_id WHERE a.level = 'municipality'
       GROUP BY a.parent_id, c.year, c.month""",
    """INSERT INTO reporting_rollups (area_id, year, month, metric, reporters)
       SELECT n.id, r.year, r.month, r.metric, SUM(r.reporters)
       FROM reporting_rollups r CROSS JOIN areas n WHERE n.level = 'nation'
       GROUP BY n.id, r.year, r.month, r.metric""",
)


def upgrade():
    op.create_table('export_product_rollups',
    sa.Column('area_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.SmallInteger(), nullable=False),
    sa.Column('month', sa.SmallInteger(), nullable=False),
    sa.Column('hs_code', sa.String(length=6), nullable=False),
    sa.Column('value_jpy', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['area_id'], ['areas.id'], name=op.f('fk_export_product_rollups_area_id_areas')),
    sa.PrimaryKeyConstraint('area_id', 'year', 'month', 'hs_code', name=op.f('pk_export_product_rollups'))
    )
    op.create_table('export_rollups',
    sa.Column('area_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.SmallInteger(), nullable=False),
    sa.Column('month', sa.SmallInteger(), nullable=False),
    sa.Column('destination_id', sa.Integer(), nullable=False),
    sa.Column('value_jpy', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['area_id'], ['areas.id'], name=op.f('fk_export_rollups_area_id_areas')),
    sa.ForeignKeyConstraint(['destination_id'], ['markets.id'], name=op.f('fk_export_rollups_destination_id_markets')),
    sa.PrimaryKeyConstraint('area_id', 'year', 'month', 'destination_id', name=op.f('pk_export_rollups'))
    )
    op.create_table('reporting_rollups',
    sa.Column('area_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.SmallInteger(), nullable=False),
    sa.Column('month', sa.SmallInteger(), nullable=False),
    sa.Column('metric', sa.String(length=12), nullable=False),
    sa.Column('reporters', sa.Integer(), nullable=False),
    sa.CheckConstraint("metric IN ('visitors', 'export_value')", name=op.f('ck_reporting_rollups_metric')),
    sa.ForeignKeyConstraint(['area_id'], ['areas.id'], name=op.f('fk_reporting_rollups_area_id_areas')),
    sa.PrimaryKeyConstraint('area_id', 'year', 'month', 'metric', name=op.f('pk_reporting_rollups'))
    )
    with op.batch_alter_table('export_sales', schema=None) as batch_op:
        batch_op.create_index('ix_export_sales_year_month', ['year', 'month'], unique=False)
    for statement in _FILL:
        op.execute(statement)


def downgrade():
    with op.batch_alter_table('export_sales', schema=None) as batch_op:
        batch_op.drop_index('ix_export_sales_year_month')
    op.drop_table('reporting_rollups')
    op.drop_table('export_rollups')
    op.drop_table('export_product_rollups')
