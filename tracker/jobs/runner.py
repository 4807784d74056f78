"""Running one import job in a worker: all of the file or none of it, with a heartbeat and a time limit.

The import runs in one transaction, committed together with the job's "done" only when the file is clean. Beside
it, a heartbeat thread writes the job's progress and `heartbeat_at` on its own connection, and a watchdog stops
the import at the time limit: it raises at the next progress call and interrupts the statement in flight (SQLite's
interrupt, PostgreSQL's cancel), so that a long statement is stopped too. A worker killed in the middle leaves
nothing committed; the sweep, on every worker's start and every minute, fails the jobs whose heartbeat is stale,
and sends again the queued jobs whose message was lost.
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
import time
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from flask_babel import force_locale, ngettext
from flask_babel import gettext as _
from sqlalchemy.exc import SQLAlchemyError

from tracker.database import without_waiting
from tracker.extensions import db
from tracker.jobs import services
from tracker.jobs.kinds import KINDS
from tracker.jobs.queue import enqueue_import, waiting_imports
from tracker.models import User
from tracker.models._types import utcnow

log = logging.getLogger(__name__)


class TimeLimitExceeded(Exception):
    """The job ran past TRACKER_JOB_TIME_LIMIT_MINUTES."""


def run_job(job_id: int) -> None:
    """Claim the queued job and run it to done or failed; its uploaded file is deleted either way."""
    job = services.claim(job_id)
    db.session.commit()
    if job is None:
        return
    path = services.upload_path(current_app.config["TRACKER_UPLOAD_DIR"], job.id)
    try:
        with force_locale(job.language):
            _run(job.id, job.kind, job.source, job.filename, job.user_id, path)
    finally:
        _remove(path)


@dataclass(frozen=True)
class Swept:
    """What one sweep did, by job id."""

    stopped: list[int]  # running, but its worker died: failed
    requeued: list[int]  # queued, but its message was lost: sent to the queue again
    file_gone: list[int]  # queued, but its message and its file were lost: failed


def sweep() -> Swept:
    """Fail the running jobs whose worker died (a stale heartbeat) and delete their files; a live worker's job
    keeps beating and is left alone. Then send again the jobs queued for longer than
    TRACKER_JOB_REQUEUE_AFTER_MINUTES whose message is not in the queue, or fail them when their file is gone too;
    a job whose message waits, behind others or for a retry, is left alone. Several workers may sweep at once:
    each job is failed by one of them, and a job sent twice runs once (`claim`)."""
    stopped = _fail_stopped()
    requeued, file_gone = _recover_lost()
    return Swept(stopped, requeued, file_gone)


def _fail_stopped() -> list[int]:
    config = current_app.config
    now = utcnow()
    failed = []
    with without_waiting():
        try:
            for job in services.stale_jobs(now, config["TRACKER_JOB_HEARTBEAT_SECONDS"]):
                with force_locale(job.language):
                    message = _("The worker stopped while importing this file. Nothing was saved.")
                if services.fail_if_stale(job, now, config["TRACKER_JOB_HEARTBEAT_SECONDS"], message):
                    failed.append(job.id)
            db.session.commit()
        except SQLAlchemyError:
            # SQLite: a live job holds the write lock; the next sweep tries again
            db.session.rollback()
            log.warning("the sweep of stale import jobs could not write; it runs again in a minute", exc_info=True)
            return []
    for job_id in failed:
        log.warning("import job %s failed: its worker stopped", job_id)
        _remove(services.upload_path(config["TRACKER_UPLOAD_DIR"], job_id))
    return failed


def _recover_lost() -> tuple[list[int], list[int]]:
    config = current_app.config
    upload_dir = config["TRACKER_UPLOAD_DIR"]
    try:
        # read before the jobs, so that a message a worker takes meanwhile counts as waiting; only one taken just
        # before, whose job the worker has not claimed yet, is sent again, and `claim` runs that job once
        waiting = waiting_imports()
    except Exception:
        # the queue's server is down or its file unreadable: the workers cannot take anything either
        log.warning("the sweep could not read the queue; it runs again in a minute", exc_info=True)
        return [], []
    now = utcnow()
    with without_waiting():
        try:
            queued = {job.id: job.language for job in services.queued_before(
                now - timedelta(minutes=config["TRACKER_JOB_REQUEUE_AFTER_MINUTES"]))}
            lost = services.lost_jobs(queued, waiting,
                                      lambda job_id: os.path.exists(services.upload_path(upload_dir, job_id)))
            file_gone = []
            for job_id in lost.file_gone:
                with force_locale(queued[job_id]):
                    message = _("The uploaded file was lost before a worker could import it. Nothing was saved; "
                                "upload the file again.")
                if services.fail_if_queued(job_id, now, message):
                    file_gone.append(job_id)
            db.session.commit()
        except SQLAlchemyError:
            db.session.rollback()
            log.warning("the sweep of lost import jobs could not write; it runs again in a minute", exc_info=True)
            return [], []
    for job_id in file_gone:
        log.warning("import job %s failed: its message was not in the queue and its file is gone", job_id)
    for job_id in lost.requeue:
        log.warning("import job %s queued again: its message was not in the queue", job_id)
        enqueue_import(job_id)
    return lost.requeue, file_gone


def _run(job_id: int, kind: str, source: str, filename: str, user_id: int, path: str) -> None:
    config = current_app.config
    minutes = config["TRACKER_JOB_TIME_LIMIT_MINUTES"]
    connection = db.session.connection()  # the import's transaction, on the connection the watchdog interrupts
    if connection.dialect.name == "postgresql" and connection.dialect.server_version_info >= (14,):
        # when the worker is killed, its statement in flight stops within seconds instead of running on
        connection.exec_driver_sql("SET LOCAL client_connection_check_interval = '5s'")
    heartbeat = _Heartbeat(current_app._get_current_object(), job_id, config["TRACKER_JOB_HEARTBEAT_SECONDS"])
    watchdog = _Watchdog(connection.connection.dbapi_connection, minutes * 60)
    heartbeat.start()
    watchdog.start()

    def progress(done: int, total: int | None) -> None:
        heartbeat.progress = min(1.0, done / total) if total else None
        if watchdog.expired:
            raise TimeLimitExceeded

    try:
        user = db.session.get(User, user_id)
        with open(path, "rb") as stream:
            result, extra = KINDS[kind].run(stream, filename, user, source, progress)
        if watchdog.expired:
            raise TimeLimitExceeded
    except Exception as error:
        watchdog.stop()
        heartbeat.stop()
        db.session.rollback()
        if watchdog.expired:
            log.warning("import job %s stopped at the time limit of %s minutes", job_id, minutes)
            message = ngettext("The import took longer than the time limit of %(minutes)s minute and was stopped. "
                               "Nothing was saved.", "The import took longer than the time limit of %(minutes)s "
                               "minutes and was stopped. Nothing was saved.", minutes, minutes=f"{minutes:g}")
        else:
            log.error("import job %s failed", job_id, exc_info=error)
            message = _("The import failed. Nothing was saved.")
        services.finish_failed(job_id, message)
        db.session.commit()
        return
    watchdog.stop()
    heartbeat.stop()
    if result.ok and services.finish_applied(job_id, result, extra):
        db.session.commit()
        return
    db.session.rollback()
    if not result.ok:
        services.finish_refused(job_id, result)
        db.session.commit()


def _remove(path: str) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.remove(path)


class _Heartbeat(threading.Thread):
    """Writes the job's progress and heartbeat on its own connection while the import runs."""

    def __init__(self, app, job_id: int, interval: float):
        super().__init__(name=f"import-job-{job_id}-heartbeat", daemon=True)
        self.progress: float | None = 0.0
        self._app, self._job_id, self._interval = app, job_id, interval
        self._stopped = threading.Event()

    def run(self) -> None:
        written, last_beat = 0.0, time.monotonic()
        # progress is shown within a second; the heartbeat is written at least every interval
        while not self._stopped.wait(min(1.0, self._interval)):
            progress = self.progress
            if progress == written and time.monotonic() - last_beat < self._interval:
                continue
            with self._app.app_context(), without_waiting():
                try:
                    services.beat(self._job_id, progress)
                    db.session.commit()
                except SQLAlchemyError:
                    # SQLite: the import holds the write lock while it saves; beat again once it is done
                    db.session.rollback()
                    continue
            written, last_beat = progress, time.monotonic()

    def stop(self) -> None:
        self._stopped.set()
        self.join()


class _Watchdog(threading.Thread):
    """At the time limit, marks the job expired and interrupts the import's statements until it stops."""

    def __init__(self, dbapi_connection, seconds: float):
        super().__init__(name="import-job-watchdog", daemon=True)
        self.expired = False
        self._seconds = seconds
        self._interrupt = _interrupter(dbapi_connection)
        self._stopped = threading.Event()

    def run(self) -> None:
        if self._stopped.wait(self._seconds):
            return
        self.expired = True
        while True:
            self._interrupt()
            if self._stopped.wait(0.2):
                return

    def stop(self) -> None:
        self._stopped.set()
        self.join()


def _interrupter(dbapi_connection):
    """Stops the statement running on the connection, from another thread; a no-op when none runs."""
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        return dbapi_connection.interrupt
    return lambda: dbapi_connection.cancel_safe(timeout=5)
