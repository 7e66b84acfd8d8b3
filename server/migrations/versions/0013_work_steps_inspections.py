"""work steps and their three-level inspections; when and where photos were taken

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-04 08:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def _record_columns():
    """The columns every synced record table has (server/records/base.py RecordMixin)."""
    return [
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
        sa.PrimaryKeyConstraint('id'),
    ]


def upgrade():
    op.create_table('work_steps',
    sa.Column('section_id', sa.String(length=36), nullable=True),
    sa.Column('step', sa.String(length=100), nullable=True),
    sa.Column('crew', sa.String(length=50), nullable=True),
    sa.Column('foreman_id', sa.String(length=36), nullable=True),
    sa.Column('next_foreman_id', sa.String(length=36), nullable=True),
    sa.Column('planned_start', sa.Date(), nullable=True),
    sa.Column('planned_end', sa.Date(), nullable=True),
    sa.Column('actual_start', sa.Date(), nullable=True),
    sa.Column('actual_end', sa.Date(), nullable=True),
    sa.Column('depends_on', sa.String(length=36), nullable=True),
    sa.Column('early_start', sa.Boolean(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('status', sa.String(length=24), nullable=False),
    *_record_columns()
    )
    with op.batch_alter_table('work_steps', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_work_steps_project_id'), ['project_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_work_steps_section_id'), ['section_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_work_steps_seq'), ['seq'], unique=False)

    op.create_table('inspections',
    sa.Column('work_step_id', sa.String(length=36), nullable=True),
    sa.Column('level', sa.String(length=16), nullable=True),
    sa.Column('round', sa.Integer(), nullable=True),
    sa.Column('checklist', sa.String(length=64), nullable=True),
    sa.Column('results', sa.JSON(), nullable=False),
    sa.Column('measurements', sa.JSON(), nullable=False),
    sa.Column('photos', sa.JSON(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('inspected_at', sa.String(length=32), nullable=True),
    sa.Column('result', sa.String(length=16), nullable=False),
    *_record_columns()
    )
    with op.batch_alter_table('inspections', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_inspections_project_id'), ['project_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_inspections_seq'), ['seq'], unique=False)
        batch_op.create_index(batch_op.f('ix_inspections_work_step_id'), ['work_step_id'], unique=False)

    op.create_table('photo_metas',
    sa.Column('sha256', sa.String(length=64), nullable=True),
    sa.Column('taken_at', sa.String(length=32), nullable=True),
    sa.Column('latitude', sa.Float(), nullable=True),
    sa.Column('longitude', sa.Float(), nullable=True),
    sa.Column('accuracy_m', sa.Float(), nullable=True),
    sa.Column('derived_from', sa.String(length=64), nullable=True),
    *_record_columns()
    )
    with op.batch_alter_table('photo_metas', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_photo_metas_project_id'), ['project_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_photo_metas_seq'), ['seq'], unique=False)
        batch_op.create_index(batch_op.f('ix_photo_metas_sha256'), ['sha256'], unique=False)


def downgrade():
    for table, indexes in (('photo_metas', ('project_id', 'seq', 'sha256')),
                           ('inspections', ('project_id', 'seq', 'work_step_id')),
                           ('work_steps', ('project_id', 'section_id', 'seq'))):
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column in indexes:
                batch_op.drop_index(batch_op.f(f'ix_{table}_{column}'))
        op.drop_table(table)
