import io

import pytest
from sqlalchemy import select

from tests import factories
from tests.browser.steps import log_in
from tracker.extensions import db
from tracker.jobs import runner, services
from tracker.models import VisitorCount

pytestmark = pytest.mark.browser



def test_an_officer_enters_a_month_in_the_grid_and_uploads_a_file_with_an_error(live_server, offline_page, tmp_path):
    page = offline_page
    shibuya = factories.area("131130")
    officer = factories.user("officer", email="officer@example.jp", areas=[shibuya], language="en")
    db.session.commit()
    log_in(page, live_server, officer)

    page.goto(f"{live_server}/visitors/131130/2015-04")
    page.fill("input[name=visitors-CN]", "1200")
    page.fill("input[name=visitors-KR]", "300")
    assert page.locator("#grid-total").inner_text() == "1,500"
    # a column copied from a spreadsheet, pasted into the first cell, fills the cells below it
    page.locator("input[name=visitors-TW]").focus()
    page.evaluate("""() => {
        const data = new DataTransfer();
        data.setData("text/plain", "10\\n20\\n30\\n");
        const event = new ClipboardEvent("paste", {clipboardData: data, bubbles: true, cancelable: true});
        document.querySelector("input[name=visitors-TW]").dispatchEvent(event);
    }""")
    assert page.locator("input[name=visitors-HK]").input_value() == "20"
    assert page.locator("#grid-total").inner_text() == "1,560"
    # two columns, market and figure, in the sheet's own order: each figure lands in its market's cell
    page.evaluate("""() => {
        const data = new DataTransfer();
        data.setData("text/plain", "Hong Kong\\t25\\r\\nTW\\t15\\r\\n");
        const event = new ClipboardEvent("paste", {clipboardData: data, bubbles: true, cancelable: true});
        document.querySelector("input[name=visitors-CN]").dispatchEvent(event);
    }""")
    assert page.locator("input[name=visitors-CN]").input_value() == "1200"
    assert page.locator("input[name=visitors-HK]").input_value() == "25"
    assert page.locator("input[name=visitors-TW]").input_value() == "15"
    assert page.locator("#grid-total").inner_text() == "1,570"
    page.select_option("select[name=status]", "provisional")
    page.click("input[type=submit][name=submit]")
    page.wait_for_load_state()
    assert page.get_by_text("Saved: 5 figures changed.").is_visible()
    db.session.rollback()  # a new snapshot: the live server committed in other connections
    saved = db.session.execute(select(VisitorCount.visitors).order_by(VisitorCount.visitors)).scalars().all()
    assert saved == [15, 25, 30, 300, 1200]

    bad = tmp_path / "visitors.csv"
    bad.write_text("area_code,year,month,market,visitors\n131130,2015,5,CN,12\n131130,2015,5,KR,many\n")
    page.goto(f"{live_server}/visitors/import")
    page.set_input_files("input[type=file]", str(bad))
    page.click("input[type=submit][name=submit]")
    report = page.locator("#import-report")
    report.wait_for()
    assert "Not a whole number: many." in report.inner_text()
    assert report.locator("tbody tr td").first.inner_text() == "3"
    assert page.failed_requests == []

    # the upload was a job: the Imports page lists it, and its page shows the same report
    page.click("nav.main-nav >> text=Imports")
    page.wait_for_url(f"{live_server}/imports/")
    page.click("table.import-jobs >> text=visitors.csv")
    assert "Not a whole number: many." in page.locator("#import-report").inner_text()
    assert page.failed_requests == []


def test_a_job_page_follows_a_queued_import_until_its_report(live_server, offline_page, app, tmp_path):
    page = offline_page
    shibuya = factories.area("131130")
    officer = factories.user("officer", email="officer@example.jp", areas=[shibuya], language="en")
    content = io.BytesIO(b"area_code,year,month,market,visitors\n131130,2015,5,CN,12\n")
    job = services.create_job(officer, "visitors", "import", "may.csv", content,
                              upload_dir=app.config["TRACKER_UPLOAD_DIR"], language="en")
    db.session.commit()
    log_in(page, live_server, officer)

    page.goto(f"{live_server}/imports/{job.id}")
    assert page.locator("#job-state").inner_text() == "Waiting"
    page.locator("#upload-status").filter(has_text="Waiting for a worker").wait_for()
    with app.app_context():  # the worker's part, while the page polls the job
        runner.run_job(job.id)
    page.locator("#import-report").wait_for()
    assert "created 1, updated 0, unchanged 0" in page.locator("#import-report").inner_text()
    assert page.locator("#job-state").inner_text() == "Imported"
    assert page.failed_requests == []
