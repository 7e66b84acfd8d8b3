"""safety check item notes and photos

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24 06:10:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    # Existing checks get empty maps through a server default, dropped again once the
    # rows have it: the app writes both columns itself, as it does `results`.
    with op.batch_alter_table('safety_checks', schema=None) as batch_op:
        batch_op.add_column(sa.Column('item_notes', sa.JSON(), nullable=False, server_default=sa.text("'{}'")))
        batch_op.add_column(sa.Column('item_photos', sa.JSON(), nullable=False, server_default=sa.text("'{}'")))

    with op.batch_alter_table('safety_checks', schema=None) as batch_op:
        batch_op.alter_column('item_notes', server_default=None)
        batch_op.alter_column('item_photos', server_default=None)


def downgrade():
    with op.batch_alter_table('safety_checks', schema=None) as batch_op:
        batch_op.drop_column('item_photos')
        batch_op.drop_column('item_notes')
