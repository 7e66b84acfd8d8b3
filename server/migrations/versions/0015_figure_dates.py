"""figure dates: task actual start and end, complaint first answered, action verified

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-04 08:50:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('tasks', schema=None) as batch_op:
        batch_op.add_column(sa.Column('actual_start', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('actual_end', sa.Date(), nullable=True))
    with op.batch_alter_table('feedback', schema=None) as batch_op:
        batch_op.add_column(sa.Column('responded_at', sa.String(length=32), nullable=True))
    with op.batch_alter_table('actions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('verified_at', sa.String(length=32), nullable=True))


def downgrade():
    with op.batch_alter_table('actions', schema=None) as batch_op:
        batch_op.drop_column('verified_at')
    with op.batch_alter_table('feedback', schema=None) as batch_op:
        batch_op.drop_column('responded_at')
    with op.batch_alter_table('tasks', schema=None) as batch_op:
        batch_op.drop_column('actual_end')
        batch_op.drop_column('actual_start')
