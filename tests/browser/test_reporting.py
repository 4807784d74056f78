import pytest
from sqlalchemy import select

from tests import factories
from tests.browser.steps import log_in
from tracker.extensions import db
from tracker.models import ReportingMonth, VisitorCount

pytestmark = pytest.mark.browser

LOCKED = ("Test City 131130, April 2015 is approved and locked: ask an approver to reopen it before changing its "
          "figures.")


def _page(browser, live_server, user):
    """A browser of its own for each person, recording failed requests."""
    page = browser.new_context(locale="en-US").new_page()
    failed = []
    page.on("requestfailed", lambda request: failed.append(request.url))
    page.failed_requests = failed
    log_in(page, live_server, user)
    return page


def test_an_officer_submits_a_month_the_prefecture_approves_it_and_a_reopen_unlocks_it(live_server, browser):
    shibuya = factories.area("131130")
    officer = factories.user("officer", email="officer@example.jp", areas=[shibuya], language="en")
    approver = factories.user("officer", email="tokyo@example.jp", areas=[shibuya.parent], language="en")
    db.session.commit()
    grid = f"{live_server}/visitors/131130/2015-04"

    # the officer enters April and submits it
    officer_page = _page(browser, live_server, officer)
    officer_page.goto(grid)
    officer_page.fill("input[name=visitors-CN]", "1200")
    officer_page.click("input[type=submit][name=submit]")
    officer_page.wait_for_load_state()
    assert officer_page.get_by_text("Saved: 1 figure changed.").is_visible()
    assert officer_page.locator(".reporting-panel strong").inner_text() == "entered"
    officer_page.click(".reporting-panel button:has-text('Submit')")
    officer_page.wait_for_load_state()
    assert officer_page.get_by_text("Test City 131130, April 2015: submitted.").is_visible()
    assert officer_page.locator(".reporting-panel strong").inner_text() == "submitted"

    # the prefecture's officer approves it from the queue
    approver_page = _page(browser, live_server, approver)
    approver_page.click("nav.main-nav >> text=Approvals")
    approver_page.check("input[name=selected][value='131130/2015-04']")
    approver_page.click("input[type=submit][name=approve]")
    approver_page.wait_for_load_state()
    assert approver_page.get_by_text("1 months approved.").is_visible()
    assert approver_page.get_by_text("Nothing is waiting for your approval.").is_visible()

    # the officer, whose form was opened before the approval, changes a figure: refused, with the unit and month
    officer_page.fill("input[name=visitors-CN]", "1300")
    officer_page.click("input[type=submit][name=submit]")
    officer_page.wait_for_load_state()
    assert officer_page.locator("p.error[role=alert]").first.inner_text() == LOCKED
    db.session.rollback()  # a new snapshot: the live server committed in other connections
    assert db.session.scalar(select(VisitorCount.visitors)) == 1200

    # the approver reopens it, giving a reason; the officer's save then goes through
    approver_page.goto(grid)
    assert approver_page.locator(".reporting-panel strong").inner_text() == "approved"
    approver_page.fill(".reporting-panel input[name=comment]", "Chinese visitors corrected by the city")
    approver_page.click(".reporting-panel button:has-text('Reopen')")
    approver_page.wait_for_load_state()
    assert approver_page.get_by_text("Test City 131130, April 2015: reopened.").is_visible()
    officer_page.goto(grid)
    officer_page.fill("input[name=visitors-CN]", "1300")
    officer_page.click("input[type=submit][name=submit]")
    officer_page.wait_for_load_state()
    assert officer_page.get_by_text("Saved: 1 figure changed.").is_visible()
    db.session.rollback()
    assert db.session.scalar(select(VisitorCount.visitors)) == 1300
    row = db.session.scalar(select(ReportingMonth))
    assert (row.status, row.reopen_reason) == ("open", "Chinese visitors corrected by the city")
    assert officer_page.failed_requests == [] and approver_page.failed_requests == []
