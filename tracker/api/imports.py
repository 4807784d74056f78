"""What the two import endpoints share: the upload, the `?async=1` switch, the counts, and a job when queued."""

from __future__ import annotations

from flask import jsonify, url_for
from flask_login import current_user
from pydantic import BaseModel, Field

from tracker.api.errors import ApiError
from tracker.api.fields import Upload
from tracker.imports import uploads
from tracker.imports.pipeline import ImportResult
from tracker.reporting.locks import holds_locked


class ImportQuery(BaseModel):
    queue: bool = Field(False, alias="async", description="Run the import as a job even when the file is small.")


class ImportUpload(BaseModel):
    file: Upload


class ImportCounts(BaseModel):
    created: int
    updated: int
    unchanged: int


class Queued(BaseModel):
    job: int
    url: str = Field(description="The job's state: GET it until its status is done or failed.")


def should_queue(form: ImportUpload, query: ImportQuery) -> bool:
    """Past 1 MB, or when the client asks with ?async=1, the import runs in a worker."""
    return query.queue or uploads.size(form.file) > uploads.SYNC_LIMIT_BYTES


def queued(form: ImportUpload, kind: str):
    job = uploads.queue_upload(form.file, kind, current_user, source="api")
    url = url_for("api.get_job", job_id=job.id)
    response = jsonify(job=job.id, url=url)
    response.status_code = 202
    response.headers["Location"] = url
    return response


def refusal(result: ImportResult) -> ApiError:
    """The file's errors by line and column: 409 when (also) approved months are locked, else 422."""
    return ApiError(409 if holds_locked(result) else 422, result.errors_json())
