"""notes on the figures: a dated note on an area's month or an exporter's month, with its author

Revision ID: 0011
Revises: 0009
Create Date: 2026-12-02 08:10:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('notes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('area_id', sa.Integer(), nullable=True),
    sa.Column('exporter_id', sa.Integer(), nullable=True),
    sa.Column('year', sa.SmallInteger(), nullable=False),
    sa.Column('month', sa.SmallInteger(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('(area_id IS NULL) <> (exporter_id IS NULL)', name=op.f('ck_notes_one_subject')),
    sa.CheckConstraint('month BETWEEN 1 AND 12', name=op.f('ck_notes_month_range')),
    sa.CheckConstraint('length(text) BETWEEN 1 AND 2000', name=op.f('ck_notes_text_length')),
    sa.ForeignKeyConstraint(['area_id'], ['areas.id'], name=op.f('fk_notes_area_id_areas')),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_notes_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['exporter_id'], ['exporters.id'], name=op.f('fk_notes_exporter_id_exporters')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notes'))
    )
    with op.batch_alter_table('notes', schema=None) as batch_op:
        batch_op.create_index('ix_notes_area_month', ['area_id', 'year', 'month'], unique=False)
        batch_op.create_index('ix_notes_exporter_month', ['exporter_id', 'year', 'month'], unique=False)
        batch_op.create_index(batch_op.f('ix_notes_author_id'), ['author_id'], unique=False)


def downgrade():
    with op.batch_alter_table('notes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notes_author_id'))
        batch_op.drop_index('ix_notes_exporter_month')
        batch_op.drop_index('ix_notes_area_month')
    op.drop_table('notes')
