import subprocess
from datetime import date

import pytest

from tests import factories
from tests.browser.steps import log_in
from tracker.extensions import db
from tracker.periods import Month
from tracker.rollups import rebuild_visitor_rollups

pytestmark = pytest.mark.browser


def test_leadership_prints_a_target_and_downloads_its_pdf_offline(live_server, offline_page, tmp_path):
    """The print page draws its charts with no network, and its PDF is made by the server while this test's own
    browser runs (Playwright's asyncio loop in this thread: the server renders in a thread of its own)."""
    page = offline_page
    refused = []
    page.on("response", lambda response: refused.append(response.url)
            if response.status >= 400 and not response.url.endswith("/favicon.ico") else None)
    viewer = factories.user("viewer", email="leader@example.jp", language="ja")
    nation = factories.area("JP")
    this_month = Month.of(date.today())
    for month in (this_month.shift(-i) for i in range(1, 25)):
        factories.visitor_count(nation, month.year, month.month, "CN", 2_000_000)
        factories.visitor_count(nation, month.year, month.month, "KR", 1_000_000)
    rebuild_visitor_rollups()
    target = factories.target(nation, name="6,000万人 2030", baseline_year=this_month.year - 2,
                              baseline_value=31_882_049, target_year=this_month.year + 4, target_value=60_000_000)
    db.session.commit()

    log_in(page, live_server, viewer)
    page.goto(f"{live_server}/dashboard/targets/{target.id}")
    page.click("text=印刷 / PDF")
    page.wait_for_url(f"{live_server}/reports/targets/{target.id}")
    for chart in ("annual", "monthly", "markets"):
        page.locator(f"#chart-{chart} svg.main-svg").first.wait_for(state="visible")
    assert page.locator("h1").inner_text() == "6,000万人 2030"
    # the map's 47 prefectures, drawn from the boundaries inside the page (none has figures of its own here)
    page.locator("#chart-map path.choroplethlocation").first.wait_for(state="attached")
    assert page.locator("#chart-map path.choroplethlocation").count() == 47

    pdf = page.request.get(live_server + page.locator("a.button.primary").get_attribute("href"))
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    saved = tmp_path / "report.pdf"
    saved.write_bytes(pdf.body())
    text = subprocess.run(["pdftotext", "-layout", str(saved), "-"], check=True, capture_output=True,
                          text=True).stdout
    assert "目標レポート" in text and "6,000万人 2030" in text and "市場別の構成比" in text
    assert page.failed_requests == [] and refused == []
