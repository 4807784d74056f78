from datetime import date

import pytest

from tests import factories
from tests.browser.steps import log_in
from tracker.extensions import db
from tracker.periods import Month
from tracker.rollups import rebuild_visitor_rollups

pytestmark = pytest.mark.browser

# Each chart's height before any is drawn: this listener is added before charts.js's, which starts the drawing.
HEIGHTS = """() => Object.fromEntries([...document.querySelectorAll(".chart")].map(c => [c.id, c.offsetHeight]))"""
RESERVED = f"""document.addEventListener("DOMContentLoaded", () => {{ window.reservedHeights = ({HEIGHTS})(); }});"""


def test_leadership_opens_a_target_and_every_chart_draws_offline(live_server, offline_page):
    page = offline_page
    errors, refused = [], []
    # A refused inline script or a plotly failure shows as a console error; a missing file as an HTTP error.
    page.on("console", lambda message: errors.append(message.text)
            if message.type == "error" and not message.text.startswith("Failed to load resource") else None)
    page.on("response", lambda response: refused.append(response.url)
            if response.status >= 400 and not response.url.endswith("/favicon.ico") else None)
    viewer = factories.user("viewer", email="leader@example.jp")
    nation, sapporo = factories.area("JP"), factories.area("011002")
    this_month = Month.of(date.today())
    for month in (this_month.shift(-i) for i in range(24)):
        factories.visitor_count(nation, month.year, month.month, "CN", 2_000_000)
        factories.visitor_count(nation, month.year, month.month, "KR", 1_000_000)
        factories.visitor_count(sapporo, month.year, month.month, "TW", 20_000)
    rebuild_visitor_rollups()
    target = factories.target(nation, name="60 million by 2030", baseline_year=this_month.year - 2,
                              baseline_value=31_882_049, target_year=this_month.year + 4, target_value=60_000_000)
    db.session.commit()

    log_in(page, live_server, viewer)
    page.add_init_script(RESERVED)
    page.goto(f"{live_server}/dashboard/")
    page.click(f"a[href='/dashboard/targets/{target.id}']")
    page.wait_for_url(f"{live_server}/dashboard/targets/{target.id}")
    for chart in ("annual", "running", "monthly", "markets", "areas", "reporting"):
        page.locator(f"#chart-{chart} svg.main-svg").first.wait_for(state="visible")
    assert page.locator("#chart-running .shapelayer path").count() >= 1  # the line of the latest figures
    page.locator("#chart-map svg.main-svg").first.wait_for(state="visible")
    # the page does not move as charts are drawn: each took the height it had reserved
    reserved = page.evaluate("window.reservedHeights")
    assert reserved["chart-annual"] == 450 and reserved["chart-map"] == 520
    assert page.evaluate(HEIGHTS) == reserved
    assert page.failed_requests == []
    assert errors == [] and refused == []


def test_the_chart_toolbar_is_in_japanese_and_offers_no_sharing(live_server, offline_page):
    page = offline_page
    viewer = factories.user("viewer", email="reader@example.jp", language="ja")
    nation = factories.area("JP")
    this_month = Month.of(date.today())
    for month in (this_month.shift(-i) for i in range(13)):
        factories.visitor_count(nation, month.year, month.month, "CN", 2_000_000)
    target = factories.target(nation, baseline_year=this_month.year - 2, baseline_value=20_000_000,
                              target_year=this_month.year + 4, target_value=60_000_000)
    db.session.commit()

    log_in(page, live_server, viewer)
    page.goto(f"{live_server}/dashboard/targets/{target.id}")
    chart = page.locator("#chart-annual")
    chart.locator("svg.main-svg").first.wait_for(state="visible")
    chart.hover()
    titles = [button.get_attribute("data-title") for button in chart.locator(".modebar-btn").all()]
    assert titles[0] == "グラフをPNGでダウンロード"
    assert "軸をリセット" in titles and "Share chart..." not in titles
    assert not any(title.isascii() for title in titles)  # every button in Japanese
    assert page.failed_requests == []
