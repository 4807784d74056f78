"""A target page's first load in Chromium on 127.0.0.1, as leadership opens it after logging in: from the navigation
to the first screen's charts drawn (the goal: under 500 ms with an empty cache), and to every chart of the page drawn.

charts.js draws the charts in or near the window first and then the others, one a task, without waiting for a
scroll: "every chart" is the whole page drawn, nothing left for later. A chart counts as drawn when plotly's <svg
class="main-svg"> is in it and, for a map, its prefectures' shapes too (they follow the boundaries' download).
"First screen" is the charts whose places meet the 1,280 x 720 window at DOMContentLoaded, before charts.js draws
any.

Printed per way of loading: the HTML received, the first contentful paint, plotly.js's size on the wire and the
moment it arrived, DOMContentLoaded, the first screen's charts drawn and every chart drawn. The app runs in this
process on a demo database of its own (a temporary SQLite file), served by Werkzeug on a free port; each run opens a
new browser context (nothing cached), logs in as the demo viewer and opens the demo's target page, then the same page
again in that context (plotly.js and the styles from the cache). Each is measured once as the browser asks (brotli
or gzip) and once asking for no compression (`Accept-Encoding: identity`). Times are the browser's own
(`performance.now()` from the navigation's start), recorded as the page changes (a MutationObserver), not polled.

    .venv/bin/python -m benchmarks.first_load --runs 7
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import threading
from datetime import date

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
VIEWPORT = {"width": 1280, "height": 720}
# Installed before the page's own scripts: notes the charts in the window once the HTML is parsed, and the moment each
# chart is first seen drawn.
WATCH_CHARTS = """(() => {
  const drawn = {}, firstScreen = [];
  window.__charts = {drawn, firstScreen};
  const isDrawn = chart => chart.querySelector("svg.main-svg") &&
    (!chart.classList.contains("map") || chart.querySelector("path.choroplethlocation"));
  new MutationObserver(() => {
    for (const chart of document.querySelectorAll(".chart")) {
      if (!(chart.id in drawn) && isDrawn(chart)) drawn[chart.id] = performance.now();
    }
  }).observe(document, {childList: true, subtree: true});
  // before charts.js's own listener (this one is older): the page laid out with its styles, no chart drawn yet
  document.addEventListener("DOMContentLoaded", () => {
    for (const chart of document.querySelectorAll(".chart")) {
      const box = chart.getBoundingClientRect();
      if (box.bottom > 0 && box.top < innerHeight) firstScreen.push(chart.id);
    }
  });
})();"""
# every chart of the page drawn: the moments the first screen's and the last chart were, in ms from the navigation
CHARTS_DRAWN = """() => {
  const {drawn, firstScreen} = window.__charts;
  const charts = [...document.querySelectorAll(".chart")].map(chart => chart.id);
  if (!charts.length || !charts.every(id => id in drawn)) return false;
  return {first_screen: Math.max(...firstScreen.map(id => drawn[id])), charts: Math.max(...charts.map(id => drawn[id])),
          count: charts.length, in_first_screen: firstScreen.length};
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
        demo = load_demo(date.today())
        db.session.commit()
        target_id = db.session.scalar(select(Target.id).order_by(Target.id))
        db.engine.dispose()
    viewer = next(account for account in demo.accounts if account.role == "viewer")
    return app, (viewer.email, viewer.password), f"/dashboard/targets/{target_id}"


def measure(browser, base: str, login: tuple[str, str], path: str, encoding: str | None) -> tuple[dict, dict]:
    """One new context: log in, open the page with nothing cached, then open it again."""
    headers = {"Accept-Encoding": encoding} if encoding else {}
    context = browser.new_context(extra_http_headers=headers, viewport=VIEWPORT)
    page = context.new_page()
    page.goto(f"{base}/login")
    page.fill("input[name=email]", login[0])
    page.fill("input[name=password]", login[1])
    page.click("input[type=submit]")
    page.wait_for_url(f"{base}/")
    page.add_init_script(WATCH_CHARTS)
    loads = []
    for _visit in ("cold", "warm"):
        page.goto(f"{base}{path}")
        drawn = page.wait_for_function(CHARTS_DRAWN, polling="raf", timeout=30_000).json_value()
        page.wait_for_load_state("load")
        loads.append({**page.evaluate(TIMINGS), **drawn})
    context.close()
    return loads[0], loads[1]


def median(rows: list[dict], key: str) -> float | None:
    values = [row[key] for row in rows if row[key] is not None]
    return statistics.median(values) if values else None


def report(label: str, rows: list[dict]) -> str:
    size = median(rows, "plotly_bytes")
    plotly = f"{size / 1e6:4.2f} MB" if size else "cache  "
    return (f"{label:<38} {median(rows, 'html'):5.0f} {median(rows, 'paint'):6.0f} {plotly} "
            f"{median(rows, 'plotly_ms'):6.0f} {median(rows, 'dom'):6.0f} {median(rows, 'first_screen'):7.0f} "
            f"{median(rows, 'charts'):7.0f}")


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
    first_row = results["compressed"][0][0]
    print(f"{first_row['count']} charts on the page, {first_row['in_first_screen']} of them in the first screen "
          f"({VIEWPORT['width']} x {VIEWPORT['height']}); every chart is drawn without scrolling")
    print(f"{'':<38} {'html':>5} {'paint':>6} {'plotly.js':>16} {'DCL':>6} {'screen':>7} {'charts':>7}")
    for label, runs in results.items():
        print(report(f"{label}, first load (empty cache)", [cold for cold, _warm in runs]))
        print(report(f"{label}, again (cached)", [warm for _cold, warm in runs]))
    cold = [cold for cold, _warm in results["compressed"]]
    first, every = median(cold, "first_screen"), median(cold, "charts")
    print(f"goal: first load under {GOAL_MS} ms (navigation to the first screen's charts drawn, compressed, empty "
          f"cache): {'met' if first < GOAL_MS else 'missed'} ({first:.0f} ms; every chart drawn at {every:.0f} ms)")


if __name__ == "__main__":
    main()
