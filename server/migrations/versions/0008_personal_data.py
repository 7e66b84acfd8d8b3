"""personal data: the access log; deleted complaints forget their residents

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04 06:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

# The personal fields of feedback as they stand at this revision.
PERSONAL = ('location', 'resident_name', 'resident_phone')


def upgrade():
    op.create_table(
        'personal_data_access',
        sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('user_id', sa.String(length=36), nullable=False),
        sa.Column('project_id', sa.String(length=36), nullable=False),
        sa.Column('type', sa.String(length=32), nullable=True),
        sa.Column('record_id', sa.String(length=64), nullable=True),
        sa.Column('endpoint', sa.String(length=120), nullable=False),
        sa.PrimaryKeyConstraint('id'))
    op.create_index('ix_personal_data_access_project', 'personal_data_access',
                    ['project_id', 'id'])
    _scrub_deleted_feedback()


def _scrub_deleted_feedback():
    """Complaints deleted before this revision kept their residents' data: forget it in
    the tombstone, its history, the conflicts and the rejected payloads."""
    connection = op.get_bind()
    feedback = sa.table('feedback', sa.column('id'), sa.column('deleted'),
                        *(sa.column(name) for name in PERSONAL))
    history = sa.table('field_history', sa.column('type'), sa.column('record_id'),
                       sa.column('field'), sa.column('old'), sa.column('new'))
    conflicts = sa.table('conflicts', sa.column('type'), sa.column('record_id'),
                         sa.column('field'), sa.column('yours'), sa.column('kept'))
    rejected = sa.table('rejected_mutations', sa.column('id'), sa.column('type'),
                        sa.column('record_id'), sa.column('payload', sa.JSON()))
    ids = [row.id for row in connection.execute(
        sa.select(feedback.c.id).where(feedback.c.deleted == sa.true()))]
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        connection.execute(feedback.update().where(feedback.c.id.in_(chunk))
                           .values({name: None for name in PERSONAL}))
        connection.execute(history.update().where(
            history.c.type == 'feedback', history.c.record_id.in_(chunk),
            history.c.field.in_(PERSONAL)).values(old=None, new=None))
        connection.execute(conflicts.update().where(
            conflicts.c.type == 'feedback', conflicts.c.record_id.in_(chunk),
            conflicts.c.field.in_(PERSONAL)).values(yours=None, kept=None))
        for row in connection.execute(sa.select(rejected.c.id, rejected.c.payload).where(
                rejected.c.type == 'feedback', sa.func.lower(rejected.c.record_id).in_(chunk))):
            fields = row.payload.get('fields') if isinstance(row.payload, dict) else None
            if isinstance(fields, dict) and set(fields) & set(PERSONAL):
                kept = {k: v for k, v in fields.items() if k not in PERSONAL}
                connection.execute(rejected.update().where(rejected.c.id == row.id)
                                   .values(payload={**row.payload, 'fields': kept}))


def downgrade():
    # What was forgotten stays forgotten; only the access log goes.
    op.drop_index('ix_personal_data_access_project', table_name='personal_data_access')
    op.drop_table('personal_data_access')
