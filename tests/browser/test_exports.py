import pytest
from sqlalchemy import select

from tests import factories
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

    page.goto(f"{live_server}/login")
    page.fill("input[name=email]", user.email)
    page.fill("input[name=password]", factories.PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server}/")
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
    db.session.expire_all()
    saved = sorted((s.destination.code, s.value_jpy, s.unit)
                   for s in db.session.scalars(select(ExportSale).where(ExportSale.year == 2024)))
    assert saved == [("HK", 1_200_000, "l"), ("US", 45_000, None)]
    assert {r.note for r in db.session.scalars(select(Revision))} == {"April shipments"}
    assert page.locator("input[name='rows-0-value_jpy']").input_value() == "1200000"
    assert page.failed_requests == []
