"""Writes on import jobs: plain values in; each state change is conditional, so that two workers, or a worker
and the sweep, never both finish one job. Flush, never commit."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import IO, Any

from sqlalchemy import select, update

from tracker.extensions import db
from tracker.imports.pipeline import ImportResult
from tracker.models import ImportJob, User
from tracker.models._types import utcnow

_COPY_CHUNK = 1024 * 1024
# a worker writes its heartbeat every interval; a job whose heartbeat is older than this many intervals is dead
STALE_AFTER_BEATS = 6


def upload_path(upload_dir: str, job_id: int) -> str:
    """Where the job's file waits for a worker: a folder that app servers and workers share."""
    return os.path.join(upload_dir, f"import-job-{job_id}")


def create_job(user: User, kind: str, source: str, filename: str, stream: IO[bytes], *, upload_dir: str,
               language: str) -> ImportJob:
    """A queued job with its file stored where a worker can read it."""
    job = ImportJob(kind=kind, source=source, user_id=user.id, filename=filename[:255], language=language,
                    status="queued", errors=[])
    db.session.add(job)
    db.session.flush()
    os.makedirs(upload_dir, exist_ok=True)
    with open(upload_path(upload_dir, job.id), "wb") as stored:
        shutil.copyfileobj(stream, stored, _COPY_CHUNK)
    return job


def claim(job_id: int) -> ImportJob | None:
    """Mark a queued job running for this worker; None when it is not queued (already taken, or gone)."""
    now = utcnow()
    claimed = db.session.execute(
        update(ImportJob).where(ImportJob.id == job_id, ImportJob.status == "queued")
        .values(status="running", started_at=now, heartbeat_at=now, progress=0.0)
        .execution_options(synchronize_session=False))
    if claimed.rowcount != 1:
        return None
    return db.session.get(ImportJob, job_id, populate_existing=True)


def finish_applied(job_id: int, result: ImportResult, extra: dict[str, Any]) -> bool:
    """In the import's own transaction: the job done with its counts, committed together with the figures.
    False when the job is no longer running (the sweep failed it): the caller then rolls back."""
    done = db.session.execute(
        update(ImportJob).where(ImportJob.id == job_id, ImportJob.status == "running")
        .values(status="done", progress=1.0, result={**result.counts_json(), **extra}, errors=[],
                report=_report(result, extra), batch_id=result.batch_id, finished_at=utcnow())
        .execution_options(synchronize_session=False))
    return done.rowcount == 1


def finish_refused(job_id: int, result: ImportResult) -> bool:
    """A file with errors: nothing applied, the errors kept as the API's 422 body shows them."""
    return _fail(job_id, result.errors_json(), _report(result, {}))


def finish_failed(job_id: int, message: str) -> bool:
    """The job itself failed (time limit, a crash): one error for the whole file."""
    return _fail(job_id, [_whole_file(message)], None)


def stale_jobs(now: datetime, heartbeat_seconds: float) -> list[ImportJob]:
    """Running jobs whose worker has not written a heartbeat for a long time: it died."""
    cutoff = now - timedelta(seconds=heartbeat_seconds * STALE_AFTER_BEATS)
    return list(db.session.scalars(select(ImportJob).where(ImportJob.status == "running",
                                                           ImportJob.heartbeat_at < cutoff)))


def fail_if_stale(job: ImportJob, now: datetime, heartbeat_seconds: float, message: str) -> bool:
    """Fail the job unless its worker wrote a heartbeat since `stale_jobs` read it."""
    cutoff = now - timedelta(seconds=heartbeat_seconds * STALE_AFTER_BEATS)
    failed = db.session.execute(
        update(ImportJob).where(ImportJob.id == job.id, ImportJob.status == "running",
                                ImportJob.heartbeat_at < cutoff)
        .values(status="failed", errors=[_whole_file(message)], report=None, finished_at=now)
        .execution_options(synchronize_session=False))
    return failed.rowcount == 1


def queued_before(cutoff: datetime) -> list[ImportJob]:
    """Jobs created before `cutoff` that no worker has claimed yet, oldest first."""
    return list(db.session.scalars(select(ImportJob).where(ImportJob.status == "queued", ImportJob.created_at < cutoff)
                                   .order_by(ImportJob.id)))


@dataclass(frozen=True)
class LostJobs:
    """Queued jobs that no message in the queue will ever run."""

    requeue: list[int]
    # the file went too (a restored database, a cleared upload folder): the job can never run
    file_gone: list[int]


def lost_jobs(queued: Iterable[int], waiting: Collection[int], has_file: Callable[[int], bool]) -> LostJobs:
    """Of the jobs queued for long, those whose message is not waiting in the queue (the web process died before
    it sent it, the queue was emptied): queued again when their file is there, else failed."""
    requeue, file_gone = [], []
    for job_id in queued:
        if job_id not in waiting:
            (requeue if has_file(job_id) else file_gone).append(job_id)
    return LostJobs(requeue=requeue, file_gone=file_gone)


def fail_if_queued(job_id: int, now: datetime, message: str) -> bool:
    """Fail a job that can never run, unless a worker claimed it since it was read (the worker then fails it)."""
    failed = db.session.execute(
        update(ImportJob).where(ImportJob.id == job_id, ImportJob.status == "queued")
        .values(status="failed", errors=[_whole_file(message)], report=None, finished_at=now)
        .execution_options(synchronize_session=False))
    return failed.rowcount == 1


def beat(job_id: int, progress: float | None) -> None:
    """The worker's heartbeat, with the progress so far, written outside the import's transaction."""
    db.session.execute(
        update(ImportJob).where(ImportJob.id == job_id, ImportJob.status == "running")
        .values(heartbeat_at=utcnow(), progress=progress)
        .execution_options(synchronize_session=False))


def _fail(job_id: int, errors: list[dict[str, Any]], report: dict[str, Any] | None) -> bool:
    failed = db.session.execute(
        update(ImportJob).where(ImportJob.id == job_id, ImportJob.status.in_(("queued", "running")))
        .values(status="failed", errors=errors, report=report, finished_at=utcnow())
        .execution_options(synchronize_session=False))
    return failed.rowcount == 1


def _whole_file(message: str) -> dict[str, Any]:
    return {"line": None, "column": "", "message": message}


def _report(result: ImportResult, extra: dict[str, Any]) -> dict[str, Any]:
    """What the report page shows beyond the API's body, in plain JSON."""
    return {
        "rows": result.rows,
        "previously_imported": result.previously_imported,
        "error_count": result.error_count,
        "warnings": [issue.as_json() for issue in result.warnings],
        "warning_count": result.warning_count,
        **extra,
    }
