"""The dashboard's server time at national scale, against the raw SQL that answers the same question.

Run against a database filled by `benchmarks.dashboard_data`; prints, per question, the median server time of
the page or endpoint (in-process, through Flask's test client: routing, queries, charts and templates), the
median time of the raw SQL aggregate over the detail on the same database, and whether the answers agree.

    DATABASE_URL=sqlite:////tmp/national.sqlite .venv/bin/python -m benchmarks.dashboard
"""

from __future__ import annotations

import os
import statistics
import time
from collections import defaultdict
from datetime import date

from sqlalchemy import select, text

from tracker import create_app
from tracker.auth.services import create_user, find_user
from tracker.dashboard import queries
from tracker.dashboard.filters import Filters
from tracker.dashboard.tables import TargetView
from tracker.extensions import db
from tracker.models import Target
from tracker.periods import Month
from tracker.targets.queries import monthly_totals
from tracker.targets.scope import Scope
from tracker.targets.services import TargetInput, create_target

APP_RUNS, RAW_RUNS = 20, 3
EMAIL, PASSWORD = "benchmark-viewer@example.jp", "benchmark-viewer"

MUNICIPAL_COUNTS = "FROM visitor_counts c JOIN areas a ON a.id = c.area_id WHERE a.level = 'municipality'"
MUNICIPAL_SALES = """FROM export_sales s JOIN exporters e ON e.id = s.exporter_id JOIN areas a ON a.id = e.area_id
                     JOIN products p ON p.id = s.product_id WHERE a.level = 'municipality'"""
RAW = {
    "visitors by month": f"SELECT c.year, c.month, SUM(c.visitors) {MUNICIPAL_COUNTS} GROUP BY c.year, c.month",
    "exports by month": f"SELECT s.year, s.month, SUM(s.value_jpy) {MUNICIPAL_SALES} GROUP BY s.year, s.month",
    "visitors by month and market": f"""SELECT c.year, c.month, c.market_id, SUM(c.visitors) {MUNICIPAL_COUNTS}
        AND c.year BETWEEN :first AND :last GROUP BY c.year, c.month, c.market_id""",
    "visitors by prefecture": f"""SELECT a.parent_id, c.year, c.month, SUM(c.visitors) {MUNICIPAL_COUNTS}
        AND c.year BETWEEN :last - 1 AND :last GROUP BY a.parent_id, c.year, c.month""",
    "municipalities reporting": f"""SELECT a.parent_id, c.year, c.month, COUNT(DISTINCT c.area_id) {MUNICIPAL_COUNTS}
        AND c.year = :last GROUP BY a.parent_id, c.year, c.month""",
    "exports by month and destination": f"""SELECT s.year, s.month, s.destination_id, SUM(s.value_jpy)
        {MUNICIPAL_SALES} AND s.year BETWEEN :first AND :last GROUP BY s.year, s.month, s.destination_id""",
    "exports by HS code": f"""SELECT s.year, s.month, COALESCE(p.hs_code, ''), SUM(s.value_jpy) {MUNICIPAL_SALES}
        AND s.year = :last GROUP BY s.year, s.month, COALESCE(p.hs_code, '')""",
    "exports by prefecture": f"""SELECT a.parent_id, s.year, s.month, SUM(s.value_jpy) {MUNICIPAL_SALES}
        AND s.year BETWEEN :last - 1 AND :last GROUP BY a.parent_id, s.year, s.month""",
    "exporters reporting": f"""SELECT a.parent_id, s.year, s.month, COUNT(DISTINCT s.exporter_id) {MUNICIPAL_SALES}
        AND s.year = :last GROUP BY a.parent_id, s.year, s.month""",
}


def main() -> None:
    app = create_app({"WTF_CSRF_ENABLED": False})
    with app.app_context():
        visitors, exports = benchmark_targets()
        client = app.test_client()
        client.post("/login", data={"email": EMAIL, "password": PASSWORD})
        today = date.today()
        print(f"database: {db.engine.dialect.name}; {_rows('visitor_counts'):,} visitor rows, "
              f"{_rows('export_sales'):,} export rows; median of {APP_RUNS} requests, {RAW_RUNS} raw queries")
        print(f"{'question':<34} {'app ms':>8} {'app CPU':>8} {'raw SQL ms':>11} {'ratio':>7} {'page KB':>8}  answers")
        print(f"load average at the start: {' '.join(f'{load:.1f}' for load in os.getloadavg())}")
        for name, url in (("dashboard (2 target cards)", "/dashboard/"), ("home page (cards, national series)", "/")):
            _line(name, _time_get(client, url), _time_raw(["visitors by month", "exports by month"], {}),
                  _same_monthly(visitors) and _same_monthly(exports))
        for target, raw_names, check in (
            (visitors, ["visitors by month", "visitors by month and market", "visitors by prefecture",
                        "municipalities reporting"], _same_visitor_breakdowns),
            (exports, ["exports by month", "exports by month and destination", "exports by HS code",
                       "exports by prefecture", "exporters reporting"], _same_export_breakdowns),
        ):
            view = TargetView(target, Filters(), today, "en")
            window = {"first": view.first_year - 1, "last": view.last_year}
            _line(f"target page: {target.metric}", _time_get(client, f"/dashboard/targets/{target.id}"),
                  _time_raw(raw_names, window), _same_monthly(target) and check(view, window))
        _line("progress API", _time_get(client, f"/api/v1/targets/{visitors.id}/progress"),
              _time_raw(["visitors by month"], {}), _same_progress(client, visitors))


def benchmark_targets() -> tuple[Target, Target]:
    """The two targets the benchmarks read, and the viewer account that reads them; created on the first run."""
    if find_user(EMAIL) is None:
        create_user(EMAIL, PASSWORD, "viewer")
    found = {t.metric: t for t in db.session.scalars(select(Target).where(Target.name.like("benchmark:%")))}
    if len(found) < 2:
        found = {
            "visitors": create_target(TargetInput(
                name="benchmark: visitors, sum of the municipalities", metric="visitors", area="JP",
                include_subareas=True, baseline_year=2015, target_year=2025, target_value=10**10)),
            "export_value": create_target(TargetInput(
                name="benchmark: exports, sum of the municipalities", metric="export_value", area="JP",
                include_subareas=True, baseline_year=2019, target_year=2027, target_value=10**14)),
        }
    db.session.commit()
    return found["visitors"], found["export_value"]


def _time_get(client, url: str) -> tuple[float, float, int]:
    """The median server time of a GET in ms, wall clock and this process's CPU (the CPU time holds SQLite's work
    but not PostgreSQL's; it shows the cost when other work shares the machine), and the size of the answer:
    the browser gets aggregates only."""
    for _ in range(2):
        response = client.get(url)
        assert response.status_code == 200, url
    times, cpu_times = [], []
    for _ in range(APP_RUNS):
        started, started_cpu = time.perf_counter(), time.process_time()
        client.get(url)
        times.append(time.perf_counter() - started)
        cpu_times.append(time.process_time() - started_cpu)
    return statistics.median(times) * 1000, statistics.median(cpu_times) * 1000, len(response.data)


def _time_raw(names: list[str], params: dict) -> float:
    times = []
    for _ in range(RAW_RUNS):
        started = time.perf_counter()
        for name in names:
            _raw(name, params)
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def _raw(name: str, params: dict) -> list:
    return db.session.execute(text(RAW[name]), params).all()


def _by_month(rows) -> dict[Month, int]:
    return {Month(y, m): int(v) for y, m, v in rows}


def _same_monthly(target: Target) -> bool:
    raw = "visitors by month" if target.metric == "visitors" else "exports by month"
    return monthly_totals(Scope.of(target)) == _by_month(_raw(raw, {}))


def _same_breakdowns(view: TargetView, window: dict, names: tuple[str, str, str]) -> bool:
    by_key_name, by_area_name, reporting_name = names
    first, last = Month(window["first"], 1), Month(window["last"], 12)
    app_by_key = {(m, k): v for m, k, v in queries.by_key(view.scope, first, last)}
    raw_by_key = {(Month(y, m), k): int(v) for y, m, k, v in _raw(by_key_name, window)}
    prefectures = view.children
    year = Month(window["last"] - 1, 1), Month(window["last"], 12)
    app_by_area = {(a, m): v for a, m, v in queries.by_area(view.scope, prefectures, *year)}
    raw_by_area = {(a, Month(y, m)): int(v) for a, y, m, v in _raw(by_area_name, window)}
    counts, _units = queries.reporting(view.scope, prefectures, Month(window["last"], 1), Month(window["last"], 12))
    raw_counts = {(a, Month(y, m)): int(n) for a, y, m, n in _raw(reporting_name, window)}
    return app_by_key == raw_by_key and app_by_area == raw_by_area and counts == raw_counts


def _same_visitor_breakdowns(view: TargetView, window: dict) -> bool:
    return _same_breakdowns(view, window, ("visitors by month and market", "visitors by prefecture",
                                           "municipalities reporting"))


def _same_export_breakdowns(view: TargetView, window: dict) -> bool:
    rows, kind = queries.by_product(view.scope, Month(window["last"], 1), Month(window["last"], 12))
    raw = {(Month(y, m), code): int(v) for y, m, code, v in _raw("exports by HS code", window)}
    same_products = kind == "hs" and {(m, k): v for m, k, v in rows} == raw
    return same_products and _same_breakdowns(view, window, ("exports by month and destination",
                                                             "exports by prefecture", "exporters reporting"))


def _same_progress(client, target: Target) -> bool:
    body = client.get(f"/api/v1/targets/{target.id}/progress").get_json()
    annual: dict[int, int] = defaultdict(int)
    for (year, _month, value) in _raw("visitors by month", {}):
        annual[year] += int(value)
    return {y["year"]: y["actual"] for y in body["years"] if y["actual"] is not None} == dict(annual)


def _rows(table: str) -> int:
    return db.session.scalar(text(f"SELECT COUNT(*) FROM {table}"))


def _line(question: str, app: tuple[float, float, int], raw_ms: float, same: bool) -> None:
    app_ms, cpu_ms, size = app
    print(f"{question:<34} {app_ms:>8.1f} {cpu_ms:>8.1f} {raw_ms:>11.1f} {app_ms / raw_ms:>7.3f} {size / 1024:>8.0f}  "
          f"{'identical' if same else 'DIFFER'}")


if __name__ == "__main__":
    main()
