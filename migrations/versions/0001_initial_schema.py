"""initial schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-28 18:19:10.505390

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('areas',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=6), nullable=False),
    sa.Column('level', sa.String(length=12), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('name_ja', sa.String(length=100), nullable=False),
    sa.Column('name_kana', sa.String(length=200), nullable=False),
    sa.Column('name_en', sa.String(length=200), nullable=False),
    sa.CheckConstraint("(level = 'nation') = (parent_id IS NULL)", name=op.f('ck_areas_parent_unless_nation')),
    sa.CheckConstraint("level IN ('nation', 'prefecture', 'municipality')", name=op.f('ck_areas_level')),
    sa.ForeignKeyConstraint(['parent_id'], ['areas.id'], name=op.f('fk_areas_parent_id_areas')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_areas')),
    sa.UniqueConstraint('code', name=op.f('uq_areas_code'))
    )
    with op.batch_alter_table('areas', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_areas_level'), ['level'], unique=False)
        batch_op.create_index(batch_op.f('ix_areas_parent_id'), ['parent_id'], unique=False)

    op.create_table('markets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=2), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_markets')),
    sa.UniqueConstraint('code', name=op.f('uq_markets_code'))
    )
    op.create_table('exporters',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('area_id', sa.Integer(), nullable=False),
    sa.Column('contact', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['area_id'], ['areas.id'], name=op.f('fk_exporters_area_id_areas')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_exporters')),
    sa.UniqueConstraint('name', name=op.f('uq_exporters_name'))
    )
    with op.batch_alter_table('exporters', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_exporters_area_id'), ['area_id'], unique=False)

    op.create_table('visitor_rollups',
    sa.Column('area_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.SmallInteger(), nullable=False),
    sa.Column('month', sa.SmallInteger(), nullable=False),
    sa.Column('market_id', sa.Integer(), nullable=False),
    sa.Column('visitors', sa.BigInteger(), nullable=False),
    sa.Column('areas', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['area_id'], ['areas.id'], name=op.f('fk_visitor_rollups_area_id_areas')),
    sa.ForeignKeyConstraint(['market_id'], ['markets.id'], name=op.f('fk_visitor_rollups_market_id_markets')),
    sa.PrimaryKeyConstraint('area_id', 'year', 'month', 'market_id', name=op.f('pk_visitor_rollups'))
    )
    op.create_table('products',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('exporter_id', sa.Integer(), nullable=False),
    sa.Column('name_ja', sa.String(length=200), nullable=False),
    sa.Column('name_en', sa.String(length=200), nullable=False),
    sa.Column('hs_code', sa.String(length=6), nullable=True),
    sa.Column('origin_area_id', sa.Integer(), nullable=True),
    sa.Column('default_unit', sa.String(length=3), nullable=True),
    sa.CheckConstraint("default_unit IS NULL OR default_unit IN ('kg', 'l', 'pcs', 't')", name=op.f('ck_products_default_unit')),
    sa.CheckConstraint("hs_code IS NULL OR (length(hs_code) = 6 AND substr(hs_code, 1, 2) BETWEEN '01' AND '97')", name=op.f('ck_products_hs_code')),
    sa.ForeignKeyConstraint(['exporter_id'], ['exporters.id'], name=op.f('fk_products_exporter_id_exporters')),
    sa.ForeignKeyConstraint(['origin_area_id'], ['areas.id'], name=op.f('fk_products_origin_area_id_areas')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_products')),
    sa.UniqueConstraint('exporter_id', 'name_ja', name='uq_products_exporter_name')
    )
    with op.batch_alter_table('products', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_products_exporter_id'), ['exporter_id'], unique=False)

    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('password_hash', sa.String(length=256), nullable=False),
    sa.Column('role', sa.String(length=10), nullable=False),
    sa.Column('exporter_id', sa.Integer(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('language', sa.String(length=5), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("language IS NULL OR language IN ('ja', 'en')", name=op.f('ck_users_language')),
    sa.CheckConstraint("role <> 'exporter' OR exporter_id IS NOT NULL", name=op.f('ck_users_exporter_has_exporter')),
    sa.CheckConstraint("role IN ('admin', 'officer', 'exporter', 'viewer')", name=op.f('ck_users_role')),
    sa.ForeignKeyConstraint(['exporter_id'], ['exporters.id'], name=op.f('fk_users_exporter_id_exporters')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('email', name=op.f('uq_users_email'))
    )
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_users_exporter_id'), ['exporter_id'], unique=False)

    op.create_table('api_tokens',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_used_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_api_tokens_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_tokens')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_api_tokens_token_hash'))
    )
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_api_tokens_user_id'), ['user_id'], unique=False)

    op.create_table('export_sales',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('exporter_id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.SmallInteger(), nullable=False),
    sa.Column('month', sa.SmallInteger(), nullable=False),
    sa.Column('destination_id', sa.Integer(), nullable=False),
    sa.Column('value_jpy', sa.BigInteger(), nullable=False),
    sa.Column('quantity', sa.Numeric(precision=18, scale=3), nullable=True),
    sa.Column('unit', sa.String(length=3), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("unit IS NULL OR unit IN ('kg', 'l', 'pcs', 't')", name=op.f('ck_export_sales_unit')),
    sa.CheckConstraint('month BETWEEN 1 AND 12', name=op.f('ck_export_sales_month_range')),
    sa.CheckConstraint('quantity IS NULL OR quantity >= 0', name=op.f('ck_export_sales_quantity_not_negative')),
    sa.CheckConstraint('value_jpy >= 0', name=op.f('ck_export_sales_value_not_negative')),
    sa.CheckConstraint('version >= 1', name=op.f('ck_export_sales_version_positive')),
    sa.ForeignKeyConstraint(['destination_id'], ['markets.id'], name=op.f('fk_export_sales_destination_id_markets')),
    sa.ForeignKeyConstraint(['exporter_id'], ['exporters.id'], name=op.f('fk_export_sales_exporter_id_exporters')),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_export_sales_product_id_products')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_export_sales_updated_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_export_sales')),
    sa.UniqueConstraint('exporter_id', 'product_id', 'year', 'month', 'destination_id', name='uq_export_sales_key')
    )
    with op.batch_alter_table('export_sales', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_export_sales_destination_id'), ['destination_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_export_sales_product_id'), ['product_id'], unique=False)

    op.create_table('import_batches',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('rows', sa.Integer(), nullable=False),
    sa.Column('created', sa.Integer(), nullable=False),
    sa.Column('updated', sa.Integer(), nullable=False),
    sa.Column('unchanged', sa.Integer(), nullable=False),
    sa.Column('outcome', sa.String(length=10), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("outcome IN ('applied', 'unchanged', 'rejected')", name=op.f('ck_import_batches_outcome')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_import_batches_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_import_batches'))
    )
    with op.batch_alter_table('import_batches', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_import_batches_sha256'), ['sha256'], unique=False)

    op.create_table('targets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('metric', sa.String(length=12), nullable=False),
    sa.Column('area_id', sa.Integer(), nullable=False),
    sa.Column('market_id', sa.Integer(), nullable=True),
    sa.Column('product_id', sa.Integer(), nullable=True),
    sa.Column('destination_id', sa.Integer(), nullable=True),
    sa.Column('baseline_year', sa.SmallInteger(), nullable=False),
    sa.Column('baseline_value', sa.BigInteger(), nullable=False),
    sa.Column('target_year', sa.SmallInteger(), nullable=False),
    sa.Column('target_value', sa.BigInteger(), nullable=False),
    sa.Column('year_basis', sa.String(length=8), nullable=False),
    sa.Column('include_subareas', sa.Boolean(), nullable=False),
    sa.CheckConstraint("metric = 'export_value' OR (product_id IS NULL AND destination_id IS NULL)", name=op.f('ck_targets_export_filters_only_for_exports')),
    sa.CheckConstraint("metric = 'visitors' OR market_id IS NULL", name=op.f('ck_targets_market_only_for_visitors')),
    sa.CheckConstraint("metric IN ('visitors', 'export_value')", name=op.f('ck_targets_metric')),
    sa.CheckConstraint("year_basis IN ('calendar', 'fiscal')", name=op.f('ck_targets_year_basis')),
    sa.CheckConstraint('baseline_value > 0 AND target_value > 0', name=op.f('ck_targets_values_positive')),
    sa.CheckConstraint('target_year > baseline_year', name=op.f('ck_targets_target_after_baseline')),
    sa.ForeignKeyConstraint(['area_id'], ['areas.id'], name=op.f('fk_targets_area_id_areas')),
    sa.ForeignKeyConstraint(['destination_id'], ['markets.id'], name=op.f('fk_targets_destination_id_markets')),
    sa.ForeignKeyConstraint(['market_id'], ['markets.id'], name=op.f('fk_targets_market_id_markets')),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_targets_product_id_products')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_targets'))
    )
    with op.batch_alter_table('targets', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_targets_area_id'), ['area_id'], unique=False)

    op.create_table('user_areas',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('area_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['area_id'], ['areas.id'], name=op.f('fk_user_areas_area_id_areas'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_user_areas_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'area_id', name=op.f('pk_user_areas'))
    )
    op.create_table('visitor_counts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('area_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.SmallInteger(), nullable=False),
    sa.Column('month', sa.SmallInteger(), nullable=False),
    sa.Column('market_id', sa.Integer(), nullable=False),
    sa.Column('visitors', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("status IN ('estimate', 'provisional', 'final')", name=op.f('ck_visitor_counts_status')),
    sa.CheckConstraint('month BETWEEN 1 AND 12', name=op.f('ck_visitor_counts_month_range')),
    sa.CheckConstraint('version >= 1', name=op.f('ck_visitor_counts_version_positive')),
    sa.CheckConstraint('visitors >= 0', name=op.f('ck_visitor_counts_visitors_not_negative')),
    sa.ForeignKeyConstraint(['area_id'], ['areas.id'], name=op.f('fk_visitor_counts_area_id_areas')),
    sa.ForeignKeyConstraint(['market_id'], ['markets.id'], name=op.f('fk_visitor_counts_market_id_markets')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_visitor_counts_updated_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_visitor_counts')),
    sa.UniqueConstraint('area_id', 'year', 'month', 'market_id', name='uq_visitor_counts_key')
    )
    with op.batch_alter_table('visitor_counts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_visitor_counts_market_id'), ['market_id'], unique=False)

    op.create_table('revisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('table_name', sa.String(length=40), nullable=False),
    sa.Column('record_key', sa.String(length=200), nullable=False),
    sa.Column('old_value', sa.Text(), nullable=True),
    sa.Column('new_value', sa.Text(), nullable=True),
    sa.Column('source', sa.String(length=6), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('batch_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("source IN ('form', 'import', 'api')", name=op.f('ck_revisions_source')),
    sa.ForeignKeyConstraint(['batch_id'], ['import_batches.id'], name=op.f('fk_revisions_batch_id_import_batches')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_revisions_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_revisions'))
    )
    with op.batch_alter_table('revisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_revisions_batch_id'), ['batch_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_revisions_record_key'), ['record_key'], unique=False)
        batch_op.create_index(batch_op.f('ix_revisions_user_id'), ['user_id'], unique=False)



def downgrade():
    with op.batch_alter_table('revisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_revisions_user_id'))
        batch_op.drop_index(batch_op.f('ix_revisions_record_key'))
        batch_op.drop_index(batch_op.f('ix_revisions_batch_id'))

    op.drop_table('revisions')
    with op.batch_alter_table('visitor_counts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_visitor_counts_market_id'))

    op.drop_table('visitor_counts')
    op.drop_table('user_areas')
    with op.batch_alter_table('targets', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_targets_area_id'))

    op.drop_table('targets')
    with op.batch_alter_table('import_batches', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_import_batches_sha256'))

    op.drop_table('import_batches')
    with op.batch_alter_table('export_sales', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_export_sales_product_id'))
        batch_op.drop_index(batch_op.f('ix_export_sales_destination_id'))

    op.drop_table('export_sales')
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_api_tokens_user_id'))

    op.drop_table('api_tokens')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_users_exporter_id'))

    op.drop_table('users')
    with op.batch_alter_table('products', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_products_exporter_id'))

    op.drop_table('products')
    op.drop_table('visitor_rollups')
    with op.batch_alter_table('exporters', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_exporters_area_id'))

    op.drop_table('exporters')
    op.drop_table('markets')
    with op.batch_alter_table('areas', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_areas_parent_id'))
        batch_op.drop_index(batch_op.f('ix_areas_level'))

    op.drop_table('areas')
