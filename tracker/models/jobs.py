"""Imports run by a worker: the job's whole state, so that any app server or worker can read and finish it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Float, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.extensions import db
from tracker.models._types import Timestamp, utcnow
from tracker.models.audit import ImportBatch
from tracker.models.users import User

JOB_KINDS = ("visitors", "exports", "affiliations")
JOB_STATUSES = ("queued", "running", "done", "failed")
JOB_SOURCES = ("import", "api")


class ImportJob(db.Model):
    """One uploaded file on its way through a worker: queued, running (with a heartbeat), then done or failed."""

    __tablename__ = "import_jobs"
    __table_args__ = (
        CheckConstraint("kind IN ('visitors', 'exports', 'affiliations')", name="kind"),
        CheckConstraint("status IN ('queued', 'running', 'done', 'failed')", name="status"),
        CheckConstraint("source IN ('import', 'api')", name="source"),
        CheckConstraint("progress IS NULL OR (progress >= 0 AND progress <= 1)", name="progress"),
        Index("ix_import_jobs_user_id_id", "user_id", "id"),
        Index("ix_import_jobs_status_heartbeat_at", "status", "heartbeat_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(12))
    # the revisions' source: "import" from the upload page, "api" from the API
    source: Mapped[str] = mapped_column(String(6))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    filename: Mapped[str] = mapped_column(String(255))
    # the language of the uploader's messages, which the worker writes the report in
    language: Mapped[str] = mapped_column(String(5))
    status: Mapped[str] = mapped_column(String(8), default="queued")
    progress: Mapped[float | None] = mapped_column(Float)
    # the API's 200 body when the file was applied
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # the API's 422 body's errors: the file's, or one whole-file error when the job itself failed
    errors: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    # what the report page shows beyond the counts (rows, warnings, error count, what was created); None when
    # the import did not run to its end
    report: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batches.id"))
    created_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(Timestamp)
    finished_at: Mapped[datetime | None] = mapped_column(Timestamp)
    heartbeat_at: Mapped[datetime | None] = mapped_column(Timestamp)

    user: Mapped[User] = relationship()
    batch: Mapped[ImportBatch | None] = relationship()

    @property
    def finished(self) -> bool:
        return self.status in ("done", "failed")
