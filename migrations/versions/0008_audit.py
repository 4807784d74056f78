"""audit: the area of each revision (filled in for the revisions recorded before), revisions from the command
line, and a record of every log-in attempt

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 06:00:35

"""
from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('login_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('address', sa.String(length=45), nullable=False),
    sa.Column('outcome', sa.String(length=9), nullable=False),
    sa.CheckConstraint("outcome IN ('success', 'failed', 'throttled')", name=op.f('ck_login_events_outcome')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_login_events_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_login_events'))
    )
    with op.batch_alter_table('login_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_login_events_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_login_events_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('revisions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('area_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_revisions_area_id'), ['area_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_revisions_created_at'), ['created_at'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_revisions_area_id_areas'), 'areas', ['area_id'], ['id'])
        batch_op.drop_constraint(batch_op.f('ck_revisions_source'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_revisions_source'),
                                         "source IN ('form', 'import', 'api', 'cli')")
    _fill_areas()


def _fill_areas():
    """The area of the revisions recorded so far, read from their keys: a visitor figure's key starts with its
    area code ("130001/2015-04/CN"), an export sale's with its exporter's id ("12/2015-04/3/US"), a reporting
    month's with its metric ("visitors/130001/2015-04", "exports/12/2015-04")."""
    sqlite = op.get_bind().dialect.name == "sqlite"

    def segment(n: int) -> str:
        if not sqlite:
            return f"split_part(record_key, '/', {n})"
        text = "record_key"
        for _ in range(n - 1):
            text = f"substr({text}, instr({text}, '/') + 1)"
        return f"substr({text}, 1, instr({text} || '/', '/') - 1)"

    by_code = "(SELECT id FROM areas WHERE code = {})"
    by_exporter = "(SELECT area_id FROM exporters WHERE id = CAST({} AS INTEGER))"
    op.execute(f"UPDATE revisions SET area_id = {by_code.format(segment(1))} WHERE table_name = 'visitor_counts'")
    op.execute(f"UPDATE revisions SET area_id = {by_exporter.format(segment(1))} WHERE table_name = 'export_sales'")
    op.execute(f"UPDATE revisions SET area_id = {by_code.format(segment(2))} "
               "WHERE table_name = 'reporting_months' AND record_key LIKE 'visitors/%'")
    op.execute(f"UPDATE revisions SET area_id = {by_exporter.format(segment(2))} "
               "WHERE table_name = 'reporting_months' AND record_key LIKE 'exports/%'")


def downgrade():
    op.execute("DELETE FROM revisions WHERE source = 'cli'")
    with op.batch_alter_table('revisions', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_revisions_source'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_revisions_source'), "source IN ('form', 'import', 'api')")
        batch_op.drop_constraint(batch_op.f('fk_revisions_area_id_areas'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_revisions_created_at'))
        batch_op.drop_index(batch_op.f('ix_revisions_area_id'))
        batch_op.drop_column('area_id')

    with op.batch_alter_table('login_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_login_events_user_id'))
        batch_op.drop_index(batch_op.f('ix_login_events_created_at'))

    op.drop_table('login_events')
