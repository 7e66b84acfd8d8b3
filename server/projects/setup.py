"""What every new project starts with."""
from __future__ import annotations

import uuid

from ..accounts.tokens import Caller
from ..records.checklist import builtin_fields
from ..syncing.service import write_as



def checklist_id(project_id: str, code: str) -> str:
    """The id of a project's built-in checklist template."""
    return str(uuid.uuid5(uuid.UUID(project_id), f"checklist:{code}"))


def add_builtin_checklists(admin: Caller, project_id: str) -> None:
    """Give the project the built-in checklist templates, written by one of its admins."""
    for code, fields in builtin_fields(project_id):
        write_as(admin, "checklist", checklist_id(project_id, code), fields)
