"""Which projects use a blob, and so who may read it.

A blob belongs to the projects whose live records name it in a photo field (every field
whose schema holds blob names: `photos` of tasks, briefings, checks, actions and feedback, a
check's `item_photos`, and any added later). Its members may read it; before any record
names it, its uploader alone may. Everyone else is told it does not exist (404).
"""
from __future__ import annotations

from collections import defaultdict
from typing import Iterable

from marshmallow import fields
from sqlalchemy import bindparam, delete, insert, select

from ..accounts.tokens import Caller
from ..extensions import db
from ..records import KINDS
from ..records.base import SHA256_RE, BlobName
from .models import Blob, BlobReference


def _holds_blob_names(field: fields.Field) -> bool:
    """Whether a schema field's value is, or contains, blob names."""
    if isinstance(field, BlobName):
        return True
    if isinstance(field, fields.List):
        return _holds_blob_names(field.inner)
    if isinstance(field, fields.Dict):
        return field.value_field is not None and _holds_blob_names(field.value_field)
    if isinstance(field, fields.Nested):
        return any(_holds_blob_names(inner) for inner in field.schema.fields.values())
    return False


# Record type → the fields that may name blobs, read from the record schemas.
BLOB_FIELDS: dict[str, tuple[str, ...]] = {
    kind.name: names for kind in KINDS.values()
    if (names := tuple(name for name, field in kind.schema.fields.items()
                       if _holds_blob_names(field)))}


def _names_in(value) -> Iterable[str]:
    """Blob names in a stored value: a name, a list of them, or a map of lists."""
    if isinstance(value, str):
        if SHA256_RE.match(value):
            yield value.lower()
    elif isinstance(value, list):
        for item in value:
            yield from _names_in(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _names_in(item)


def names_of(record) -> set[str]:
    """The blobs a live record names (a deleted one names none)."""
    if record.deleted:
        return set()
    return {name for field in BLOB_FIELDS.get(record.type, ())
            for name in _names_in(record.values.get(field))}


# Built once: every push that saves a record with photos runs them.
_FORGET = delete(BlobReference.__table__).where(
    BlobReference.__table__.c.type == bindparam("type"),
    BlobReference.__table__.c.record_id.in_(bindparam("ids", expanding=True)))
_REMEMBER = insert(BlobReference.__table__)


def references_of(record) -> frozenset[tuple[str, str]]:
    """(blob name, project id) of each reference a stored record holds: none for a record
    that is deleted or not stored at all."""
    return frozenset((name, record.project_id) for name in names_of(record))


def keep_references(connection, records, stored: dict | None = None) -> None:
    """Rewrite the references of saved records (engine RecordStates) to what they name now;
    part of the caller's transaction.

    `stored` maps (type, id) to `references_of` the record as the database holds it, for the
    records whose stored state was read: one whose references are the same now is left as
    it is (most saves touch no photo, and a new record without photos has none to forget).
    The records written are noted in `stored` as they are now."""
    by_type: dict[str, list[str]] = defaultdict(list)
    rows = []
    for record in records:
        if record.type in BLOB_FIELDS:
            key = (record.type, record.id)
            references = references_of(record)
            if stored is not None:
                if stored.get(key) == references:
                    continue
                stored[key] = references
            by_type[record.type].append(record.id)
            rows.extend({"type": record.type, "record_id": record.id, "sha256": name,
                         "project_id": project_id} for name, project_id in sorted(references))
    for type_name, ids in by_type.items():
        for start in range(0, len(ids), 500):
            connection.execute(_FORGET, {"type": type_name, "ids": ids[start:start + 500]})
    if rows:
        connection.execute(_REMEMBER, rows)


def projects_using(sha256: str) -> set[str]:
    """The projects whose live records name the blob."""
    return set(db.session.scalars(select(BlobReference.project_id)
                                  .where(BlobReference.sha256 == sha256).distinct()))


def access(caller: Caller, blob: Blob) -> str | None:
    """How the caller may read a stored blob: "member" (of a project that uses it),
    "uploader" (no project uses it yet), or None."""
    projects = projects_using(blob.sha256)
    if projects & set(caller.projects):
        return "member"
    if not projects and blob.created_by == caller.user_id:
        return "uploader"
    return None
