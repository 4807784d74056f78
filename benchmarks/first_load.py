"""A target page's first load in Chromium on 127.0.0.1: from the navigation to every chart drawn, with an empty
cache, as leadership opens it after logging in (the goal: under 500 ms).

Printed per way of loading: the HTML received, the first contentful paint, plotly.js's size on the wire and
the moment it arrived, DOMContentLoaded (plotly.js evaluated and every chart drawn, since the scripts run before
it) and the last chart's SVG in place.

The app runs in this process on a demo database of its own (a temporary SQLite file), served by Werkzeug on a
free port; each run opens a new browser context (nothing cached), logs in as the demo viewer and opens the demo's
target page. Then the same page again in that context (plotly.js and the styles from the cache). Each is measured
once as the browser asks (brotli or gzip) and once asking for no compression (`Accept-Encoding: identity`), which
is how plotly.js's 4.8 MB went before the static files were compressed. Times are the browser's own
(`performance.now()` from the navigation's start).

    .venv/bin/python -m benchmarks.first_load --runs 7
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import threading

from flask_migrate import upgrade
from playwright.sync_api import sync_playwright
from sqlalchemy import select
from werkzeug.serving import make_server

from tracker import create_app
from tracker.demo import load_demo
from tracker.extensions import db
from tracker.models import Target

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
                 "--disable-default-apps", "--disable-extensions"]
GOAL_MS = 500
# every chart panel holds plotly's <svg class="main-svg">: the moment the last one appears, in ms from navigation
CHARTS_DRAWN = """() => {
  const charts = [...document.querySelectorAll(".chart")];
  return charts.length > 0 && charts.every(chart => chart.querySelector("svg.main-svg")) && performance.now();
}"""
TIMINGS = """() => {
  const navigation = performance.getEntriesByType("navigation")[0];
  const plotly = performance.getEntriesByType("resource").find(entry => entry.name.includes("/plotly"));
  const paint = performance.getEntriesByName("first-contentful-paint")[0];
  return {html: navigation.responseEnd, paint: paint ? paint.startTime : null,
          plotly_bytes: plotly ? plotly.transferSize : null, plotly_ms: plotly ? plotly.responseEnd : null,
          dom: navigation.domContentLoadedEventEnd, load: navigation.loadEventEnd};
}"""


def prepare(folder: str):
    """The app on a fresh demo database; returns it with the viewer's login and the target page's path."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/first_load.sqlite", "SECRET_KEY": "benchmark"})
    with app.app_context():
        upgrade()
        demo = load_demo()
        db.session.commit()
        target_id = db.session.scalar(select(Target.id).order_by(Target.id))
        db.engine.dispose()
    viewer = next(account for account in demo.accounts if account.role == "viewer")
    return app, (viewer.email, viewer.password), f"/dashboard/targets/{target_id}"


def measure(browser, base: str, login: tuple[str, str], path: str, encoding: str | None) -> tuple[dict, dict]:
    """One new context: log in, open the page with nothing cached, then open it again."""
    headers = {"Accept-Encoding": encoding} if encoding else {}
    context = browser.new_context(extra_http_headers=headers)
    page = context.new_page()
    page.goto(f"{base}/login")
    page.fill("input[name=email]", login[0])
    page.fill("input[name=password]", login[1])
    page.click("input[type=submit]")
    page.wait_for_url(f"{base}/")
    loads = []
    for _visit in ("cold", "warm"):
        page.goto(f"{base}{path}")
        drawn = page.wait_for_function(CHARTS_DRAWN, polling="raf", timeout=30_000).json_value()
        page.wait_for_load_state("load")
        loads.append({**page.evaluate(TIMINGS), "charts": drawn})
    context.close()
    return loads[0], loads[1]


def median(rows: list[dict], key: str) -> float | None:
    values = [row[key] for row in rows if row[key] is not None]
    return statistics.median(values) if values else None


def report(label: str, rows: list[dict]) -> str:
    size = median(rows, "plotly_bytes")
    plotly = f"{size / 1e6:4.2f} MB" if size else "cache  "
    return (f"{label:<38} {median(rows, 'html'):5.0f} {median(rows, 'paint'):6.0f} {plotly} "
            f"{median(rows, 'plotly_ms'):6.0f} {median(rows, 'dom'):6.0f} {median(rows, 'charts'):7.0f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7, help="new browser contexts per way of asking (median shown)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        app, login, path = prepare(folder)
        server = make_server("127.0.0.1", 0, app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        base = f"http://127.0.0.1:{server.server_port}"
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                results = {}
                for label, encoding in (("compressed", None), ("uncompressed", "identity")):
                    runs = [measure(browser, base, login, path, encoding) for _run in range(args.runs)]
                    results[label] = runs
                browser.close()
        finally:
            server.shutdown()
            thread.join()
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"target page {path}, {args.runs} runs each, medians in ms from the navigation's start; "
          f"load average {load}")
    print(f"{'':<38} {'html':>5} {'paint':>6} {'plotly.js':>16} {'DCL':>6} {'charts':>7}")
    for label, runs in results.items():
        print(report(f"{label}, first load (empty cache)", [cold for cold, _warm in runs]))
        print(report(f"{label}, again (cached)", [warm for _cold, warm in runs]))
    first = median([cold for cold, _warm in results["compressed"]], "charts")
    print(f"goal: first load under {GOAL_MS} ms: {'met' if first < GOAL_MS else 'missed'} ({first:.0f} ms)")


if __name__ == "__main__":
    main()
