"""the monthly reporting cycle: due-date rules per metric with exceptions per unit, the areas listed as
visitor reporting units, and each unit's month as submitted, approved (locked) or open again

Without rule rows the defaults of `tracker.reporting.deadlines` apply, so nothing is filled in here.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 05:13:32.222044

"""
from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('reporting_rules',
    sa.Column('metric', sa.String(length=10), nullable=False),
    sa.Column('months_after', sa.SmallInteger(), nullable=False),
    sa.Column('day', sa.SmallInteger(), nullable=True),
    sa.Column('listed_units', sa.Boolean(), nullable=False),
    sa.CheckConstraint("metric IN ('visitors', 'exports')", name=op.f('ck_reporting_rules_metric')),
    sa.CheckConstraint('day IS NULL OR day BETWEEN 1 AND 31', name=op.f('ck_reporting_rules_day')),
    sa.CheckConstraint('months_after BETWEEN 0 AND 12', name=op.f('ck_reporting_rules_months_after')),
    sa.PrimaryKeyConstraint('metric', name=op.f('pk_reporting_rules'))
    )
    op.create_table('reporting_unit_areas',
    sa.Column('area_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['area_id'], ['areas.id'], name=op.f('fk_reporting_unit_areas_area_id_areas'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('area_id', name=op.f('pk_reporting_unit_areas'))
    )
    op.create_table('reporting_due_exceptions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('metric', sa.String(length=10), nullable=False),
    sa.Column('area_id', sa.Integer(), nullable=True),
    sa.Column('exporter_id', sa.Integer(), nullable=True),
    sa.Column('months_after', sa.SmallInteger(), nullable=False),
    sa.Column('day', sa.SmallInteger(), nullable=True),
    sa.CheckConstraint("(metric = 'visitors') = (area_id IS NOT NULL) AND (area_id IS NULL) <> (exporter_id IS NULL)", name=op.f('ck_reporting_due_exceptions_one_unit')),
    sa.CheckConstraint("metric IN ('visitors', 'exports')", name=op.f('ck_reporting_due_exceptions_metric')),
    sa.CheckConstraint('day IS NULL OR day BETWEEN 1 AND 31', name=op.f('ck_reporting_due_exceptions_day')),
    sa.CheckConstraint('months_after BETWEEN 0 AND 12', name=op.f('ck_reporting_due_exceptions_months_after')),
    sa.ForeignKeyConstraint(['area_id'], ['areas.id'], name=op.f('fk_reporting_due_exceptions_area_id_areas'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['exporter_id'], ['exporters.id'], name=op.f('fk_reporting_due_exceptions_exporter_id_exporters'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reporting_due_exceptions')),
    sa.UniqueConstraint('area_id', name='uq_reporting_due_exceptions_area_id'),
    sa.UniqueConstraint('exporter_id', name='uq_reporting_due_exceptions_exporter_id')
    )
    op.create_table('reporting_months',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('metric', sa.String(length=10), nullable=False),
    sa.Column('area_id', sa.Integer(), nullable=True),
    sa.Column('exporter_id', sa.Integer(), nullable=True),
    sa.Column('year', sa.SmallInteger(), nullable=False),
    sa.Column('month', sa.SmallInteger(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('submitted_by_id', sa.Integer(), nullable=True),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('approved_by_id', sa.Integer(), nullable=True),
    sa.Column('approved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('returned_by_id', sa.Integer(), nullable=True),
    sa.Column('returned_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('return_comment', sa.Text(), nullable=False),
    sa.Column('reopened_by_id', sa.Integer(), nullable=True),
    sa.Column('reopened_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reopen_reason', sa.Text(), nullable=False),
    sa.CheckConstraint("(metric = 'visitors') = (area_id IS NOT NULL) AND (area_id IS NULL) <> (exporter_id IS NULL)", name=op.f('ck_reporting_months_one_unit')),
    sa.CheckConstraint("metric IN ('visitors', 'exports')", name=op.f('ck_reporting_months_metric')),
    sa.CheckConstraint("status IN ('open', 'submitted', 'approved')", name=op.f('ck_reporting_months_status')),
    sa.CheckConstraint('month BETWEEN 1 AND 12', name=op.f('ck_reporting_months_month_range')),
    sa.ForeignKeyConstraint(['approved_by_id'], ['users.id'], name=op.f('fk_reporting_months_approved_by_id_users')),
    sa.ForeignKeyConstraint(['area_id'], ['areas.id'], name=op.f('fk_reporting_months_area_id_areas')),
    sa.ForeignKeyConstraint(['exporter_id'], ['exporters.id'], name=op.f('fk_reporting_months_exporter_id_exporters')),
    sa.ForeignKeyConstraint(['reopened_by_id'], ['users.id'], name=op.f('fk_reporting_months_reopened_by_id_users')),
    sa.ForeignKeyConstraint(['returned_by_id'], ['users.id'], name=op.f('fk_reporting_months_returned_by_id_users')),
    sa.ForeignKeyConstraint(['submitted_by_id'], ['users.id'], name=op.f('fk_reporting_months_submitted_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reporting_months')),
    sa.UniqueConstraint('area_id', 'year', 'month', name='uq_reporting_months_area'),
    sa.UniqueConstraint('exporter_id', 'year', 'month', name='uq_reporting_months_exporter')
    )
    with op.batch_alter_table('reporting_months', schema=None) as batch_op:
        batch_op.create_index('ix_reporting_months_status_year_month', ['status', 'year', 'month'], unique=False)


def downgrade():
    with op.batch_alter_table('reporting_months', schema=None) as batch_op:
        batch_op.drop_index('ix_reporting_months_status_year_month')

    op.drop_table('reporting_months')
    op.drop_table('reporting_due_exceptions')
    op.drop_table('reporting_unit_areas')
    op.drop_table('reporting_rules')
