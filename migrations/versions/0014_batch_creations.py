"""the import that created a figure: one revision per import batch stands for every figure it created, and the
history and audit expand it from the figures that name their batch

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02 12:40:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None

TABLES = ("visitor_counts", "export_sales", "affiliations", "notes")


def upgrade():
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('created_batch_id', sa.Integer(), nullable=True))
            batch_op.create_index(batch_op.f(f'ix_{table}_created_batch_id'), ['created_batch_id'], unique=False)
            batch_op.create_foreign_key(batch_op.f(f'fk_{table}_created_batch_id_import_batches'), 'import_batches',
                                        ['created_batch_id'], ['id'])


def downgrade():
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(batch_op.f(f'fk_{table}_created_batch_id_import_batches'), type_='foreignkey')
            batch_op.drop_index(batch_op.f(f'ix_{table}_created_batch_id'))
            batch_op.drop_column('created_batch_id')
