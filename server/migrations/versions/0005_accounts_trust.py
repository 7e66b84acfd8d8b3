"""server administrators, session addresses, login counters

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04 02:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('is_server_admin', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
    with op.batch_alter_table('tokens', schema=None) as batch_op:
        batch_op.add_column(sa.Column('address', sa.String(length=45), nullable=True))
    op.create_table('login_counters',
                    sa.Column('key', sa.String(length=120), nullable=False),
                    sa.Column('failures', sa.Integer(), nullable=False),
                    sa.Column('window_start', sa.DateTime(timezone=True), nullable=False),
                    sa.Column('locked_until', sa.DateTime(timezone=True), nullable=True),
                    sa.PrimaryKeyConstraint('key'))


def downgrade():
    op.drop_table('login_counters')
    with op.batch_alter_table('tokens', schema=None) as batch_op:
        batch_op.drop_column('address')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('is_server_admin')
