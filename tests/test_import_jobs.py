"""Imports as jobs: the API's 202 and job JSON, who may read a job, the Imports page, the time limit, the sweep,
and a real `tracker worker` killed in the middle of a large import."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import time
from datetime import timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from tests import factories
from tracker.auth.services import issue_token
from tracker.extensions import db
from tracker.jobs import runner, services
from tracker.jobs.queue import enqueue_import, queue
from tracker.models import ImportBatch, ImportJob, Revision, VisitorCount
from tracker.models._types import utcnow
from tracker.visitors.importer import VisitorImporter

EN = {"Accept-Language": "en"}
HEADER = "area_code,year,month,market,visitors\n"
MARKETS = ("CN", "KR", "TW", "HK", "US", "GB", "FR", "DE", "AU", "TH", "SG", "MY", "ID", "PH", "VN", "IN", "CA",
           "IT", "ES", "RU")
PREFECTURES = ("130001", "270008", "010006", "400009", "140007", "230006", "260002", "280003")


def _bearer(user) -> dict[str, str]:
    token = issue_token(user)
    db.session.commit()
    return {"Authorization": f"Bearer {token}", **EN}


def _large_file(prefectures: int, first_year: int = 1950) -> bytes:
    """Every month of every market for the prefectures since `first_year`: about 240 rows (5 kB) a year each."""
    lines = (f"{area},{year},{month},{market},{(year + month) % 997}\n" for area in PREFECTURES[:prefectures]
             for year in range(first_year, 2015) for month in range(1, 13) for market in MARKETS)
    return (HEADER + "".join(lines)).encode()


def _count(model) -> int:
    db.session.rollback()  # a new snapshot: workers and requests commit on other connections
    return db.session.scalar(select(func.count()).select_from(model))


def _job(job_id: int) -> ImportJob:
    db.session.rollback()  # a new snapshot, as in _count
    return db.session.get(ImportJob, job_id)


@pytest.fixture
def shibuya(app):
    area = factories.area("131130")
    db.session.commit()
    return area


def test_a_small_file_is_answered_in_the_request_without_a_job(client, shibuya):
    headers = _bearer(factories.user("admin"))
    ok = client.post("/api/v1/imports/visitors", headers=headers,
                     data={"file": (io.BytesIO(HEADER.encode() + b"131130,2015,4,CN,5\n"), "v.csv")})
    assert ok.status_code == 200 and ok.get_json() == {"created": 1, "updated": 0, "unchanged": 0}
    bad = client.post("/api/v1/imports/visitors", headers=headers,
                      data={"file": (io.BytesIO(b"area_code,year,month,market,visitors\n131130,2015,4,CN,-1\n"),
                                     "v.csv")})
    assert bad.status_code == 422
    assert bad.get_json() == {"errors": [{"line": 2, "column": "visitors", "message": "Must not be negative: -1."}]}
    assert _count(ImportJob) == 0


def test_async_queues_a_small_file_and_the_job_answers_its_counts_or_the_422_errors(client, shibuya):
    headers = _bearer(factories.user("admin"))
    content = b"area_code,year,month,market,visitors\n131130,2015,4,CN,5\n131130,2015,4,KR,7\n"
    queued = client.post("/api/v1/imports/visitors?async=1", headers=headers,
                         data={"file": (io.BytesIO(content), "v.csv")})
    assert queued.status_code == 202
    job_id = queued.get_json()["job"]
    assert queued.get_json() == {"job": job_id, "url": f"/api/v1/jobs/{job_id}"}
    assert client.get(f"/api/v1/jobs/{job_id}", headers=headers).get_json() == {
        "id": job_id, "kind": "visitors", "status": "done", "progress": 1.0,
        "result": {"created": 2, "updated": 0, "unchanged": 0}, "errors": []}
    assert db.session.scalar(select(Revision.source).limit(1)) == "api"

    refused = client.post("/api/v1/imports/visitors?async=1", headers=headers,
                          data={"file": (io.BytesIO(content.replace(b",7\n", b",-1\n")), "v.csv")})
    job = client.get(refused.get_json()["url"], headers=headers).get_json()
    assert (job["status"], job["result"]) == ("failed", None)
    assert job["errors"] == [{"line": 3, "column": "visitors", "message": "Must not be negative: -1."}]
    assert _count(VisitorCount) == 2
    assert os.listdir(client.application.config["TRACKER_UPLOAD_DIR"]) == []  # every job's file deleted


def test_a_file_over_1_mb_is_queued_and_completes(client):
    headers = _bearer(factories.user("admin"))
    content = _large_file(4, first_year=1960)
    assert len(content) > 1024 * 1024
    # encoded in memory: the test client would spool a large body to a file that it never closes
    boundary, body = encode_multipart({"file": FileStorage(io.BytesIO(content), "big.csv")})
    queued = client.post("/api/v1/imports/visitors", headers=headers, data=body,
                         content_type=f"multipart/form-data; boundary={boundary}")
    assert queued.status_code == 202 and queued.headers["Location"] == queued.get_json()["url"]
    job = client.get(queued.get_json()["url"], headers=headers).get_json()
    rows = 4 * 55 * 12 * len(MARKETS)
    assert job["status"] == "done" and job["result"] == {"created": rows, "updated": 0, "unchanged": 0}
    assert _count(VisitorCount) == rows


def test_an_export_job_answers_what_the_200_body_would(client):
    factories.area("152013")
    headers = _bearer(factories.user("admin"))
    text = ("exporter,area_code,year,month,product,hs_code,destination,quantity,unit,value_jpy\n"
            "新潟米菓,152013,2024,3,煎餅,190590,TW,5,kg,80\n")
    queued = client.post("/api/v1/imports/exports?async=1", headers=headers,
                         data={"file": (io.BytesIO(text.encode()), "e.csv")})
    job = client.get(queued.get_json()["url"], headers=headers).get_json()
    assert job["kind"] == "exports" and job["status"] == "done"
    assert job["result"] == {"created": 1, "updated": 0, "unchanged": 0, "created_exporters": ["新潟米菓"],
                             "created_products": [{"exporter": "新潟米菓", "product": "煎餅"}]}


def test_only_the_owner_and_admins_read_a_job(client, shibuya):
    owner = factories.user("officer", areas=[shibuya])
    other = factories.user("officer", areas=[shibuya])
    owner_headers, other_headers = _bearer(owner), _bearer(other)
    admin_headers, viewer_headers = _bearer(factories.user("admin")), _bearer(factories.user("viewer"))
    queued = client.post("/api/v1/imports/visitors?async=1", headers=owner_headers,
                         data={"file": (io.BytesIO(b"area_code,year,month,market,visitors\n131130,2015,4,CN,5\n"),
                                        "v.csv")})
    url = queued.get_json()["url"]
    assert client.get(url, headers=owner_headers).status_code == 200
    assert client.get(url, headers=admin_headers).status_code == 200
    assert client.get(url, headers=other_headers).status_code == 403
    assert client.get(url, headers=viewer_headers).status_code == 403
    assert client.get("/api/v1/jobs/999999", headers=owner_headers).status_code == 404
    assert client.get(url).status_code == 401
    job_id = queued.get_json()["job"]
    auth_client = client.application.test_client()
    auth_client.post("/login", data={"email": other.email, "password": factories.PASSWORD})
    assert auth_client.get(f"/imports/{job_id}").status_code == 403
    assert auth_client.get(f"/imports/{job_id}/report").status_code == 403


def test_an_upload_becomes_a_job_that_the_imports_page_lists_with_its_report(client, auth, shibuya):
    officer = factories.user("officer", areas=[shibuya], language="en")
    other = factories.user("officer", areas=[shibuya], language="en")
    admin = factories.user("admin", language="en")
    db.session.commit()
    auth.login(officer.email)
    content = b"area_code,year,month,market,visitors\n131130,2015,4,CN,5\n131130,2015,4,KR,70000\n"
    page = client.post("/visitors/import", data={"file": (io.BytesIO(content), "april.csv")},
                       follow_redirects=True).get_data(as_text=True)
    assert "Import of april.csv" in page and "created 2, updated 0, unchanged 0" in page
    assert 'http-equiv="refresh"' not in page  # finished: nothing left to follow
    listing = client.get("/imports/").get_data(as_text=True)
    assert "april.csv" in listing and "Imported" in listing and "<td class=\"number\">2</td>" in listing
    assert 'href="/imports/"' in client.get("/").get_data(as_text=True)  # in the navigation
    auth.logout()

    auth.login(other.email)
    assert "april.csv" not in client.get("/imports/").get_data(as_text=True)
    auth.logout()
    auth.login(admin.email)
    listing = client.get("/imports/").get_data(as_text=True)
    assert "april.csv" in listing and officer.name in listing
    auth.logout()
    auth.login(factories.user("viewer").email)
    assert client.get("/imports/").status_code == 403


def test_a_queued_job_page_reloads_itself_without_the_script(client, auth, shibuya, app):
    officer = factories.user("officer", areas=[shibuya], language="en")
    job = services.create_job(officer, "visitors", "import", "later.csv", io.BytesIO(b"x"),
                              upload_dir=app.config["TRACKER_UPLOAD_DIR"], language="en")
    db.session.commit()
    auth.login(officer.email)
    page = client.get(f"/imports/{job.id}").get_data(as_text=True)
    assert '<noscript><meta http-equiv="refresh" content="3"></noscript>' in page
    assert f'data-status="/api/v1/jobs/{job.id}"' in page and "Waiting" in page
    assert client.get(f"/imports/{job.id}/report").get_data(as_text=True).strip() == ""


def _slow_statement() -> str:
    """A statement that runs for many seconds on its own: only an interrupt stops it early."""
    if db.engine.dialect.name == "postgresql":
        return "SELECT pg_sleep(60)"
    return ("WITH RECURSIVE counter(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM counter WHERE x < 300000000) "
            "SELECT count(*) FROM counter")


def test_a_job_over_the_time_limit_is_stopped_rolled_back_and_failed(client, app, shibuya, monkeypatch):
    app.config["TRACKER_JOB_TIME_LIMIT_MINUTES"] = 1 / 60
    apply = VisitorImporter.apply

    def slow_apply(importer, staging, batch):
        applied = apply(importer, staging, batch)  # the figures written, in the job's transaction
        db.session.execute(sa.text(_slow_statement()))
        return applied

    monkeypatch.setattr(VisitorImporter, "apply", slow_apply)
    headers = _bearer(factories.user("admin"))
    started = time.monotonic()
    queued = client.post("/api/v1/imports/visitors?async=1", headers=headers,
                         data={"file": (io.BytesIO(b"area_code,year,month,market,visitors\n131130,2015,4,CN,5\n"),
                                        "v.csv")})
    assert time.monotonic() - started < 20
    job = client.get(queued.get_json()["url"], headers=headers).get_json()
    assert job["status"] == "failed" and job["result"] is None
    assert job["errors"] == [{"line": None, "column": "", "message": (
        "The import took longer than the time limit of 0.0166667 minutes and was stopped. Nothing was saved.")}]
    assert _count(VisitorCount) == 0 and _count(ImportBatch) == 0 and _count(Revision) == 0


def test_the_sweep_fails_jobs_whose_heartbeat_is_stale_and_leaves_live_ones(app, shibuya):
    owner = factories.user("officer", areas=[shibuya])
    upload_dir = app.config["TRACKER_UPLOAD_DIR"]
    jobs = [services.create_job(owner, "visitors", "import", f"{name}.csv", io.BytesIO(b"data"),
                                upload_dir=upload_dir, language="en") for name in ("dead", "live", "waiting")]
    beat = app.config["TRACKER_JOB_HEARTBEAT_SECONDS"]
    now = utcnow()
    for job, heartbeat in zip(jobs[:2], (now - timedelta(seconds=beat * 7), now - timedelta(seconds=beat)),
                              strict=True):
        job.status, job.started_at, job.heartbeat_at = "running", heartbeat, heartbeat
    db.session.commit()
    dead, live, waiting = (job.id for job in jobs)
    assert runner.sweep() == runner.Swept(stopped=[dead], requeued=[], file_gone=[])
    assert _job(dead).status == "failed" and _job(dead).finished_at is not None
    assert _job(dead).errors == [{"line": None, "column": "",
                                  "message": "The worker stopped while importing this file. Nothing was saved."}]
    assert (_job(live).status, _job(waiting).status) == ("running", "queued")
    assert sorted(os.listdir(upload_dir)) == [f"import-job-{live}", f"import-job-{waiting}"]


def test_a_job_runs_once_even_when_queued_twice(app, shibuya):
    owner = factories.user("admin")
    job = services.create_job(owner, "visitors", "import", "v.csv",
                              io.BytesIO(b"area_code,year,month,market,visitors\n131130,2015,4,CN,5\n"),
                              upload_dir=app.config["TRACKER_UPLOAD_DIR"], language="en")
    job_id = job.id
    db.session.commit()
    enqueue_import(job_id)
    enqueue_import(job_id)
    assert _job(job_id).status == "done" and _count(ImportBatch) == 1


def test_redis_is_the_queue_when_redis_url_is_set(app):
    redis = pytest.importorskip("redis")
    from huey import RedisHuey
    from huey.storage import RedisStorage

    app.config.update(REDIS_URL="redis://127.0.0.1:6379/0", TRACKER_JOBS_IMMEDIATE=False)
    built = queue(app)
    assert isinstance(built.huey, RedisHuey)
    try:
        built.huey.storage.conn.ping()
    except redis.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    # a queue of this test's own, so that no worker or other test run on this Redis takes the task
    built.huey.storage = RedisStorage(f"tracker-test-{os.getpid()}-{time.monotonic_ns()}", url=app.config["REDIS_URL"])
    try:
        built.import_job(42)
        task = built.huey.dequeue()
        assert (task.name, task.args) == ("tracker.import_job", (42,))
    finally:
        built.huey.storage.flush_all()


# -- a real worker process ---------------------------------------------------------------------------------------

def _worker(app, tmp_path, log_name: str) -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"], "SECRET_KEY": "test-secret",
           "TRACKER_QUEUE_FILE": app.config["TRACKER_QUEUE_FILE"],
           "TRACKER_UPLOAD_DIR": app.config["TRACKER_UPLOAD_DIR"],
           "TRACKER_JOB_HEARTBEAT_SECONDS": str(app.config["TRACKER_JOB_HEARTBEAT_SECONDS"])}
    env.pop("REDIS_URL", None)
    command = os.path.join(os.path.dirname(sys.executable), "tracker")
    with open(tmp_path / log_name, "wb") as log:  # the child keeps its own copy of the file open
        return subprocess.Popen([command, "worker"], env=env, stdout=log, stderr=log)


def _wait_for(condition, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def test_a_worker_killed_in_the_middle_leaves_the_database_unchanged_and_the_next_worker_fails_its_job(
        app, tmp_path):
    # the queue file that `_worker` gives the worker, also when the tests run with REDIS_URL set
    app.config.update(TRACKER_JOBS_IMMEDIATE=False, TRACKER_QUEUE_FILE=str(tmp_path / "queue.sqlite"), REDIS_URL=None,
                      TRACKER_JOB_HEARTBEAT_SECONDS=0.5)
    owner = factories.user("admin")
    factories.visitor_count(factories.area("131130"), 2015, 4, "CN", 5)
    db.session.commit()
    before = (_count(VisitorCount), _count(ImportBatch), _count(Revision))
    job = services.create_job(owner, "visitors", "import", "national.csv", io.BytesIO(_large_file(8, 1900)),
                              upload_dir=app.config["TRACKER_UPLOAD_DIR"], language="en")
    db.session.commit()
    enqueue_import(job.id)
    first = _worker(app, tmp_path, "first.log")
    try:
        progress = _wait_for(lambda: _job(job.id).progress, 60, "the worker's first progress")
        first.send_signal(signal.SIGKILL)
        first.wait(10)
    finally:
        first.kill()
    # killed before it ended: reading may be over (progress 1) while the figures are written, not yet committed
    assert 0 < progress <= 1 and _job(job.id).status == "running"

    time.sleep(0.5 * services.STALE_AFTER_BEATS)
    second = _worker(app, tmp_path, "second.log")
    try:
        _wait_for(lambda: _job(job.id).status == "failed", 60, "the next worker to fail the job")
    finally:
        second.send_signal(signal.SIGINT)
        second.wait(30)
    assert _job(job.id).errors[0]["message"] == "The worker stopped while importing this file. Nothing was saved."
    assert (_count(VisitorCount), _count(ImportBatch), _count(Revision)) == before
    assert os.listdir(app.config["TRACKER_UPLOAD_DIR"]) == []
