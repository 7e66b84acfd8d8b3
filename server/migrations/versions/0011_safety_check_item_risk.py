"""safety check item risk: each failed item's likelihood × severity

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-04 06:50:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    # Existing checks get an empty map through a server default, dropped again once the rows
    # have it: the app writes the column itself, as it does `item_notes`.
    with op.batch_alter_table('safety_checks', schema=None) as batch_op:
        batch_op.add_column(sa.Column('item_risk', sa.JSON(), nullable=False, server_default=sa.text("'{}'")))

    with op.batch_alter_table('safety_checks', schema=None) as batch_op:
        batch_op.alter_column('item_risk', server_default=None)


def downgrade():
    with op.batch_alter_table('safety_checks', schema=None) as batch_op:
        batch_op.drop_column('item_risk')
