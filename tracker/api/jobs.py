"""Import jobs over the API: a large file (or ?async=1) is queued and answered 202; its state is read here."""

from __future__ import annotations

from typing import Any, Literal

from flask import jsonify
from flask_login import current_user
from pydantic import BaseModel, Field

from tracker import policy
from tracker.api.blueprint import bp
from tracker.api.contract import endpoint
from tracker.api.errors import LineError, forbidden, not_found
from tracker.extensions import db
from tracker.jobs.queries import job_json
from tracker.models import ImportJob


class JobState(BaseModel):
    id: int
    kind: str
    status: Literal["queued", "running", "done", "failed"]
    progress: float | None = Field(description="From 0 to 1 while the file is read.")
    result: dict[str, Any] | None = Field(description="The import's counts once done, as the synchronous answer.")
    errors: list[LineError] = Field(description="The file's errors by line and column once failed.")


@bp.get("/jobs/<int:job_id>")
@endpoint(tags=["imports"], ok={200: JobState}, refusals=(403, 404))
def get_job(job_id: int):
    """The state of an import job: its progress, then its counts or its errors."""
    job = db.session.get(ImportJob, job_id)
    if job is None:
        raise not_found()
    if not policy.can_read_job(current_user, job):
        raise forbidden()
    return jsonify(job_json(job))
