"""Fields that name another record: each must name a live record of the writer's project
(a pin's version, moreover, one of the pin's document), or the put is `invalid` naming it.

Judged on the records as the push sees them, so a document and its first version, or a
task and its pin, may travel in one batch."""
from __future__ import annotations

from sync import RecordState
from sync.store import Records

# Type → field → the type it names ("subject_type": the type the record's own field says).
LINKS: dict[str, dict[str, str]] = {
    "document_version": {"document_id": "document"},
    "pin": {"document_id": "document", "version_id": "document_version",
            "subject_id": "subject_type"},
}


def _named(values: dict, target: str) -> str | None:
    """The type a link names: fixed, or the one the record's `subject_type` says."""
    return values.get("subject_type") if target == "subject_type" else target


def problems(type_name: str, values: dict, written: dict, records: Records) -> dict[str, list[str]]:
    """The errors of the links among `written` fields, judged on `values` (the record as the
    put leaves it)."""
    errors: dict[str, list[str]] = {}
    for field, target in LINKS.get(type_name, {}).items():
        value = written.get(field)
        if field not in written or not isinstance(value, str):
            continue
        target_type = _named(values, target)
        found = records.load(target_type, value) if isinstance(target_type, str) else None
        if not _lives_in(found, values.get("project_id")):
            errors[field] = [f"names no {target_type or 'record'} of this project"]
        elif field == "version_id" and found.values.get("document_id") != values.get("document_id"):
            errors[field] = ["names a version of another document"]
    return errors


def _lives_in(record: RecordState | None, project_id: str | None) -> bool:
    return record is not None and not record.deleted and record.project_id == project_id
