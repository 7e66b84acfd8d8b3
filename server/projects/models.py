"""Projects and memberships (one row per user, project and role)."""
from __future__ import annotations

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import new_id
from ..extensions import db

ROLES = ("foreman", "liaison", "safety", "quality", "supervisor", "admin")


class Project(db.Model):
    __tablename__ = "projects"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    # Project settings such as response deadlines per feedback category (hours).
    settings: Mapped[dict] = mapped_column(JSON, default=dict)

    memberships = relationship("Membership", back_populates="project", cascade="all, delete-orphan")


class Membership(db.Model):
    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("project_id", "user_id", "role"),)
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    project_id: Mapped[str] = mapped_column(String(36), ForeignKey("projects.id"), index=True)
    user_id: Mapped[str] = mapped_column(String(36), ForeignKey("users.id"), index=True)
    role: Mapped[str] = mapped_column(String(16))

    project = relationship("Project", back_populates="memberships")
    user = relationship("User", back_populates="memberships")
