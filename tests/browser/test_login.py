import pytest

from tests import factories
from tracker.extensions import db

pytestmark = pytest.mark.browser


def test_a_person_logs_in_and_sees_the_home_page(live_server, offline_page):
    page = offline_page
    officer = factories.user("officer", email="officer@example.jp", areas=[factories.area("011002")])
    factories.visitor_count(factories.area("JP"), 2015, 4, "CN", 1234567)
    db.session.commit()

    page.goto(f"{live_server}/")
    assert page.url.startswith(f"{live_server}/login")
    page.fill("input[name=email]", officer.email)
    page.fill("input[name=password]", factories.PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server}/")
    assert page.locator("h1").first.inner_text() in ("Home", "ホーム")
    assert page.get_by_text("1,234,567").is_visible()
    assert page.failed_requests == []
