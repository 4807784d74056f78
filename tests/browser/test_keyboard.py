"""The visitor grid and the sales form with the keyboard alone: Tab, Shift+Tab, typing, arrow keys and Enter, never
a click; what is saved is read back from the database."""

import pytest
from sqlalchemy import select

from tests import factories
from tests.browser.steps import log_in
from tracker.extensions import db
from tracker.models import ExportSale, VisitorCount

pytestmark = pytest.mark.browser

FOCUSED = """() => {
    const element = document.activeElement;
    const style = getComputedStyle(element);
    return {name: element.name || element.id || element.textContent.trim(), tag: element.tagName,
            ring: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0};
}"""


def _tab_to(page, name: str, key: str = "Tab", limit: int = 80) -> dict:
    """Press Tab (or Shift+Tab) until the field named `name` has the focus, which shows a focus ring."""
    for _ in range(limit):
        page.keyboard.press(key)
        focused = page.evaluate(FOCUSED)
        if focused["name"] == name:
            assert focused["ring"], f"{name} has the focus but shows no focus ring"
            return focused
    raise AssertionError(f"{name} cannot be reached with {key}")


def test_an_officer_fills_and_saves_the_visitor_grid_with_the_keyboard_alone(live_server, offline_page):
    page = offline_page
    shibuya = factories.area("131130")
    officer = factories.user("officer", email="officer@example.jp", areas=[shibuya], language="en")
    db.session.commit()
    log_in(page, live_server, officer)
    page.goto(f"{live_server}/visitors/131130/2015-04")

    _tab_to(page, "visitors-KR")
    page.keyboard.type("1200")
    page.keyboard.press("ArrowDown")  # the market below, as in a spreadsheet column
    page.keyboard.type("300")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowUp")  # back on the first cell, its figure selected: typing replaces it
    page.keyboard.type("1250")
    page.keyboard.press("Tab")  # Tab selects the next cell's figure (300), and Tab again the one after
    page.keyboard.press("Tab")
    page.keyboard.type("40")
    _tab_to(page, "visitors-KR", key="Shift+Tab")
    assert page.locator("#grid-total").inner_text() == "1,590"
    _tab_to(page, "status")
    page.keyboard.press("ArrowDown")  # the next status word, without opening the list
    chosen = page.locator("select[name=status]").input_value()
    _tab_to(page, "submit")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator(".flash").inner_text() == "Saved: 3 figures changed."


    db.session.rollback()  # a new snapshot: the live server committed in other connections
    saved = {(row.market.code, row.visitors, row.status) for row in db.session.scalars(select(VisitorCount))}
    markets = [cell.get_attribute("data-market") for cell in page.locator("input.grid-cell").all()[:3]]
    assert saved == {(markets[0], 1250, chosen), (markets[1], 300, chosen), (markets[2], 40, chosen)}
    assert page.failed_requests == []


def test_an_exporter_fills_and_saves_the_sales_form_with_the_keyboard_alone(live_server, offline_page):
    page = offline_page
    owner = factories.new_exporter(factories.area("172014"), name="金沢酒造")
    sake = factories.product(owner, "純米酒")
    factories.export_sale(sake, 2023, 4, "HK", 880_000)
    user = factories.user("exporter", email="sake@example.jp", exporter=owner, language="ja")
    db.session.commit()
    log_in(page, live_server, user)
    page.goto(f"{live_server}/exports/exporters/{owner.id}/sales?month=2024-04")

    # last year's line (Hong Kong) is there: its value, then its quantity, and its unit with the arrow keys
    _tab_to(page, "rows-0-value_jpy")
    page.keyboard.type("120万")
    _tab_to(page, "rows-0-quantity")
    page.keyboard.type("300")
    _tab_to(page, "rows-0-unit")
    unit = page.locator("select[name='rows-0-unit']")
    page.keyboard.press("Home")  # "(no unit)", then down the list to kg
    for _ in range(5):
        if unit.input_value() == "kg":
            break
        page.keyboard.press("ArrowDown")
    # a new line from the button, with Enter: the focus lands on its destination, picked by its name
    lines = page.locator("table.sales tbody tr").count()
    _tab_to(page, "add-sale-line")
    page.keyboard.press("Enter")
    assert page.evaluate(FOCUSED)["name"] == f"rows-{lines}-destination"
    page.keyboard.type("台湾")
    page.keyboard.press("Tab")
    page.keyboard.type("¥45,000")
    _tab_to(page, "note")
    page.keyboard.type("四月の出荷")
    _tab_to(page, "submit")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator(".flash-success").count() == 1, page.locator("main").inner_text()

    db.session.rollback()  # a new snapshot: the live server committed in other connections
    saved = sorted((s.destination.code, s.value_jpy, s.quantity and float(s.quantity), s.unit)
                   for s in db.session.scalars(select(ExportSale).where(ExportSale.year == 2024)))
    assert saved == [("HK", 1_200_000, 300.0, "kg"), ("TW", 45_000, None, None)]
    assert page.failed_requests == []
