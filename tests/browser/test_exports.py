import pytest
from sqlalchemy import select

from tests import factories
from tests.browser.steps import log_in
from tracker.extensions import db
from tracker.models import ExportSale, Revision

pytestmark = pytest.mark.browser


def test_an_exporter_logs_in_and_logs_a_months_sales(live_server, offline_page):
    page = offline_page
    owner = factories.new_exporter(factories.area("172014"), name="金沢酒造")
    sake = factories.product(owner, "純米酒")
    factories.export_sale(sake, 2023, 4, "HK", 880_000)
    user = factories.user("exporter", email="sake@example.jp", exporter=owner, language="en")
    db.session.commit()

    log_in(page, live_server, user)
    page.goto(f"{live_server}/exports/")
    page.wait_for_url(f"{live_server}/exports/exporters/{owner.id}")
    page.goto(f"{live_server}/exports/exporters/{owner.id}/sales?month=2024-04")

    first = page.locator("table.sales tbody tr").first
    assert "880,000" in first.locator("td.last-year").inner_text()
    first.locator("input[name='rows-0-value_jpy']").fill("1,200,000")
    first.locator("input[name='rows-0-quantity']").fill("300")
    first.locator("select[name='rows-0-unit']").select_option("l")
    second = page.locator("table.sales tbody tr").nth(1)
    second.locator("input[name='rows-1-destination']").fill("us")
    second.locator("input[name='rows-1-value_jpy']").fill("45000")
    page.fill("textarea[name=note]", "April shipments")
    page.click("input[type=submit][name=submit]")

    page.wait_for_selector(".flash-success")
    assert "2 new" in page.locator(".flash-success").inner_text()
    db.session.rollback()  # a new snapshot: the live server committed in other connections
    saved = sorted((s.destination.code, s.value_jpy, s.unit)
                   for s in db.session.scalars(select(ExportSale).where(ExportSale.year == 2024)))
    assert saved == [("HK", 1_200_000, "l"), ("US", 45_000, None)]
    assert {r.note for r in db.session.scalars(select(Revision))} == {"April shipments"}
    assert page.locator("input[name='rows-0-value_jpy']").input_value() == "1200000"
    assert page.failed_requests == []


def test_a_new_line_takes_its_products_default_unit_and_more_lines_can_be_added(live_server, offline_page):
    page = offline_page
    owner = factories.new_exporter(factories.area("172014"), name="金沢茶舗")
    factories.product(owner, "純米酒")
    tea = factories.product(owner, "煎茶")
    tea.default_unit = "kg"
    user = factories.user("exporter", email="tea@example.jp", exporter=owner, language="en")
    db.session.commit()

    log_in(page, live_server, user)
    page.goto(f"{live_server}/exports/exporters/{owner.id}/sales?month=2024-04")

    lines = page.locator("table.sales tbody tr")
    assert lines.count() == 3
    page.click("#add-sale-line")
    assert lines.count() == 4
    line = lines.nth(3)
    line.locator("select[name='rows-3-product']").select_option(str(tea.id))
    assert line.locator("select[name='rows-3-unit']").input_value() == "kg"
    line.locator("input[name='rows-3-destination']").fill("TW")
    line.locator("input[name='rows-3-value_jpy']").fill("8000")
    line.locator("input[name='rows-3-quantity']").fill("2.5")
    page.click("input[type=submit][name=submit]")

    page.wait_for_selector(".flash-success")
    db.session.rollback()  # a new snapshot: the live server committed in other connections
    saved = [(s.product_id, s.destination.code, s.value_jpy, float(s.quantity), s.unit)
             for s in db.session.scalars(select(ExportSale))]
    assert saved == [(tea.id, "TW", 8000, 2.5, "kg")]
    assert page.failed_requests == []


def test_an_officer_downloads_a_selection_with_japanese_headers_and_is_told_of_an_unknown_area(
        live_server, offline_page):
    page = offline_page
    owner = factories.new_exporter(factories.area("131041"), name="新宿酒造")
    sake = factories.product(owner, "純米酒")
    factories.export_sale(sake, 2024, 1, "HK", 100)
    factories.export_sale(sake, 2024, 2, "US", 200)
    user = factories.user("officer", email="officer@example.jp", areas=[factories.area("130001")], language="en")
    db.session.commit()

    log_in(page, live_server, user)
    page.goto(f"{live_server}/exports/areas/130001")

    form = page.locator("form.export-selection")
    form.locator("input[name=area]").fill("130001, 999999")
    form.locator("button", has_text="Download CSV").click()
    page.wait_for_selector(".flash-error")
    assert page.locator(".flash-error").inner_text() == "Unknown area codes: 999999."

    form.locator("input[name=area]").fill("130001")
    form.locator("select[name=exporter]").select_option(str(owner.id))
    form.locator("input[name=from]").fill("2024-02")
    form.locator("input[name=destination]").fill("us")
    form.locator("select[name=product]").select_option(str(sake.id))
    form.locator("select[name=lang]").select_option("ja")
    with page.expect_download() as download:
        form.locator("button", has_text="Download CSV").click()
    text = download.value.path().read_text(encoding="utf-8-sig")
    assert text.splitlines() == ["輸出者,団体コード,年,月,品目,HSコード,仕向地,数量,単位,金額（円）",
                                 "新宿酒造,131041,2024,2,純米酒,220600,US,,,200"]
    # Chromium reports a navigation that turns into a download as an aborted request
    assert [url for url in page.failed_requests if "/exports/download.csv" not in url] == []
