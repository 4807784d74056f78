"""What a glance takes in: a checkbox beside its label, a styled outlier warning, a bar in its badge's colour."""

from datetime import date

import pytest

from tests import factories
from tests.browser.steps import log_in
from tracker.extensions import db
from tracker.periods import Month
from tracker.rollups import rebuild_visitor_rollups

pytestmark = pytest.mark.browser


def test_an_outlier_warning_stands_out_and_its_checkbox_sits_beside_its_label(live_server, offline_page):
    page = offline_page
    shibuya = factories.area("131130")
    factories.visitor_count(shibuya, 2014, 4, "CN", 100)
    officer = factories.user("officer", email="officer@example.jp", areas=[shibuya], language="en")
    db.session.commit()
    log_in(page, live_server, officer)

    page.goto(f"{live_server}/visitors/131130/2015-04")
    page.fill("input[name=visitors-CN]", "1000")
    page.click("input[type=submit][name=submit]")
    warning = page.locator(".warning.outliers")
    warning.wait_for(state="visible")
    style = warning.evaluate("""element => {
        const style = getComputedStyle(element);
        return {background: style.backgroundColor, border: parseFloat(style.borderLeftWidth),
                padding: parseFloat(style.paddingLeft)};
    }""")
    assert style["background"] not in ("rgba(0, 0, 0, 0)", "transparent")
    assert style["border"] >= 3 and style["padding"] >= 8

    box = page.locator("input[name=confirm_outliers]").bounding_box()
    label = page.locator("label[for=confirm_outliers]").bounding_box()
    assert box["width"] < 24  # its own size, not the form's width
    assert 0 <= label["x"] - (box["x"] + box["width"]) < 16  # just before its label
    first_line = label["y"] + min(label["height"], 28) / 2
    assert abs((box["y"] + box["height"] / 2) - first_line) < 8  # on the label's first line


def test_a_filter_checkbox_sits_beside_its_label_and_the_bar_takes_its_badges_colour(live_server, offline_page):
    page = offline_page
    viewer = factories.user("viewer", email="leader@example.jp", language="en")
    nation = factories.area("JP")
    this_month = Month.of(date.today())
    for month in (this_month.shift(-i) for i in range(1, 25)):
        factories.visitor_count(nation, month.year, month.month, "CN", 2_000_000)
    rebuild_visitor_rollups()
    target = factories.target(nation, name="20 million", baseline_year=this_month.year - 3,
                              baseline_value=10_000_000, target_year=this_month.year - 1, target_value=20_000_000)
    db.session.commit()
    log_in(page, live_server, viewer)

    page.goto(f"{live_server}/dashboard/")
    badge = page.locator(".card .status")
    assert badge.get_attribute("class") == "status status-met"
    colours = page.evaluate("""() => ({
        bar: getComputedStyle(document.querySelector(".card progress")).accentColor,
        badge: getComputedStyle(document.querySelector(".card .status")).color})""")
    assert colours["bar"] == colours["badge"] == "rgb(46, 125, 50)"

    page.goto(f"{live_server}/dashboard/targets/{target.id}")
    box = page.locator("input[name=approved]").bounding_box()
    text = page.evaluate("""() => {
        const label = document.querySelector("input[name=approved]").parentElement;
        const words = [...label.childNodes].find(node => node.nodeType === Node.TEXT_NODE && node.textContent.trim());
        const range = document.createRange();
        range.selectNodeContents(words);
        const rect = range.getBoundingClientRect();
        return {x: rect.x, y: rect.y, height: rect.height};
    }""")
    assert box["width"] < 24 and 0 <= text["x"] - (box["x"] + box["width"]) < 16
    assert abs((box["y"] + box["height"] / 2) - (text["y"] + text["height"] / 2)) < 6


def test_the_audit_writes_a_record_s_kind_on_one_line_and_a_form_s_checkboxes_have_no_bullets(live_server,
                                                                                              offline_page):
    page = offline_page
    sapporo = factories.area("011002")
    factories.visitor_count(sapporo, 2024, 4, "CN", 100)
    admin = factories.user("admin", email="admin@example.jp", language="ja")
    officer = factories.user("officer", email="officer@example.jp", areas=[sapporo], language="ja")
    db.session.commit()
    log_in(page, live_server, officer)
    page.goto(f"{live_server}/visitors/011002/2024-04")
    page.fill("input[name=visitors-CN]", "120")
    page.click("input[type=submit][name=submit]")
    page.wait_for_url("**/visitors/**")
    page.goto(f"{live_server}/affiliations/areas/011002/new")
    bullets = page.locator("ul:has(> li > input[type=checkbox])").evaluate(
        "list => getComputedStyle(list).listStyleType")
    assert bullets == "none"
    page.context.clear_cookies()
    log_in(page, live_server, admin)
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"{live_server}/admin/audit/")
    kind = page.locator("table.audit td.kind").first
    assert kind.inner_text() == "訪日外国人旅行者数"
    assert kind.evaluate("cell => cell.getClientRects().length && cell.getBoundingClientRect().height") < 40
