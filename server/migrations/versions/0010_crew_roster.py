"""crew roster: the workers of a project, by trade and team

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04 06:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('workers',
    sa.Column('name', sa.String(length=100), nullable=True),
    sa.Column('trade', sa.String(length=50), nullable=True),
    sa.Column('team', sa.String(length=50), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=True),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('seq', sa.BigInteger(), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('meta', sa.JSON(), nullable=False),
    sa.Column('created_by', sa.String(length=36), nullable=True),
    sa.Column('created_at', sa.String(length=32), nullable=True),
    sa.Column('updated_by', sa.String(length=36), nullable=True),
    sa.Column('updated_at', sa.String(length=32), nullable=True),
    sa.Column('project_id', sa.String(length=36), nullable=False),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('workers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_workers_project_id'), ['project_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_workers_seq'), ['seq'], unique=False)


def downgrade():
    with op.batch_alter_table('workers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_workers_seq'))
        batch_op.drop_index(batch_op.f('ix_workers_project_id'))

    op.drop_table('workers')
