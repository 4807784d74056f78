"""Load test: the app under gunicorn (with gunicorn.conf.py) on the dashboard benchmark's database, driven by
locust in headless mode on 127.0.0.1, bounded in users and time.

Readers (four in five through the pages with a session, one in five through the API with its own token) read
the dashboard, the target pages and the API; officers save the entry grid of the same month, each its own area
(`--grid areas`) or its own markets of one shared area (`--grid markets`), re-reading the form before each save;
one more user logs in over and over. Prints throughput, p50/p95/p99 and errors per kind of request, the refusals
by kind, and the false conflicts (a save of figures nobody else changed, refused as a conflict); exits 1 when
the goal (no error, no false conflict, p95 under 200 ms for every read) is missed.

    export SECRET_KEY=bench DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/tracker_bench_dash
    .venv/bin/python -m benchmarks.load --users 50 --officers 5 --run-time 60

gunicorn runs with the repository's config: GUNICORN_WORKERS and GUNICORN_THREADS in the environment apply.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import runpy
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from pathlib import Path

from sqlalchemy import func, select, text

from benchmarks.dashboard import EMAIL as VIEWER_EMAIL
from benchmarks.dashboard import PASSWORD as VIEWER_PASSWORD
from benchmarks.dashboard import benchmark_targets
from tracker import create_app
from tracker.auth.services import create_user, find_user, issue_token, revoke_token, update_user
from tracker.extensions import db
from tracker.models import Area, ExportSale, Market, VisitorCount
from tracker.visitors.outliers import is_outlier

ROOT = Path(__file__).resolve().parent.parent
OFFICER_PASSWORD = "load-officer"
API_EMAIL = "load-api@example.jp"
API_TOKENS = 10
PREFECTURE = "130001"  # Tokyo: what the API readers ask about
READS = ("dashboard", "home page", "target page", "API: target progress", "API: visitors by market",
         "API: exports by month")
P95_GOAL_MS = 200
LOCUST_MESSAGE = re.compile(r"^\w+\((['\"])(.*)\1\)$")
LOGGED_EXCEPTION = re.compile(r"ERROR in app: Exception on (\S+) \[(\w+)\]")
EXCEPTION_LINE = re.compile(r"^[\w.]+(Error|Exception|Violation|Detected)\b.*")


def main() -> int:
    options = _options()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # run the clean-up below when told to stop
    plan = _prepare(options)
    out = Path(options.out or tempfile.mkdtemp(prefix="tracker-load-"))
    out.mkdir(parents=True, exist_ok=True)
    (out / "plan.json").write_text(json.dumps(plan), encoding="utf-8")
    port = _free_port()
    server_settings = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    print(f"{options.users} readers, {len(plan['officers'])} officers saving {plan['month']} ({options.grid}), "
          f"1 login loop, {options.run_time} s; gunicorn {server_settings['workers']} workers x "
          f"{server_settings['threads']} threads on 127.0.0.1:{port}; {plan['scale']}; files in {out}")
    started_load = os.getloadavg()
    server = _start_gunicorn(port, out)
    try:
        _wait_until_healthy(port, server)
        _run_locust(options, plan, port, out)
    finally:
        _stop(server)
    print(f"load average: {_load(started_load)} at the start, {_load(os.getloadavg())} at the end "
          f"({len(os.sched_getaffinity(0))} CPUs)")
    return _report(out)


def _options() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=50, help="readers of pages and the API (default 50)")
    parser.add_argument("--officers", type=int, default=5, help="officers saving the grid (default 5)")
    parser.add_argument("--run-time", type=int, default=60, help="seconds of load after the ramp (default 60)")
    parser.add_argument("--grid", choices=("areas", "markets"), default="areas",
                        help="officers save their own areas, or their own markets of one area (default areas)")
    parser.add_argument("--out", help="folder for the plan, locust's CSV files and gunicorn's logs")
    options = parser.parse_args()
    if not 1 <= options.officers <= 20 or not 1 <= options.users <= 200 or not 10 <= options.run_time <= 600:
        parser.error("keep the run bounded: 1-200 readers, 1-20 officers, 10-600 seconds")
    return options


def _prepare(options) -> dict:
    """The accounts, tokens, targets and grids of the run, created or brought up to date in the database."""
    app = create_app()
    with app.app_context():
        target_ids = [target.id for target in benchmark_targets()]
        year, month = db.session.execute(
            select(VisitorCount.year, VisitorCount.month).order_by(VisitorCount.year.desc(), VisitorCount.month.desc())
            .limit(1)).one()
        export_year = db.session.scalar(select(func.max(ExportSale.year)))
        grids = _grids(options, year, month)
        officers = []
        for number, (area_code, markets) in enumerate(grids, start=1):
            email = f"load-officer-{number}@example.jp"
            _account(email, OFFICER_PASSWORD, "officer", [area_code])
            officers.append({"email": email, "password": OFFICER_PASSWORD, "area": area_code, "markets": markets})
        api_user = _account(API_EMAIL, "load-api-reader", "viewer", [])
        for token in list(api_user.tokens):
            revoke_token(api_user, token.id)
        tokens = [issue_token(api_user) for _ in range(API_TOKENS)]
        db.session.commit()
        scale = (f"{db.engine.dialect.name}, {db.session.scalar(text('SELECT COUNT(*) FROM visitor_counts')):,} "
                 f"visitor rows")
        db.engine.dispose()
    return {"viewer": {"email": VIEWER_EMAIL, "password": VIEWER_PASSWORD}, "api_tokens": tokens,
            "targets": target_ids, "month": f"{year}-{month:02d}", "visitor_year": year,
            "export_year": export_year, "prefecture": PREFECTURE,
            "officers": officers, "scale": scale}


def _grids(options, year: int, month: int) -> list[tuple[str, list[str]]]:
    """Per officer, the area and the markets it changes: the first municipalities with figures that month, or one
    municipality whose markets are dealt out among the officers. Only figures that stay inside the outlier rule
    when moved by one are changed, so that no save waits for a confirmation."""
    current, last_year = _municipal_figures(year, month), _municipal_figures(year - 1, month)
    markets_by_area: dict[str, list[str]] = {}
    for (area_code, market), visitors in sorted(current.items()):
        base = last_year.get((area_code, market))
        if not any(is_outlier(value, base) for value in (visitors - 1, visitors, visitors + 1)):
            markets_by_area.setdefault(area_code, []).append(market)
    rows = list(markets_by_area.items())[:options.officers if options.grid == "areas" else 1]
    if options.grid == "areas":
        if len(rows) < options.officers:
            raise SystemExit(f"only {len(rows)} municipalities have figures for {year}-{month:02d}")
        return rows
    code, markets = rows[0]
    if len(markets) < options.officers:
        raise SystemExit(f"{code} has {len(markets)} markets for {options.officers} officers")
    return [(code, markets[number::options.officers]) for number in range(options.officers)]


def _municipal_figures(year: int, month: int) -> dict[tuple[str, str], int]:
    rows = db.session.execute(
        select(Area.code, Market.code, VisitorCount.visitors).join(VisitorCount, VisitorCount.area_id == Area.id)
        .join(Market, Market.id == VisitorCount.market_id)
        .where(Area.level == "municipality", VisitorCount.year == year, VisitorCount.month == month))
    return {(area_code, market): visitors for area_code, market, visitors in rows}


def _account(email: str, password: str, role: str, area_codes: list[str]):
    user = find_user(email)
    if user is None:
        return create_user(email, password, role, area_codes=area_codes)
    return update_user(user, name=user.name, role=role, area_codes=area_codes, exporter_name=None, active=True,
                       password=password)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _start_gunicorn(port: int, out: Path) -> subprocess.Popen:
    environment = dict(os.environ, GUNICORN_BIND=f"127.0.0.1:{port}")
    with open(out / "gunicorn.access.log", "wb") as access, open(out / "gunicorn.error.log", "wb") as errors:
        return subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "wsgi:app"],
                                cwd=ROOT, env=environment, stdout=access, stderr=errors)


def _wait_until_healthy(port: int, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited with status {server.returncode}: see gunicorn.error.log")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not answer /healthz within 60 s")


def _run_locust(options, plan: dict, port: int, out: Path) -> None:
    """Headless locust, stopped by itself after the run time; killed if it overruns by a minute."""
    users = options.users + len(plan["officers"]) + 1
    command = [sys.executable, "-m", "locust", "-f", str(Path(__file__).with_name("load_users.py")), "--headless",
               "--host", f"http://127.0.0.1:{port}", "-u", str(users), "-r", "10", "-t", f"{options.run_time}s",
               "--reset-stats", "--stop-timeout", "10", "--csv", str(out / "locust"), "--only-summary",
               "--loglevel", "WARNING", "--exit-code-on-error", "0"]
    environment = dict(os.environ, TRACKER_LOAD_PLAN=str(out / "plan.json"))
    with open(out / "locust.log", "wb") as log:
        try:
            subprocess.run(command, env=environment, stdout=log, stderr=subprocess.STDOUT, check=True,
                           timeout=options.run_time + users / 10 + 60)
        except subprocess.CalledProcessError as error:
            raise SystemExit(f"locust failed with status {error.returncode}: see {out / 'locust.log'}") from None


def _stop(server: subprocess.Popen) -> None:
    """SIGTERM (gunicorn's graceful stop), then SIGKILL if it is still there after its graceful timeout."""
    if server.poll() is not None:
        return
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(timeout=40)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def _report(out: Path) -> int:
    with open(out / "locust_stats.csv", encoding="utf-8") as stats_file:
        stats = list(csv.DictReader(stats_file))
    with open(out / "locust_failures.csv", encoding="utf-8") as failures_file:
        failures = list(csv.DictReader(failures_file))
    print(f"{'request':<30} {'count':>7} {'req/s':>6} {'p50':>6} {'p95':>6} {'p99':>6} {'max':>6} {'errors':>7}  ms")
    for row in stats:
        name = row["Name"] if row["Type"] else "all requests"
        print(f"{name:<30} {int(row['Request Count']):>7,} {float(row['Requests/s']):>6.1f} {row['50%']:>6} "
              f"{row['95%']:>6} {row['99%']:>6} {float(row['Max Response Time']):>6.0f} "
              f"{int(row['Failure Count']):>7,}")
    kinds = [(row["Name"], _message(row["Error"]), int(row["Occurrences"])) for row in failures]
    if kinds:
        print("errors by kind:")
        for name, message, count in sorted(kinds):
            print(f"  {name:<28} {message:<40} {count:>6,}")
    saves = next((int(row["Request Count"]) for row in stats if row["Name"] == "grid save"), 0)
    false_conflicts = sum(count for _name, message, count in kinds if message == "false conflict")
    print(f"false conflicts: {false_conflicts:,} of {saves:,} grid saves")
    exceptions = _server_exceptions(out / "gunicorn.error.log")
    if exceptions:
        print("exceptions in gunicorn.error.log (the last line of each traceback):")
        for exception, count in exceptions.most_common():
            print(f"  {count:>6,}  {exception[:160]}")
    counted = {row["Name"]: row for row in stats if row["Type"] and int(row["Request Count"])}
    slow = [name for name in READS if name in counted and float(counted[name]["95%"]) >= P95_GOAL_MS]
    unread = [name for name in READS if name not in counted]
    total = next(row for row in stats if not row["Type"])
    missed = [f"{int(total['Failure Count']):,} errors"] if int(total["Failure Count"]) else []
    missed += [f"{false_conflicts:,} false conflicts"] if false_conflicts else []
    missed += [f"p95 of {', '.join(slow)} at {P95_GOAL_MS} ms or more"] if slow else []
    missed += [f"no request for {', '.join(unread)}"] if unread else []
    print(f"goal (0 errors, 0 false conflicts, p95 under {P95_GOAL_MS} ms for every read): "
          + (f"MISSED: {'; '.join(missed)}" if missed else "met"))
    return 1 if missed else 0


def _server_exceptions(log: Path) -> Counter:
    """The exception that ended each traceback the app logged (a chained traceback ends with the outer one)."""
    found: Counter = Counter()
    last = None
    for line in log.read_text(encoding="utf-8", errors="replace").splitlines():
        if LOGGED_EXCEPTION.search(line) or line.startswith("["):
            if last:
                found[last] += 1
            last = None
        elif EXCEPTION_LINE.match(line):
            last = line
    if last:
        found[last] += 1
    return found


def _message(error: str) -> str:
    """locust writes a failure as the exception's repr, e.g. CatchResponseError('false conflict')."""
    match = LOCUST_MESSAGE.match(error)
    return match.group(2) if match else error


def _load(averages: tuple[float, float, float]) -> str:
    return " ".join(f"{value:.1f}" for value in averages)


if __name__ == "__main__":
    sys.exit(main())
