"""reference data: the nation, the 47 prefectures and the markets

A new database can take imports at once, without `tracker demo`.

Revision ID: 0002
Revises: 0001
"""

from alembic import op

from tracker.reference import seed_reference_data

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade():
    seed_reference_data(op.get_bind())


def downgrade():
    op.execute("DELETE FROM markets")
    op.execute("DELETE FROM areas WHERE level = 'prefecture'")
    op.execute("DELETE FROM areas WHERE level = 'nation'")
