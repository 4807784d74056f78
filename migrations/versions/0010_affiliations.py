"""affiliations: the register of sister-city and friendship ties, and import jobs of that kind

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02 08:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'affiliations',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('area_id', sa.Integer(), nullable=False),
        sa.Column('partner_name', sa.String(length=200), nullable=False),
        sa.Column('partner_name_en', sa.String(length=200), nullable=False),
        sa.Column('country', sa.String(length=2), nullable=False),
        sa.Column('partner_level', sa.String(length=5), nullable=False),
        sa.Column('kind', sa.String(length=10), nullable=False),
        sa.Column('established_year', sa.SmallInteger(), nullable=False),
        sa.Column('established_on', sa.Date(), nullable=True),
        sa.Column('ended_year', sa.SmallInteger(), nullable=True),
        sa.Column('ended_on', sa.Date(), nullable=True),
        sa.Column('fields', sa.String(length=80), nullable=False),
        sa.Column('note', sa.Text(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('updated_by_id', sa.Integer(), nullable=True),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("kind IN ('sister', 'friendship', 'other')", name=op.f('ck_affiliations_kind')),
        sa.CheckConstraint("partner_level IN ('city', 'state', 'other')", name=op.f('ck_affiliations_partner_level')),
        sa.CheckConstraint("country <> 'ZZ'", name=op.f('ck_affiliations_country_named')),
        sa.CheckConstraint('ended_year IS NULL OR ended_year >= established_year',
                           name=op.f('ck_affiliations_ends_after_start')),
        sa.CheckConstraint('ended_on IS NULL OR ended_year IS NOT NULL',
                           name=op.f('ck_affiliations_ended_on_has_year')),
        sa.CheckConstraint('version >= 1', name=op.f('ck_affiliations_version_positive')),
        sa.ForeignKeyConstraint(['area_id'], ['areas.id'], name=op.f('fk_affiliations_area_id_areas')),
        sa.ForeignKeyConstraint(['country'], ['markets.code'], name=op.f('fk_affiliations_country_markets')),
        sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_affiliations_updated_by_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_affiliations')),
        sa.UniqueConstraint('area_id', 'country', 'partner_name_en', name='uq_affiliations_key'),
    )
    with op.batch_alter_table('affiliations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_affiliations_area_id'), ['area_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_affiliations_country'), ['country'], unique=False)
        batch_op.create_index(batch_op.f('ix_affiliations_established_year'), ['established_year'], unique=False)
    # "affiliations" is two characters longer than the kinds so far
    with op.batch_alter_table('import_jobs', schema=None) as batch_op:
        batch_op.alter_column('kind', existing_type=sa.String(length=10), type_=sa.String(length=12),
                              existing_nullable=False)
        batch_op.drop_constraint(batch_op.f('ck_import_jobs_kind'), type_='check')
        batch_op.create_check_constraint('kind', "kind IN ('visitors', 'exports', 'affiliations')")


def downgrade():
    op.execute("DELETE FROM import_jobs WHERE kind = 'affiliations'")
    with op.batch_alter_table('import_jobs', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_import_jobs_kind'), type_='check')
        batch_op.create_check_constraint('kind', "kind IN ('visitors', 'exports')")
        batch_op.alter_column('kind', existing_type=sa.String(length=12), type_=sa.String(length=10),
                              existing_nullable=False)
    with op.batch_alter_table('affiliations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_affiliations_established_year'))
        batch_op.drop_index(batch_op.f('ix_affiliations_country'))
        batch_op.drop_index(batch_op.f('ix_affiliations_area_id'))
    op.drop_table('affiliations')
