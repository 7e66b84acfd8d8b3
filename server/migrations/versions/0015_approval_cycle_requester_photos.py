"""approval cycle, requester and decision photos

Revision ID: 0015
Revises: 0011
Create Date: 2026-12-04 08:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0015'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    # Existing approvals get an empty photo list through a server default, dropped again once
    # the rows have it: the app writes the column itself, as it does a task's photos.
    with op.batch_alter_table('approvals', schema=None) as batch_op:
        batch_op.add_column(sa.Column('cycle', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('requested_by', sa.String(length=36), nullable=True))
        batch_op.add_column(sa.Column('photos', sa.JSON(), nullable=False, server_default=sa.text("'[]'")))

    with op.batch_alter_table('approvals', schema=None) as batch_op:
        batch_op.alter_column('photos', server_default=None)


def downgrade():
    with op.batch_alter_table('approvals', schema=None) as batch_op:
        batch_op.drop_column('photos')
        batch_op.drop_column('requested_by')
        batch_op.drop_column('cycle')
