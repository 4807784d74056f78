"""Jobs whose queue message was lost (the app stopped before sending it, Redis or the queue file emptied): the sweep
sends them again, or fails them when their file is gone too, on the SQLite queue and on Redis."""

from __future__ import annotations

import io
import logging
import os
import time
from datetime import timedelta

import pytest
from huey.utils import normalize_time
from sqlalchemy import func, select

from tests import factories
from tracker.extensions import db
from tracker.jobs import runner, services
from tracker.jobs.queue import enqueue_import, queue, waiting_imports
from tracker.models import ImportJob, VisitorCount
from tracker.models._types import utcnow

CSV = b"area_code,year,month,market,visitors\n131130,2015,4,CN,5\n"
LOST_FILE = {
    "en": "The uploaded file was lost before a worker could import it. Nothing was saved; upload the file again.",
    "ja": "取り込みが始まる前に、アップロードされたファイルが失われました。何も保存されていません。"
          "ファイルをもう一度アップロードしてください。",
}


@pytest.fixture(params=["sqlite", "redis"])
def real_queue(request, app, tmp_path):
    """The app's queue as a worker sees it (not the tests' immediate mode): a SQLite file, or Redis (REDIS_URL, else
    the local server that `make test` needs, as in test_import_jobs.py) under a queue name of this test's own so that
    no worker or other test run takes its messages."""
    app.config.update(TRACKER_JOBS_IMMEDIATE=False)
    if request.param == "sqlite":
        app.config.update(REDIS_URL=None, TRACKER_QUEUE_FILE=str(tmp_path / "queue.sqlite"))
        yield queue(app)
        return
    url = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
    from huey.storage import RedisStorage

    app.config.update(REDIS_URL=url)
    built = queue(app)
    built.huey.storage = RedisStorage(f"tracker-test-{os.getpid()}-{time.monotonic_ns()}", url=url)
    try:
        yield built
    finally:
        built.huey.storage.flush_all()  # this queue's own keys only


@pytest.fixture
def area(app):
    area = factories.area("131130")
    db.session.commit()
    return area


def _job(app, *, minutes_ago: float, language: str = "en") -> int:
    """A job committed `minutes_ago` whose message was never sent."""
    job = services.create_job(factories.user("admin", language=language), "visitors", "import", "v.csv",
                              io.BytesIO(CSV), upload_dir=app.config["TRACKER_UPLOAD_DIR"], language=language)
    job.created_at = utcnow() - timedelta(minutes=minutes_ago)
    db.session.commit()
    return job.id


def _lost(app, **kwargs) -> int:
    return _job(app, minutes_ago=app.config["TRACKER_JOB_REQUEUE_AFTER_MINUTES"] + 1, **kwargs)


def _status(job_id: int) -> str:
    db.session.rollback()  # a new snapshot: the worker's task commits on its own session
    return db.session.get(ImportJob, job_id).status


def _messages(built) -> list[int]:
    return [task.args[0] for task in built.huey.pending()]


def test_a_job_whose_message_was_lost_is_queued_again_and_runs_to_done(app, area, real_queue, caplog):
    lost = _lost(app)
    recent = _job(app, minutes_ago=app.config["TRACKER_JOB_REQUEUE_AFTER_MINUTES"] - 1)
    with caplog.at_level(logging.WARNING, logger="tracker.jobs.runner"):
        swept = runner.sweep()
    assert swept == runner.Swept(stopped=[], requeued=[lost], file_gone=[])
    assert f"import job {lost} queued again: its message was not in the queue" in caplog.messages
    # within the grace period the app may still be sending its message: left alone
    assert _messages(real_queue) == [lost] and waiting_imports() == {lost}
    assert (_status(lost), _status(recent)) == ("queued", "queued")

    real_queue.huey.execute(real_queue.huey.dequeue())  # what a worker does with the message
    assert (_status(lost), _status(recent)) == ("done", "queued")
    assert db.session.scalar(select(func.count()).select_from(VisitorCount)) == 1
    assert os.listdir(app.config["TRACKER_UPLOAD_DIR"]) == [f"import-job-{recent}"]


def test_a_job_whose_message_waits_in_the_queue_or_for_a_retry_is_not_sent_twice(app, area, real_queue):
    waiting, retrying = _lost(app), _lost(app)
    enqueue_import(waiting)
    retry = real_queue.import_job.s(retrying)
    retry.eta = normalize_time(delay=30, utc=real_queue.huey.utc)
    real_queue.huey.add_schedule(retry)  # as huey keeps a task that failed, to run again later
    assert waiting_imports() == {waiting, retrying}
    assert runner.sweep() == runner.Swept(stopped=[], requeued=[], file_gone=[])
    assert _messages(real_queue) == [waiting] and len(real_queue.huey.scheduled()) == 1


def test_a_sweep_after_another_sends_a_lost_job_once(app, area, real_queue):
    lost = _lost(app)
    assert runner.sweep().requeued == [lost]
    assert runner.sweep().requeued == []
    assert _messages(real_queue) == [lost]


@pytest.mark.parametrize("language", ["en", "ja"])
def test_a_lost_job_whose_file_is_gone_too_is_failed_with_a_message(app, area, real_queue, language, caplog):
    lost = _lost(app, language=language)
    os.remove(services.upload_path(app.config["TRACKER_UPLOAD_DIR"], lost))
    with caplog.at_level(logging.WARNING, logger="tracker.jobs.runner"):
        assert runner.sweep() == runner.Swept(stopped=[], requeued=[], file_gone=[lost])
    assert f"import job {lost} failed: its message was not in the queue and its file is gone" in caplog.messages
    db.session.rollback()
    job = db.session.get(ImportJob, lost)
    assert (job.status, job.result, job.report) == ("failed", None, None) and job.finished_at is not None
    assert job.errors == [{"line": None, "column": "", "message": LOST_FILE[language]}]
    assert _messages(real_queue) == []
    assert runner.sweep().file_gone == []  # failed once


def test_a_job_claimed_meanwhile_is_not_failed_by_the_sweep(app, area):
    job_id = _lost(app)
    claimed = services.claim(job_id)
    db.session.commit()
    assert claimed is not None and services.fail_if_queued(job_id, utcnow(), "lost") is False
    db.session.commit()
    assert _status(job_id) == "running"


def test_the_jobs_lost_are_those_with_no_message_sent_again_when_their_file_is_there():
    lost = services.lost_jobs([1, 2, 3, 4], waiting={2, 9}, has_file=lambda job_id: job_id != 3)
    assert lost == services.LostJobs(requeue=[1, 4], file_gone=[3])


def test_the_sweep_leaves_the_lost_jobs_when_it_cannot_read_the_queue(app, area, monkeypatch, caplog):
    lost = _lost(app)

    def unreachable():
        raise ConnectionError("no queue server")

    monkeypatch.setattr(runner, "waiting_imports", unreachable)
    with caplog.at_level(logging.WARNING, logger="tracker.jobs.runner"):
        assert runner.sweep() == runner.Swept(stopped=[], requeued=[], file_gone=[])
    assert "the sweep could not read the queue; it runs again in a minute" in caplog.messages
    assert _status(lost) == "queued"
