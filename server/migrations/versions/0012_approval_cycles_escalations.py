"""approvals tied to their subjects (cycle, who asked, decision photos) and escalations

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-04 08:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    # Existing approvals get no photos through a server default, dropped again once the rows
    # have it: the app writes the column itself.
    with op.batch_alter_table('approvals', schema=None) as batch_op:
        batch_op.add_column(sa.Column('cycle', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('requested_by', sa.String(length=36), nullable=True))
        batch_op.add_column(sa.Column('photos', sa.JSON(), nullable=False, server_default=sa.text("'[]'")))

    with op.batch_alter_table('approvals', schema=None) as batch_op:
        batch_op.alter_column('photos', server_default=None)

    op.create_table('escalations',
    sa.Column('subject_type', sa.String(length=32), nullable=True),
    sa.Column('subject_id', sa.String(length=36), nullable=True),
    sa.Column('reason', sa.String(length=32), nullable=True),
    sa.Column('due', sa.String(length=32), nullable=True),
    sa.Column('escalated_at', sa.String(length=32), nullable=True),
    sa.Column('state', sa.String(length=16), nullable=False),
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
    with op.batch_alter_table('escalations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_escalations_project_id'), ['project_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_escalations_seq'), ['seq'], unique=False)
        batch_op.create_index(batch_op.f('ix_escalations_subject_id'), ['subject_id'], unique=False)


def downgrade():
    with op.batch_alter_table('escalations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_escalations_subject_id'))
        batch_op.drop_index(batch_op.f('ix_escalations_seq'))
        batch_op.drop_index(batch_op.f('ix_escalations_project_id'))

    op.drop_table('escalations')
    with op.batch_alter_table('approvals', schema=None) as batch_op:
        batch_op.drop_column('photos')
        batch_op.drop_column('requested_by')
        batch_op.drop_column('cycle')
