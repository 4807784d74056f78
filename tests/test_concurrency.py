"""Many offices at once: real threads (and processes) writing the same month through every write path.

Each writer has its own client, connection and transaction, as under gunicorn; they start together at a barrier.
Writes to different figures all succeed; writes to the same figure leave one winner and conflicts, never a 500;
the rollups always equal a recomputation from the detail rows, with one revision per change."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import threading
from collections.abc import Callable

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from tests import factories
from tracker.audit.queries import AuditFilter, revision_page
from tracker.auth.services import issue_token
from tracker.extensions import db
from tracker.jobs.runner import run_job
from tracker.jobs.services import create_job
from tracker.models import (
    ExportRollup,
    ExportSale,
    ImportJob,
    ReportingRollup,
    Revision,
    VisitorCount,
    VisitorRollup,
)
from tracker.rollups import rebuild_export_rollups, rebuild_visitor_rollups

WRITERS = 6
MONTH = "2024-04"
EN = {"Accept-Language": "en"}
GRID_MARKETS = ("CN", "KR", "TW", "HK", "US", "TH")


def _together(work: list[Callable[[], object]]) -> list[object]:
    """Run each callable in its own thread, released at once; their results (or exceptions) in order."""
    barrier = threading.Barrier(len(work))
    results: list[object] = [None] * len(work)

    def run(index: int) -> None:
        barrier.wait()
        try:
            results[index] = work[index]()
        except Exception as error:  # noqa: BLE001 (reported by the test's assertion)
            results[index] = error

    threads = [threading.Thread(target=run, args=(index,)) for index in range(len(work))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    db.session.rollback()  # the test's own session then reads what the writers committed
    return results


def _client(app, user=None) -> FlaskClient:
    """A client of its own, logged in as `user`. Its requests run outside the test's app context (in other
    threads), so that each has an app context and a session of its own, as in production."""
    client = FlaskClient(app, app.response_class)
    if user is not None:
        email = user.email
        login = _together([lambda: client.post("/login", data={"email": email, "password": factories.PASSWORD})])
        assert _statuses(login) == [302] and "session=" in login[0].headers.get("Set-Cookie", "")
    return client


def _rollups(model, metric: str) -> tuple[list, list]:
    columns = list(model.__table__.columns)
    reporting = [ReportingRollup.area_id, ReportingRollup.year, ReportingRollup.month, ReportingRollup.reporters]
    reporters = select(*reporting).where(ReportingRollup.metric == metric)
    return (sorted(tuple(row) for row in db.session.execute(select(*columns))),
            sorted(tuple(row) for row in db.session.execute(reporters)))


def _assert_rollups_equal_a_recomputation() -> None:
    db.session.rollback()
    stored = _rollups(VisitorRollup, "visitors"), _rollups(ExportRollup, "export_value")
    rebuild_visitor_rollups()
    rebuild_export_rollups()
    recomputed = _rollups(VisitorRollup, "visitors"), _rollups(ExportRollup, "export_value")
    db.session.rollback()
    assert stored == recomputed


def _statuses(results) -> list:
    return [r.status_code if hasattr(r, "status_code") else repr(r) for r in results]


def _grid(market_values: dict[str, int | None], versions: dict[str, int] | None = None) -> dict[str, str]:
    """The grid as a browser posts it: every market's cell, version and the figure the page showed."""
    data = {"status": "provisional"}
    for market in GRID_MARKETS:
        value = market_values.get(market)
        data[f"visitors-{market}"] = "" if value is None else str(value)
        data[f"version-{market}"] = str((versions or {}).get(market, ""))
        data[f"shown-{market}"] = ""
    return data


def _municipalities(count: int):
    areas = [factories.area(factories.municipality_code(13, 101 + index)) for index in range(count)]
    return areas


def test_officers_saving_different_areas_and_markets_of_one_month_all_succeed(app):
    areas = _municipalities(WRITERS // 2)
    officers = [factories.user("officer", areas=[area]) for area in areas for _ in range(2)]
    db.session.commit()
    # two officers per area, each filling a different market of the same month
    jobs = []
    for index, officer in enumerate(officers):
        client, url = _client(app, officer), f"/visitors/{areas[index // 2].code}/{MONTH}"
        data = _grid({GRID_MARKETS[index % 2]: 1000 + index})
        jobs.append(lambda c=client, u=url, d=data: c.post(u, data=d, headers=EN))
    results = _together(jobs)
    assert _statuses(results) == [302] * WRITERS
    stored = sorted(db.session.execute(select(VisitorCount.area_id, VisitorCount.visitors)).all())
    assert stored == sorted((areas[i // 2].id, 1000 + i) for i in range(WRITERS))
    tokyo_total = db.session.scalar(select(func.sum(VisitorRollup.visitors)).where(
        VisitorRollup.area_id == areas[0].parent_id, VisitorRollup.year == 2024, VisitorRollup.month == 4))
    assert tokyo_total == sum(1000 + i for i in range(WRITERS))
    assert db.session.scalar(select(func.count()).select_from(Revision)) == WRITERS
    _assert_rollups_equal_a_recomputation()


def test_first_saves_of_one_empty_cell_leave_one_winner_and_conflicts_never_an_error(app):
    area = _municipalities(1)[0]
    officers = [factories.user("officer", areas=[area]) for _ in range(WRITERS)]
    db.session.commit()
    clients, url = [_client(app, officer) for officer in officers], f"/visitors/{area.code}/{MONTH}"
    results = _together([lambda c=c, i=i: c.post(url, data=_grid({"CN": 500 + i}), headers=EN)
                         for i, c in enumerate(clients)])
    statuses = _statuses(results)
    assert sorted(statuses) == [302] + [409] * (WRITERS - 1)
    winner = 500 + statuses.index(302)
    assert db.session.scalars(select(VisitorCount.visitors)).all() == [winner]
    for index, result in enumerate(results):
        if result.status_code == 409:
            page = result.get_data(as_text=True)
            assert "Someone else saved" in page or "someone else" in page.lower()
            assert f"{500 + index:,}" in page and f"{winner:,}" in page
    assert db.session.scalar(select(func.count()).select_from(Revision)) == 1
    _assert_rollups_equal_a_recomputation()


def test_a_cell_left_as_shown_keeps_the_figure_someone_else_saved_meanwhile(app):
    area = _municipalities(1)[0]
    first, second = factories.user("officer", areas=[area]), factories.user("officer", areas=[area])
    factories.visitor_count(area, 2024, 4, "CN", 100)
    db.session.commit()
    url, first, second = f"/visitors/{area.code}/{MONTH}", _client(app, first), _client(app, second)
    shown = _together([lambda: first.get(url)])[0].get_data(as_text=True)
    assert 'name="shown-CN" value="100"' in shown and 'name="version-CN" value="1"' in shown
    saved = _together([lambda: second.post(url, data={**_grid({"CN": 150}, {"CN": 1}), "shown-CN": "100"})])
    # the first officer saw 100 in CN, left it, and fills KR
    data = {**_grid({"CN": 100, "KR": 7}, {"CN": 1}), "shown-CN": "100"}
    assert _statuses(saved + _together([lambda: first.post(url, data=data, headers=EN)])) == [302, 302]
    assert sorted(db.session.execute(select(VisitorCount.visitors, VisitorCount.version)).all()) == [(7, 1), (150, 2)]


def test_a_status_left_as_shown_is_not_written_over_the_markets_another_officer_fills(app):
    area = _municipalities(1)[0]
    first, second = factories.user("officer", areas=[area]), factories.user("officer", areas=[area])
    factories.visitor_count(area, 2024, 4, "CN", 100, status="final")
    factories.visitor_count(area, 2024, 4, "KR", 200, status="provisional")
    db.session.commit()
    url, first, second = f"/visitors/{area.code}/{MONTH}", _client(app, first), _client(app, second)
    page = _together([lambda: first.get(url)])[0].get_data(as_text=True)
    shown = re.search(r'name="shown-status" value="(\w+)"', page).group(1)

    def grid(market, value, version, was):
        return {**_grid({market: value}, {market: version}), f"shown-{market}": str(was), "status": shown,
                "shown-status": shown}

    saved = _together([lambda: first.post(url, data=grid("CN", 150, 1, 100), headers=EN),
                       lambda: second.post(url, data=grid("KR", 250, 1, 200), headers=EN)])
    assert _statuses(saved) == [302, 302]
    stored = db.session.execute(select(VisitorCount.visitors, VisitorCount.version).order_by(VisitorCount.visitors))
    assert stored.all() == [(150, 2), (250, 2)]


def test_different_exporters_saving_one_month_all_succeed_without_a_false_conflict(app):
    exporters = [factories.new_exporter(factories.area(code), name=f"蔵元{index}")
                 for index, code in enumerate(("131016", "131024", "131130", "271004", "011002", "401005"))]
    products = [factories.product(owner, "清酒") for owner in exporters]
    users = [factories.user("exporter", exporter=owner) for owner in exporters]
    db.session.commit()
    jobs = []
    for index, (owner, product, user) in enumerate(zip(exporters, products, users, strict=True)):
        client, url = _client(app, user), f"/exports/exporters/{owner.id}/sales?month={MONTH}"
        data = {"rows-0-product": product.id, "rows-0-destination": "HK", "rows-0-value_jpy": str(10_000 + index)}
        jobs.append(lambda c=client, u=url, d=data: c.post(u, data=d, headers=EN))
    results = _together(jobs)
    assert _statuses(results) == [302] * len(exporters)
    assert sorted(db.session.scalars(select(ExportSale.value_jpy))) == [10_000 + i for i in range(len(exporters))]
    assert db.session.scalar(select(func.sum(ExportRollup.value_jpy)).where(
        ExportRollup.area_id == factories.area("JP").id)) == sum(10_000 + i for i in range(len(exporters)))
    _assert_rollups_equal_a_recomputation()


def test_one_sale_saved_by_two_people_at_once_leaves_one_winner_and_one_conflict(app):
    owner = factories.new_exporter(factories.area("131016"), name="蔵元")
    product = factories.product(owner, "清酒")
    users = [factories.user("exporter", exporter=owner) for _ in range(WRITERS)]
    db.session.commit()
    clients = [_client(app, user) for user in users]
    url, product_id = f"/exports/exporters/{owner.id}/sales?month={MONTH}", product.id
    results = _together([lambda c=c, i=i: c.post(url, data={
        "rows-0-product": product_id, "rows-0-destination": "HK", "rows-0-value_jpy": str(700 + i)}, headers=EN)
        for i, c in enumerate(clients)])
    statuses = _statuses(results)
    assert sorted(statuses) == [302] + [409] * (WRITERS - 1)
    assert db.session.scalars(select(ExportSale.value_jpy)).all() == [700 + statuses.index(302)]
    assert db.session.scalar(select(func.count()).select_from(Revision)) == 1
    _assert_rollups_equal_a_recomputation()


def test_api_imports_of_different_areas_and_grid_saves_of_the_same_month_all_succeed(app):
    areas = _municipalities(WRITERS)
    admin = factories.user("admin")
    token = issue_token(admin)
    officers = [factories.user("officer", areas=[area]) for area in areas[WRITERS // 2:]]
    db.session.commit()
    headers = {**EN, "Authorization": f"Bearer {token}"}
    jobs = []
    for area in areas[:WRITERS // 2]:
        lines = "".join(f"{area.code},2024,{month},{market},{month * 10}\n"
                        for month in (3, 4, 5) for market in GRID_MARKETS)
        body = ("area_code,year,month,market,visitors\n" + lines).encode()
        client = _client(app)
        jobs.append(lambda c=client, b=body: c.post("/api/v1/imports/visitors", headers=headers,
                                                    data={"file": (io.BytesIO(b), "areas.csv")}))
    for officer, area in zip(officers, areas[WRITERS // 2:], strict=True):
        client, url = _client(app, officer), f"/visitors/{area.code}/{MONTH}"
        jobs.append(lambda c=client, u=url: c.post(u, data=_grid({"US": 9}), headers=EN))
    results = _together(jobs)
    assert _statuses(results) == [200] * (WRITERS // 2) + [302] * (WRITERS - WRITERS // 2)
    assert [r.get_json() for r in results[:WRITERS // 2]] == [{"created": 18, "updated": 0, "unchanged": 0}] * 3
    assert db.session.scalar(select(func.sum(VisitorCount.visitors))) == 3 * 6 * (30 + 40 + 50) + 3 * 9
    assert revision_page(AuditFilter(), 1).total == 3 * 18 + 3  # the audit lists every created figure
    _assert_rollups_equal_a_recomputation()


def test_command_line_imports_in_separate_processes_of_overlapping_months_all_succeed(app, database_url, tmp_path):
    areas = _municipalities(3)
    db.session.commit()
    files = []
    for index, area in enumerate(areas):
        path = tmp_path / f"area{index}.csv"
        # overlapping months, in a different order in each file
        months = (1, 2, 3, 4) if index % 2 else (4, 3, 2, 1)
        path.write_text("area_code,year,month,market,visitors\n" + "".join(
            f"{area.code},2024,{month},{market},{index + 1}\n" for month in months for market in GRID_MARKETS))
        files.append(path)
    environment = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": "test-secret"}
    tracker = os.path.join(os.path.dirname(sys.executable), "tracker")
    processes = [subprocess.Popen([tracker, "import", "visitors", str(path)], env=environment,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for path in files]
    outputs = [process.communicate(timeout=120) for process in processes]
    db.session.rollback()
    assert [process.returncode for process in processes] == [0, 0, 0], outputs
    assert [out.strip().splitlines()[-1] for out, _err in outputs] == ["created 24, updated 0, unchanged 0"] * 3
    assert db.session.scalar(select(func.sum(VisitorCount.visitors))) == 24 * (1 + 2 + 3)
    _assert_rollups_equal_a_recomputation()


def test_import_jobs_of_different_areas_run_at_once_by_worker_threads_all_succeed(app):
    areas = _municipalities(WRITERS)
    officers = [factories.user("officer", areas=[area]) for area in areas]
    jobs = import_at_once(app, "visitors", [
        (officer, f"area{index}.csv", "area_code,year,month,market,visitors\n" + "".join(
            f"{area.code},2024,{month},{market},{index + month}\n" for month in (2, 3, 4) for market in GRID_MARKETS))
        for index, (area, officer) in enumerate(zip(areas, officers, strict=True))])
    assert [(job.status, job.result) for job in jobs] == [
        ("done", {"created": 18, "updated": 0, "unchanged": 0})] * WRITERS
    assert db.session.scalar(select(func.sum(VisitorCount.visitors))) == sum(
        6 * (3 * index + 2 + 3 + 4) for index in range(WRITERS))
    assert revision_page(AuditFilter(), 1).total == 18 * WRITERS  # the audit lists every created figure
    _assert_rollups_equal_a_recomputation()


@pytest.fixture(autouse=True)
def _no_leftover_sessions(app):
    yield
    db.session.rollback()


def import_at_once(app, kind: str, uploads) -> list[ImportJob]:
    """Queue an import job per (user, file name, content), run them all at once in threads, and give the jobs back
    in their order once every one has ended."""
    job_ids = []
    for user, filename, content in uploads:
        job = create_job(user, kind, "import", filename, io.BytesIO(content.encode()),
                         upload_dir=app.config["TRACKER_UPLOAD_DIR"], language="en")
        db.session.flush()
        job_ids.append(job.id)
    db.session.commit()

    def work(job_id: int):
        with app.app_context():
            run_job(job_id)

    assert _together([lambda job_id=job_id: work(job_id) for job_id in job_ids]) == [None] * len(job_ids)
    db.session.rollback()
    return list(db.session.scalars(select(ImportJob).where(ImportJob.id.in_(job_ids)).order_by(ImportJob.id)))
