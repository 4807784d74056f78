"""import jobs: uploads imported by a worker, with their state, progress, report and heartbeat

Revision ID: 0004
Revises: 0003
"""
from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'import_jobs',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=10), nullable=False),
        sa.Column('source', sa.String(length=6), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('filename', sa.String(length=255), nullable=False),
        sa.Column('language', sa.String(length=5), nullable=False),
        sa.Column('status', sa.String(length=8), nullable=False),
        sa.Column('progress', sa.Float(), nullable=True),
        sa.Column('result', sa.JSON(), nullable=True),
        sa.Column('errors', sa.JSON(), nullable=False),
        sa.Column('report', sa.JSON(), nullable=True),
        sa.Column('batch_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('heartbeat_at', sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("kind IN ('visitors', 'exports')", name=op.f('ck_import_jobs_kind')),
        sa.CheckConstraint("source IN ('import', 'api')", name=op.f('ck_import_jobs_source')),
        sa.CheckConstraint("status IN ('queued', 'running', 'done', 'failed')", name=op.f('ck_import_jobs_status')),
        sa.CheckConstraint('progress IS NULL OR (progress >= 0 AND progress <= 1)',
                           name=op.f('ck_import_jobs_progress')),
        sa.ForeignKeyConstraint(['batch_id'], ['import_batches.id'],
                                name=op.f('fk_import_jobs_batch_id_import_batches')),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_import_jobs_user_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_import_jobs')),
    )
    with op.batch_alter_table('import_jobs', schema=None) as batch_op:
        batch_op.create_index('ix_import_jobs_status_heartbeat_at', ['status', 'heartbeat_at'], unique=False)
        batch_op.create_index('ix_import_jobs_user_id_id', ['user_id', 'id'], unique=False)


def downgrade():
    with op.batch_alter_table('import_jobs', schema=None) as batch_op:
        batch_op.drop_index('ix_import_jobs_user_id_id')
        batch_op.drop_index('ix_import_jobs_status_heartbeat_at')
    op.drop_table('import_jobs')
