"""cursor project sets

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24 09:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('cursor_project_sets',
                    sa.Column('key', sa.String(length=32), nullable=False),
                    sa.Column('project_ids', sa.JSON(), nullable=False),
                    sa.PrimaryKeyConstraint('key'))


def downgrade():
    op.drop_table('cursor_project_sets')
