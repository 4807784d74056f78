"""A target page's first load: plotly.js only as the tracker's own bundle, nothing from beyond the app, the charts in
the window drawn first and every chart drawn without a scroll (the timing itself is benchmarks/first_load.py's)."""

from datetime import date

import pytest
from sqlalchemy import select

from tests import factories
from tests.browser.steps import log_in
from tracker.assets import TRACKER_TRACES
from tracker.extensions import db
from tracker.models import User
from tracker.periods import Month
from tracker.rollups import rebuild_visitor_rollups

pytestmark = pytest.mark.browser

# the order in which the page's charts are first seen drawn (a map once its prefectures are there too)
WATCH_CHARTS = """(() => {
  window.drawnCharts = [];
  const isDrawn = chart => chart.querySelector("svg.main-svg") &&
    (!chart.classList.contains("map") || chart.querySelector("path.choroplethlocation"));
  new MutationObserver(() => {
    for (const chart of document.querySelectorAll(".chart")) {
      if (!window.drawnCharts.includes(chart.id) && isDrawn(chart)) window.drawnCharts.push(chart.id);
    }
  }).observe(document, {childList: true, subtree: true});
})();"""
EVERY_CHART_DRAWN = "() => window.drawnCharts.length === document.querySelectorAll('.chart').length"
CHARTS = ["chart-map", "chart-annual", "chart-running", "chart-monthly", "chart-markets", "chart-areas",
          "chart-reporting"]


@pytest.fixture
def national_target(app):
    """The nation's target: its page has the prefecture map above six charts."""
    nation, sapporo = factories.area("JP"), factories.area("011002")
    this_month = Month.of(date.today())
    for month in (this_month.shift(-i) for i in range(24)):
        factories.visitor_count(nation, month.year, month.month, "CN", 2_000_000)
        factories.visitor_count(sapporo, month.year, month.month, "TW", 20_000)
    rebuild_visitor_rollups()
    target = factories.target(nation, baseline_year=this_month.year - 2, baseline_value=31_882_049,
                              target_year=this_month.year + 4, target_value=60_000_000)
    factories.user("viewer", email="leader@example.jp")
    db.session.commit()
    return target


def test_the_target_page_loads_only_the_tracker_bundle_and_draws_every_chart_without_a_scroll(
        live_server, offline_page, national_target):
    page = offline_page
    log_in(page, live_server, db.session.scalar(select(User).where(User.email == "leader@example.jp")))
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.add_init_script(WATCH_CHARTS)
    page.goto(f"{live_server}/dashboard/targets/{national_target.id}")
    page.wait_for_function(EVERY_CHART_DRAWN)

    assert sorted(page.evaluate("window.drawnCharts")) == sorted(CHARTS)
    assert page.evaluate("window.scrollY") == 0
    assert page.locator("#chart-map path.choroplethlocation").count() >= 47
    assert [url for url in requested if not url.startswith(f"{live_server}/")] == []
    scripts = [url for url in requested if "plotly" in url]
    assert len(scripts) == 1 and scripts[0].startswith(f"{live_server}/static/vendor/plotly-tracker.min.")
    # the preloaded boundaries and topojson are the ones plotly draws: each asked for once
    assert len([url for url in requested if "/static/geo/japan-prefectures." in url]) == 1
    assert len([url for url in requested if url.endswith("/static/geo/topojson/world_110m.json")]) == 1
    assert sorted(page.evaluate("Object.keys(Plotly.PlotSchema.get().traces)")) == sorted(TRACKER_TRACES)
    assert page.failed_requests == []


def test_the_charts_in_the_window_are_drawn_before_those_above_it(live_server, offline_page, national_target):
    """Scrolled to the bottom while plotly.js is on its way (held back here), the page draws its last charts first."""
    page = offline_page
    log_in(page, live_server, db.session.scalar(select(User).where(User.email == "leader@example.jp")))
    page.add_init_script(WATCH_CHARTS)
    held = []
    page.route("**/static/vendor/plotly-tracker.*", lambda route: held.append(route))
    page.goto(f"{live_server}/dashboard/targets/{national_target.id}", wait_until="commit")
    # parsed and styled (each chart's place as tall as the styles make it); the deferred scripts wait
    page.wait_for_function("() => document.readyState === 'interactive' && "
                           "[...document.querySelectorAll('link[rel=stylesheet]')].every(link => link.sheet)")
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    assert page.evaluate("window.scrollY") > 2000
    while not held:
        page.wait_for_timeout(20)
    held[0].continue_()
    page.wait_for_function(EVERY_CHART_DRAWN)

    order = page.evaluate("window.drawnCharts")
    assert sorted(order) == sorted(CHARTS)
    assert order.index("chart-reporting") < order.index("chart-annual")
    assert order.index("chart-reporting") < order.index("chart-map")
    assert page.failed_requests == []
