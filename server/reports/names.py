"""Ids turned into what people call them: users by name, sections by code and name, tasks
by title, checks by date and section, work steps by step, checklists by name. Users and sections are few and read once; records are
looked up a batch at a time, so an export keeps few names in memory."""
from __future__ import annotations

from sqlalchemy import select

from ..accounts.models import User
from ..extensions import db
from ..projects.models import Membership
from .source import table


class Names:
    """The names of one project's people and sections, and of records asked for."""

    def __init__(self, project_id: str):
        self.project_id = project_id
        self.users = dict(db.session.execute(
            select(User.id, User.name).join(Membership, Membership.user_id == User.id)
            .where(Membership.project_id == project_id)).all())
        sections = table("section")
        self.sections = {row.id: " ".join(filter(None, [row.code, row.name])) for row in
                         db.session.execute(select(sections.c.id, sections.c.code, sections.c.name)
                                            .where(sections.c.project_id == project_id,
                                                   sections.c.deleted.is_(False)))}
        checklists = table("checklist")
        self.checklists = {row.code: (row.name, row.name_en) for row in db.session.execute(
            select(checklists.c.code, checklists.c.name, checklists.c.name_en)
            .where(checklists.c.project_id == project_id, checklists.c.deleted.is_(False)))}
        self.records: dict[str, str] = {}
        self.record_sections: dict[str, str] = {}

    def user(self, user_id) -> str:
        return self.users.get(user_id, "") if user_id else ""

    def section(self, section_id) -> str:
        return self.sections.get(section_id, "") if section_id else ""

    def checklist(self, code, language: str) -> str:
        """A checklist template by its name in `language` (its code when unknown)."""
        name, name_en = self.checklists.get(code, (None, None))
        return (name_en if language == "en" and name_en else name) or code or ""

    def record(self, record_id) -> str:
        return self.records.get(record_id, "") if record_id else ""

    def record_section(self, record_id) -> str:
        """The section of a record learnt with `load_steps`, by name."""
        return self.section(self.record_sections.get(record_id)) if record_id else ""

    def load_tasks(self, ids) -> None:
        """Learn the titles of these tasks of the project (forgetting those learnt before)."""
        tasks = table("task")
        self.records = {row.id: row.title or "" for row in db.session.execute(
            select(tasks.c.id, tasks.c.title).where(tasks.c.project_id == self.project_id,
                                                   tasks.c.id.in_(list(set(ids)))))} if ids else {}

    def load_checks(self, ids) -> None:
        """Learn what to call these checks: their date and section."""
        checks = table("safety_check")
        self.records = {row.id: " ".join(filter(None, [row.date.isoformat() if row.date else "",
                                                        self.section(row.section_id)]))
                        for row in db.session.execute(
                            select(checks.c.id, checks.c.date, checks.c.section_id)
                            .where(checks.c.project_id == self.project_id,
                                   checks.c.id.in_(list(set(ids)))))} if ids else {}

    def load_steps(self, ids) -> None:
        """Learn the step names of these work steps, and their sections."""
        steps = table("work_step")
        found = db.session.execute(
            select(steps.c.id, steps.c.step, steps.c.section_id)
            .where(steps.c.project_id == self.project_id, steps.c.id.in_(list(set(ids))))).all() if ids else []
        self.records = {row.id: row.step or "" for row in found}
        self.record_sections = {row.id: row.section_id for row in found}
