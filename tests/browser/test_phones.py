"""A 390 px phone: every main page fits the width (a wide table scrolls inside itself, the page never), and the
charts' legends sit below their plots."""

from datetime import date

import pytest

from tests import factories
from tests.browser.steps import log_in
from tracker.extensions import db
from tracker.periods import Month
from tracker.rollups import rebuild_export_rollups, rebuild_visitor_rollups

pytestmark = pytest.mark.browser

PHONE = 390
MARKETS = ("KR", "CN", "TW", "HK", "TH", "SG", "MY", "ID", "PH", "VN", "IN", "AU", "US", "CA", "GB", "FR", "DE",
           "IT", "ES", "RU", "ZZ")


@pytest.fixture
def world(app):
    nation, sapporo = factories.area("JP"), factories.area("011002")
    this_month = Month.of(date.today())
    months = [this_month.shift(-i) for i in range(1, 26)]
    for month in months:
        for rank, market in enumerate(MARKETS):
            factories.visitor_count(nation, month.year, month.month, market, 3_000_000 - 100_000 * rank)
            factories.visitor_count(sapporo, month.year, month.month, market, 90_000 - 4_000 * rank)
    owner = factories.new_exporter(factories.area("151009"), name="越後酒造協同組合")
    sake = factories.product(owner, "純米吟醸 越後の雪")
    for month in months:
        for destination in ("US", "HK", "TW", "SG"):
            factories.export_sale(sake, month.year, month.month, destination, 1_258_059)
    rebuild_visitor_rollups()
    rebuild_export_rollups()
    visitors = factories.target(nation, name="訪日外国人旅行者 6,000万人 (2030) / 60 million visitors by 2030",
                                baseline_year=this_month.year - 2, baseline_value=31_882_049,
                                target_year=this_month.year + 4, target_value=60_000_000)
    exports = factories.target(nation, name="輸出額", metric="export_value", include_subareas=True,
                               baseline_year=this_month.year - 2, baseline_value=100_000_000,
                               target_year=this_month.year + 4, target_value=200_000_000)
    users = {"officer": factories.user("officer", areas=[sapporo]),
             "exporter": factories.user("exporter", exporter=owner),
             "viewer": factories.user("viewer"), "admin": factories.user("admin")}
    db.session.commit()
    last = months[0]
    return {
        "officer": ["/", f"/visitors/011002/{last}", "/visitors/entry", "/visitors/", "/visitors/import", "/imports/",
                    "/reporting/queue", "/account"],
        "exporter": ["/", f"/exports/exporters/{owner.id}/sales?month={last}", f"/exports/exporters/{owner.id}",
                     "/exports/import", f"/exports/products/{sake.id}/edit", "/account"],
        "viewer": ["/", "/dashboard/", f"/dashboard/targets/{visitors.id}", f"/dashboard/targets/{exports.id}",
                   "/visitors/", "/exports/", "/exports/areas/JP", "/reporting/", f"/reports/targets/{visitors.id}",
                   f"/reports/areas/JP/{last}"],
        "admin": ["/admin/users", "/admin/users/new", "/admin/areas", "/targets/", "/targets/new", "/admin/audit/",
                  "/reporting/rules", "/api/docs"],
    }, users


@pytest.mark.parametrize(("role", "language"), [("officer", "ja"), ("officer", "en"), ("exporter", "ja"),
                                                ("exporter", "en"), ("viewer", "ja"), ("admin", "ja")])
def test_every_main_page_fits_a_phone_without_scrolling_sideways(live_server, browser, world, role, language):
    pages, users = world
    users[role].language = language
    db.session.commit()
    context = browser.new_context(viewport={"width": PHONE, "height": 800})
    page = context.new_page()
    log_in(page, live_server, users[role])
    too_wide = {}
    for path in pages[role]:
        response = page.goto(f"{live_server}{path}")
        assert response.status == 200, path
        page.wait_for_load_state("load")
        if page.locator("script.chart-data").count():
            page.locator(".chart svg.main-svg").first.wait_for(state="visible")
        width = page.evaluate("document.scrollingElement.scrollWidth")
        if width > PHONE:
            too_wide[path] = width
    context.close()
    assert too_wide == {}


LEGEND_BELOW = """() => Array.from(document.querySelectorAll('.chart')).filter(c => c.querySelector('.legend'))
  .map(chart => {
    const legend = chart.querySelector('.legend').getBoundingClientRect();
    const plot = chart.querySelector('.nsewdrag').getBoundingClientRect();
    const ticks = Array.from(chart.querySelectorAll('.xtick text')).map(t => t.getBoundingClientRect().bottom);
    return [chart.id, Math.round(legend.top - Math.max(plot.bottom, ...ticks))];
  })"""


def test_chart_legends_sit_below_the_plot_and_its_year_labels_on_a_phone(live_server, browser, world):
    pages, users = world
    context = browser.new_context(viewport={"width": PHONE, "height": 800})
    page = context.new_page()
    log_in(page, live_server, users["viewer"])
    page.goto(f"{live_server}{pages['viewer'][2]}")
    page.locator("#chart-monthly svg.main-svg").first.wait_for(state="visible")
    page.wait_for_timeout(300)
    gaps = dict(page.evaluate(LEGEND_BELOW))
    context.close()
    assert {"chart-annual", "chart-running", "chart-monthly"} <= gaps.keys()
    assert all(gap >= 0 for gap in gaps.values()), gaps


@pytest.mark.parametrize("language", ["ja", "en"])
def test_the_visitor_overview_shows_every_month_the_total_and_the_change_at_1280_px(live_server, browser, world,
                                                                                   language):
    _pages, users = world
    users["admin"].language = language
    db.session.commit()
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    log_in(page, live_server, users["admin"])
    page.goto(f"{live_server}/visitors/")
    scroll = page.locator(".table-scroll")
    widths = scroll.evaluate("box => [box.scrollWidth, box.clientWidth]")
    last_header = page.locator("table.overview thead th").last
    box, last = scroll.bounding_box(), last_header.bounding_box()
    context.close()
    assert widths[0] <= widths[1]  # nothing behind a scroll
    assert last["x"] + last["width"] <= box["x"] + box["width"]
