"""Pages: the Imports list, one job followed to its report, and the report alone for the page's script."""

from __future__ import annotations

from flask import Blueprint, abort, render_template
from flask_login import current_user, login_required

from tracker import policy
from tracker.extensions import db
from tracker.jobs import queries
from tracker.models import ImportJob

bp = Blueprint("jobs", __name__, url_prefix="/imports")


@bp.before_request
@login_required
def require_importer():
    if not policy.can_import(current_user):
        abort(403)


@bp.get("/")
def index():
    every = policy.sees_every_job(current_user)
    return render_template("imports/index.html", jobs=queries.jobs_of(None if every else current_user.id),
                           every=every)


@bp.get("/<int:job_id>")
def job(job_id: int):
    found = _job(job_id)
    return render_template("imports/job.html", job=found, report=queries.report_context(found),
                           report_template=queries.report_template(found))


@bp.get("/<int:job_id>/report")
def report(job_id: int):
    """The finished job's report, put into the upload page or the job's page by static/js/upload.js."""
    found = _job(job_id)
    return render_template("imports/_job_report.html", job=found, report=queries.report_context(found),
                           report_template=queries.report_template(found))


def _job(job_id: int) -> ImportJob:
    found = db.session.get(ImportJob, job_id)
    if found is None:
        abort(404)
    if not policy.can_read_job(current_user, found):
        abort(403)
    return found
