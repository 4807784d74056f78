"""Reads of import jobs: the API's JSON, the Imports page's rows, and a job's report as the upload page had it."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from tracker.extensions import db
from tracker.imports.pipeline import ImportResult, Issue
from tracker.jobs.kinds import KINDS
from tracker.models import ImportJob

LISTED = 200


def job_json(job: ImportJob) -> dict[str, Any]:
    return {"id": job.id, "kind": job.kind, "status": job.status, "progress": job.progress,
            "result": job.result, "errors": job.errors}


def jobs_of(user_id: int | None) -> list[ImportJob]:
    """The latest jobs of one user, or of everyone (None), newest first."""
    query = select(ImportJob).options(joinedload(ImportJob.user)).order_by(ImportJob.id.desc()).limit(LISTED)
    if user_id is not None:
        query = query.where(ImportJob.user_id == user_id)
    return list(db.session.scalars(query))


def report_context(job: ImportJob) -> dict[str, Any] | None:
    """The report template's variables, rebuilt from what the worker stored; None until the import ran to its
    end (still running, or stopped: the job's errors then say why)."""
    if job.report is None:
        return None
    report = job.report
    counts = job.result or {}
    result = ImportResult(
        filename=job.filename, rows=report["rows"], created=counts.get("created", 0),
        updated=counts.get("updated", 0), unchanged=counts.get("unchanged", 0),
        errors=[_issue(error) for error in job.errors], error_count=report["error_count"],
        warnings=[_issue(warning) for warning in report["warnings"]], warning_count=report["warning_count"],
        batch_id=job.batch_id, previously_imported=report["previously_imported"])
    return {"result": result, **KINDS[job.kind].report_context(report)}


def report_template(job: ImportJob) -> str:
    return KINDS[job.kind].report_template


def _issue(data: dict[str, Any]) -> Issue:
    return Issue(data["line"], data["column"] or None, data["message"])
