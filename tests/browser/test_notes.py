import re
import subprocess
from datetime import date

import pytest

from tests import factories
from tests.browser.steps import log_in
from tracker.extensions import db
from tracker.formatting import month_label
from tracker.periods import Month

pytestmark = pytest.mark.browser


def test_an_officer_notes_a_month_and_a_viewer_sees_it_on_the_target_page_and_in_its_pdf(live_server, offline_page,
                                                                                         tmp_path):
    page = offline_page
    tokyo = factories.area("130001")
    this_month = Month.of(date.today())
    noted = this_month.shift(-2)
    for month in (this_month.shift(-i) for i in range(1, 25)):
        factories.visitor_count(tokyo, month.year, month.month, "CN", 300_000)
    target = factories.target(tokyo, name="Tokyo 5 million", baseline_year=this_month.year - 2,
                              baseline_value=3_600_000, target_year=this_month.year + 3, target_value=5_000_000)
    officer = factories.user("officer", email="officer@example.jp", areas=[tokyo], language="en")
    viewer = factories.user("viewer", email="leader@example.jp", language="en")
    db.session.commit()

    log_in(page, live_server, officer)
    page.goto(f"{live_server}/visitors/130001/{noted}")
    page.fill("#note-text", "Typhoon closed Haneda for two days")
    page.click("#notes button[type=submit]")
    page.wait_for_url(f"{live_server}/visitors/130001/{noted}")
    assert page.get_by_text("Note saved.").is_visible()
    assert page.locator("#notes .note-text").inner_text() == "Typhoon closed Haneda for two days"
    page.click("form[action='/logout'] button")

    log_in(page, live_server, viewer)
    page.goto(f"{live_server}/dashboard/targets/{target.id}")
    chart = page.locator("#chart-monthly")
    chart.locator("svg.main-svg").first.wait_for(state="visible")
    assert "Notes" in chart.locator(".legend .legendtext").all_text_contents()
    marker = chart.locator(".scatterlayer .trace").last.locator("path.point")
    assert marker.count() == 1
    # hovering the month anywhere lists its notes (the toolbar covers the chart's top right while the mouse is in)
    chart.scroll_into_view_if_needed()
    box = marker.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + 120, steps=5)
    hover = chart.locator(".hoverlayer")
    hover.locator("text", has_text="Typhoon closed Haneda for two days").first.wait_for(state="visible")
    assert page.failed_requests == []

    # and in the target's PDF, fetched with the viewer's session from the printable page's link
    page.click("text=Print / PDF")
    page.wait_for_url(f"{live_server}/reports/targets/{target.id}")
    assert "Typhoon closed Haneda for two days" in page.locator("#section-notes").inner_text()
    pdf = page.request.get(live_server + page.locator("a.button.primary").get_attribute("href"))
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    saved = tmp_path / "target.pdf"
    saved.write_bytes(pdf.body())
    text = subprocess.run(["pdftotext", "-layout", str(saved), "-"], check=True, capture_output=True,
                          text=True).stdout
    assert "Tokyo 5 million" in text
    assert re.search(rf"{month_label(noted.year, noted.month, 'en')} +Tokyo +Typhoon closed Haneda for two days",
                     text)
    assert page.failed_requests == []
