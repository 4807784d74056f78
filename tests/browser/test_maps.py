from datetime import date

import pytest

from tests import factories
from tests.browser.steps import log_in
from tracker.extensions import db
from tracker.periods import Month
from tracker.rollups import rebuild_visitor_rollups

pytestmark = pytest.mark.browser


def test_the_map_draws_47_prefectures_from_the_app_alone_and_a_click_opens_a_prefecture(live_server, offline_page):
    page = offline_page
    requested, errors, refused = [], [], []
    page.on("request", lambda request: requested.append(request.url))
    # a plotly failure shows as a console error; a missing file (the boundaries, the topojson) as an HTTP error
    page.on("console", lambda message: errors.append(message.text)
            if message.type == "error" and not message.text.startswith("Failed to load resource") else None)
    page.on("response", lambda response: refused.append(response.url)
            if response.status >= 400 and not response.url.endswith("/favicon.ico") else None)
    viewer = factories.user("viewer", email="leader@example.jp")
    chiyoda, shibuya, sapporo = factories.area("131016"), factories.area("131130"), factories.area("011002")
    chiyoda.office_lat, chiyoda.office_lng = 35.69388889, 139.7536111
    shibuya.office_lat, shibuya.office_lng = 35.66388889, 139.6977778
    sapporo.office_lat, sapporo.office_lng = 43.06208877, 141.3543886
    this_month = Month.of(date.today())
    for month in (this_month.shift(-i) for i in range(1, 14)):
        factories.visitor_count(chiyoda, month.year, month.month, "CN", 20_000)
        factories.visitor_count(shibuya, month.year, month.month, "US", 5_000)
        factories.visitor_count(sapporo, month.year, month.month, "TW", 8_000)
    rebuild_visitor_rollups()
    db.session.commit()

    log_in(page, live_server, viewer)
    page.goto(f"{live_server}/dashboard/")
    prefectures = page.locator("#chart-map .choroplethlayer .trace").first.locator("path.choroplethlocation")
    prefectures.nth(46).wait_for(state="attached")
    assert prefectures.count() == 47
    with_figures = page.locator("#chart-map .choroplethlayer .trace").nth(1).locator("path.choroplethlocation")
    assert with_figures.count() == 2  # Hokkaido and Tokyo, in code order
    page.screenshot(path="/tmp/maps_japan.png")

    hokkaido = with_figures.nth(0).bounding_box()
    page.mouse.click(hokkaido["x"] + hokkaido["width"] / 2, hokkaido["y"] + hokkaido["height"] / 2)
    page.wait_for_url(f"{live_server}/dashboard/?area=010006#map")
    points = page.locator("#chart-map .scatterlayer .trace.scattergeo path.point")
    points.first.wait_for(state="attached")
    assert points.count() == 1  # Sapporo at its office
    page.click("a.map-up")
    page.wait_for_url(f"{live_server}/dashboard/#map")
    page.goto(f"{live_server}/dashboard/?area=130001&map=growth")
    points.nth(1).wait_for(state="attached")
    assert points.count() == 2  # Chiyoda and Shibuya

    assert [url for url in requested if not url.startswith(f"{live_server}/")] == []
    assert any(url.startswith(f"{live_server}/static/geo/topojson/world_110m.json") for url in requested)
    assert page.failed_requests == [] and errors == [] and refused == []
