"""Accounts, their scope and their API tokens."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from flask_login import UserMixin
from sqlalchemy import Boolean, CheckConstraint, Column, ForeignKey, Integer, String, Table, true
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from tracker.extensions import db
from tracker.models._types import Timestamp, utcnow
from tracker.models.areas import Area
from tracker.models.exports import Exporter

ADMIN, OFFICER, EXPORTER, VIEWER = "admin", "officer", "exporter", "viewer"
ROLES = (ADMIN, OFFICER, EXPORTER, VIEWER)
LANGUAGES = ("ja", "en")

user_areas = Table(
    "user_areas",
    db.metadata,
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("area_id", ForeignKey("areas.id", ondelete="CASCADE"), primary_key=True),
)


class User(UserMixin, db.Model):
    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint("role IN ('admin', 'officer', 'exporter', 'viewer')", name="role"),
        CheckConstraint("language IS NULL OR language IN ('ja', 'en')", name="language"),
        CheckConstraint("role <> 'exporter' OR exporter_id IS NOT NULL", name="exporter_has_exporter"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    password_hash: Mapped[str] = mapped_column(String(256))
    role: Mapped[str] = mapped_column(String(10))
    exporter_id: Mapped[int | None] = mapped_column(ForeignKey("exporters.id"), index=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    language: Mapped[str | None] = mapped_column(String(5))
    created_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)
    # Part of the id kept in the session cookie: raising it ends every session opened before.
    session_version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    # reminders of due and overdue months, the approvers' digest and target alerts by email; off: none
    reminders: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())

    areas: Mapped[list[Area]] = relationship(secondary=user_areas)
    exporter: Mapped[Exporter | None] = relationship()
    tokens: Mapped[list[ApiToken]] = relationship(back_populates="user", cascade="all, delete-orphan")

    @property
    def is_active(self) -> bool:
        return self.active

    def get_id(self) -> str:
        """Flask-Login's id in the session: the account and its session version, so sessions can be ended."""
        return f"{self.id}:{self.session_version}"

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    def __repr__(self) -> str:
        return f"<User {self.email} {self.role}>"


class ApiToken(db.Model):
    """A bearer token; only its SHA-256 is stored, the token itself is shown once."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(Timestamp)
    expires_at: Mapped[datetime] = mapped_column(Timestamp)

    user: Mapped[User] = relationship(back_populates="tokens")

    @staticmethod
    def hash(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    @classmethod
    def issue(cls, user: User, lifetime: timedelta) -> tuple[ApiToken, str]:
        """A new token for the user: the row to store and the plain token to show once."""
        plain = secrets.token_urlsafe(32)
        return cls(user=user, token_hash=cls.hash(plain), expires_at=utcnow() + lifetime), plain
