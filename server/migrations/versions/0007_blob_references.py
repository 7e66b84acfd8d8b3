"""blob references: which records (and so which projects) use a blob

Revision ID: 0007
Revises: 0004
Create Date: 2026-12-04 02:40:00.000000

"""
import json
import re

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0005'
branch_labels = None
depends_on = None

SHA256 = re.compile(r"^[0-9a-fA-F]{64}\Z")
# The photo fields of each record table as they stand at this revision.
PHOTO_FIELDS = {
    ('task', 'tasks'): ('photos',),
    ('briefing', 'briefings'): ('photos',),
    ('safety_check', 'safety_checks'): ('photos', 'item_photos'),
    ('action', 'actions'): ('photos',),
    ('feedback', 'feedback'): ('photos',),
}


def _names(value):
    if isinstance(value, str):
        value = json.loads(value) if value[:1] in '[{' else value
    if isinstance(value, str):
        return {value.lower()} if SHA256.match(value) else set()
    items = value.values() if isinstance(value, dict) else (value or [])
    return set().union(*(_names(item) for item in items)) if items else set()


def upgrade():
    table = op.create_table(
        'blob_references',
        sa.Column('type', sa.String(length=32), nullable=False),
        sa.Column('record_id', sa.String(length=36), nullable=False),
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('project_id', sa.String(length=36), nullable=False),
        sa.PrimaryKeyConstraint('type', 'record_id', 'sha256'))
    op.create_index('ix_blob_references_sha256', 'blob_references', ['sha256'])
    # The photos records already name keep being readable by their projects' members.
    connection = op.get_bind()
    for (type_name, table_name), columns in PHOTO_FIELDS.items():
        source = sa.table(table_name, sa.column('id'), sa.column('project_id'),
                          sa.column('deleted'), *(sa.column(c) for c in columns))
        rows = []
        for row in connection.execute(sa.select(source).where(source.c.deleted == sa.false())):
            names = set().union(*(_names(getattr(row, c)) for c in columns))
            rows.extend({'type': type_name, 'record_id': row.id, 'sha256': name,
                         'project_id': row.project_id} for name in sorted(names))
        if rows:
            op.bulk_insert(table, rows)


def downgrade():
    op.drop_index('ix_blob_references_sha256', table_name='blob_references')
    op.drop_table('blob_references')
