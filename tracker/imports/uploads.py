"""The web upload of an import file, shared by every feature's upload page and the API: the file becomes a job.

The page's script (static/js/upload.js) sends the form with `X-Requested-With: fetch` and is answered with the
job's addresses as JSON, then follows the job in the page; without the script the form posts normally and is
redirected to the job's page.
"""

from __future__ import annotations

import os
from collections.abc import Callable

from flask import abort, current_app, jsonify, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from werkzeug.datastructures import FileStorage
from wtforms import SubmitField

from tracker.extensions import db
from tracker.jobs.queue import enqueue_import
from tracker.jobs.services import create_job
from tracker.models import ImportJob, User
from tracker.templating import current_language

# the API imports a file up to this size in the request itself; a larger one becomes a job
SYNC_LIMIT_BYTES = 1024 * 1024


class UploadForm(FlaskForm):
    file = FileField(_l("CSV or xlsx file"), validators=[FileRequired()])
    submit = SubmitField(_l("Import"))


def upload_page(kind: str, may_import: Callable[[User], bool], template: str, **context):
    """A feature's upload page: refused unless `may_import` (a policy function) allows the user; the form,
    then the posted file as a job of `kind` that the page follows."""
    if not may_import(current_user):
        abort(403)
    form = UploadForm()
    if form.validate_on_submit():
        return follow(queue_upload(form.file.data, kind, current_user))
    return render_template(template, form=form, **context)


def wants_json() -> bool:
    return request.headers.get("X-Requested-With") == "fetch"


def queue_upload(upload: FileStorage, kind: str, user: User, source: str = "import") -> ImportJob:
    """Store the file, commit its job, then queue it: a worker never sees a job whose row is not saved."""
    job = create_job(user, kind, source, upload.filename or "upload", upload.stream,
                     upload_dir=current_app.config["TRACKER_UPLOAD_DIR"], language=current_language())
    job_id = job.id  # read before the commit expires it: reading it again would open a writing transaction
    db.session.commit()
    enqueue_import(job_id)
    return job


def size(upload: FileStorage) -> int:
    stream = upload.stream
    start = stream.tell()
    end = stream.seek(0, os.SEEK_END)
    stream.seek(start)
    return end


def follow(job: ImportJob):
    """The upload page's answer: the job's addresses for the script, else its page."""
    page = url_for("jobs.job", job_id=job.id)
    if wants_json():
        return jsonify(job=job.id, page=page, status=url_for("api.get_job", job_id=job.id),
                       report=url_for("jobs.report", job_id=job.id)), 202
    return redirect(page, 303)
