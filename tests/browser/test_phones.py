"""A 390 px phone: every main page fits the width (a wide table scrolls inside itself, the page never), and the
charts' legends sit below their plots."""

from datetime import date

import pytest

from tests import factories
from tests.browser.steps import log_in
from tracker.admin import queries as admin_queries
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
    factories.note(str(this_month.shift(-1)), "10月は紅葉の団体客が多く、韓国からの来訪が前年の2倍でした。",
                   area=sapporo)
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
                   f"/reports/areas/JP/{last}", "/affiliations/", "/notes/", f"/notes/areas/011002/{last}"],
        "admin": ["/admin/users", "/admin/users/new", "/admin/areas", "/targets/", "/targets/new", "/admin/audit/",
                  "/reporting/rules", "/api/docs", "/imports/", "/notifications/outbox", "/affiliations/import"],
    }, users


@pytest.mark.parametrize(("role", "language"), [("officer", "ja"), ("officer", "en"), ("exporter", "ja"),
                                                ("exporter", "en"), ("viewer", "ja"), ("viewer", "en"),
                                                ("admin", "ja"), ("admin", "en")])
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


def _phone(browser, live_server, user, language):
    user.language = language
    db.session.commit()
    page = browser.new_context(viewport={"width": PHONE, "height": 800}).new_page()
    log_in(page, live_server, user)
    return page


@pytest.mark.parametrize("language", ["ja", "en"])
def test_every_menu_link_is_a_finger_size_to_tap_on_a_phone(live_server, browser, world, language):
    _pages, users = world
    page = _phone(browser, live_server, users["admin"], language)
    heights = page.locator(".main-nav a, .header-tools a, .header-tools button").evaluate_all(
        "links => links.map(link => [link.innerText, link.getBoundingClientRect().height])")
    page.context.close()
    assert len(heights) > 10
    assert [text for text, height in heights if height < 40] == []


SALES_LINES = """() => {
  const box = e => e.getBoundingClientRect();
  const heads = [...document.querySelectorAll('#sales-form table.sales thead th')].map(box);
  const overlaps = heads.flatMap((a, i) => heads.slice(i + 1).filter(b =>
    a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1)).length;
  const destination = document.querySelector('#sales-form table.sales tbody input[aria-label]');
  const unit = document.querySelector('#sales-form table.sales tbody select:not(.product-choice)');
  const fields = '#sales-form input:not([type=hidden]), #sales-form select, #sales-form button';
  const small = [...document.querySelectorAll(fields)].filter(e => box(e).height < 40).map(e => e.name || e.innerText);
  return {overlaps, destination: box(destination).width, unit: box(unit).width, small};
}"""


@pytest.mark.parametrize("language", ["ja", "en"])
def test_the_sales_line_shows_the_destination_s_name_and_headers_that_do_not_overlap_on_a_phone(
        live_server, browser, world, language):
    pages, users = world
    page = _phone(browser, live_server, users["exporter"], language)
    page.goto(f"{live_server}{pages['exporter'][1]}")
    seen = page.evaluate(SALES_LINES)
    page.context.close()
    assert seen["overlaps"] == 0
    assert seen["destination"] >= 200  # "Hong Kong", "United States" whole, not "Hon", "Unit"
    assert seen["unit"] >= 95  # "(単位なし)" / "(no unit)" whole
    assert seen["small"] == []  # every field a finger's size to tap


def test_the_exporter_s_months_stay_on_one_line_on_a_phone(live_server, browser, world):
    _pages, users = world
    page = _phone(browser, live_server, users["exporter"], "en")
    page.goto(f"{live_server}/")
    cells = page.locator("table th.month").evaluate_all(
        "cells => cells.map(cell => [cell.innerText, cell.getBoundingClientRect().height])")
    page.context.close()
    assert len(cells) == 12
    assert [text for text, height in cells if height > 40] == []  # "November 2026", not "Novem / ber / 2026"


def test_the_audit_s_columns_keep_readable_widths_on_a_phone(live_server, browser, world):
    _pages, users = world
    page = _phone(browser, live_server, users["admin"], "ja")
    page.goto(f"{live_server}/admin/audit/")
    record = page.locator("table.audit tbody tr").first.locator("td").nth(2)
    assert record.inner_text() == "メモ"
    box = record.bounding_box()
    width = page.evaluate("document.scrollingElement.scrollWidth")
    page.context.close()
    assert box["width"] >= 100  # "国際交流提携" on a line, not a character a line
    assert width <= PHONE  # the table scrolls inside itself


def test_the_notes_list_keeps_each_month_on_one_line_on_a_phone(live_server, browser, world):
    _pages, users = world
    page = _phone(browser, live_server, users["officer"], "ja")
    page.goto(f"{live_server}/notes/")
    lines = page.locator("main table tbody td:first-child a").evaluate_all(
        "links => links.map(link => [link.innerText, link.getClientRects().length])")
    page.context.close()
    assert len(lines) == 1
    assert [text for text, count in lines if count > 1] == []  # "2026年11月" on one line, not a character a line


# each row name with the number of lines its text takes
ROW_NAMES = """() => [...document.querySelectorAll('table.printed tbody th[scope=row]')].map(th => {
  const range = document.createRange();
  range.selectNodeContents(th);
  return [th.innerText, new Set([...range.getClientRects()].map(r => Math.round(r.top))).size];
})"""


def test_a_report_s_row_names_stay_on_one_line_on_a_phone(live_server, browser, world):
    pages, users = world
    page = _phone(browser, live_server, users["viewer"], "ja")
    page.goto(f"{live_server}{pages['viewer'][9]}")
    rows = page.evaluate(ROW_NAMES)
    tools = page.locator(".report-tools").evaluate("nav => [...nav.children].map(e => e.getBoundingClientRect().left)")
    page.context.close()
    assert len(rows) > 10
    assert [name for name, lines in rows if lines > 1] == []  # "アメリカ合衆国", not a character a line
    assert min(tools) >= 8  # the links keep off the screen's edge


SMALL_LINKS = """selector => [...document.querySelectorAll(selector)]
  .filter(e => e.getBoundingClientRect().height < 40).map(e => e.innerText)"""


@pytest.mark.parametrize(("role", "path", "selector"), [
    ("viewer", "/reports/areas/JP/{last}", ".report-tools > a, .report-tools button"),
    ("admin", "/api/docs", "main nav li > a")])
def test_the_links_of_reports_and_the_api_reference_are_a_finger_size_on_a_phone(
        live_server, browser, world, role, path, selector):
    pages, users = world
    last = pages["officer"][1].rsplit("/", 1)[1]
    page = _phone(browser, live_server, users[role], "en")
    page.goto(f"{live_server}{path.format(last=last)}")
    assert page.locator(selector).count() > 0
    small = page.evaluate(SMALL_LINKS, selector)
    page.context.close()
    assert small == []


def test_the_areas_pager_is_a_finger_size_on_a_phone(live_server, browser, world, monkeypatch):
    """Its Previous and Next were 26 px high."""
    monkeypatch.setattr(admin_queries, "AREAS_PER_PAGE", 1)  # the world's few areas, a page each
    _pages, users = world
    page = _phone(browser, live_server, users["admin"], "en")
    page.goto(f"{live_server}/admin/areas?page=2")
    links = page.locator("nav.pager a").all_inner_texts()
    small = page.evaluate(SMALL_LINKS, "nav.pager a")
    page.context.close()
    assert links == ["Previous", "Next"]
    assert small == []


# the cells shown: a chart's table folded in <details> is not laid out until opened
LINES = """selector => [...document.querySelectorAll(selector)].filter(cell => cell.checkVisibility()).map(cell => {
  const range = document.createRange();
  range.selectNodeContents(cell);
  return [cell.innerText, new Set([...range.getClientRects()].map(r => Math.round(r.top))).size];
})"""


def test_the_completeness_table_keeps_names_and_headings_whole_on_a_phone(live_server, browser, world):
    _pages, users = world
    page = _phone(browser, live_server, users["viewer"], "ja")
    page.goto(f"{live_server}/reporting/")
    names = page.evaluate(LINES, "main table tbody th[scope=row]")
    headings = page.evaluate(LINES, "main table thead th")
    width = page.evaluate("document.scrollingElement.scrollWidth")
    page.context.close()
    assert names and headings
    assert [name for name, lines in names if lines > 1] == []  # 北海道, not 北 / 海 / 道
    assert [heading for heading, lines in headings if lines > 1] == []  # 入力済み, not 入 / 力 / 済 / み
    assert width <= PHONE  # the table scrolls inside itself


NARROW_CELLS = """() => [...document.querySelectorAll('main table td, main table th')]
  .filter(cell => cell.innerText.trim() && cell.getBoundingClientRect().width < 60).map(cell => cell.innerText)"""


@pytest.mark.parametrize("path", ["/admin/users", "/targets/", "/admin/audit/"])
def test_a_list_s_columns_are_at_least_a_word_wide_on_a_phone(live_server, browser, world, path):
    _pages, users = world
    page = _phone(browser, live_server, users["admin"], "ja")
    page.goto(f"{live_server}{path}")
    narrow = page.evaluate(NARROW_CELLS)
    width = page.evaluate("document.scrollingElement.scrollWidth")
    page.context.close()
    assert narrow == []  # "admin@example.jp" and 訪日外国人旅行者数, not a character a line
    assert width <= PHONE
