"""Import jobs over the API: a large file (or ?async=1) is queued and answered 202; its state is read here."""

from __future__ import annotations

from flask import jsonify, request, url_for
from flask_login import current_user
from werkzeug.datastructures import FileStorage

from tracker import policy
from tracker.api.blueprint import api_error, bp
from tracker.extensions import db
from tracker.imports import uploads
from tracker.jobs.queries import job_json
from tracker.models import ImportJob


@bp.get("/jobs/<int:job_id>")
def get_job(job_id: int):
    job = db.session.get(ImportJob, job_id)
    if job is None:
        return api_error(404, "Not Found")
    if not policy.can_read_job(current_user, job):
        return api_error(403, "Forbidden")
    return jsonify(job_json(job))


def should_queue(upload: FileStorage) -> bool:
    """Past 1 MB, or when the client asks with ?async=1, the import runs in a worker."""
    return request.args.get("async") == "1" or uploads.size(upload) > uploads.SYNC_LIMIT_BYTES


def queued(upload: FileStorage, kind: str):
    job = uploads.queue_upload(upload, kind, current_user, source="api")
    url = url_for("api.get_job", job_id=job.id)
    response = jsonify(job=job.id, url=url)
    response.status_code = 202
    response.headers["Location"] = url
    return response
