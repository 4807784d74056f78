import pytest
from sqlalchemy import select

from tests import factories
from tests.browser.steps import log_in
from tracker.extensions import db
from tracker.models import User

pytestmark = pytest.mark.browser



def test_a_japanese_browser_switches_to_english_and_the_account_remembers(browser, live_server):
    viewer = factories.user("viewer")
    factories.visitor_count(factories.area("JP"), 2015, 4, "CN", 19_737_409)
    db.session.commit()

    japanese = browser.new_context(locale="ja-JP")
    page = japanese.new_page()
    log_in(page, live_server, viewer)
    assert page.locator("html").get_attribute("lang") == "ja"
    assert page.locator("h1").first.inner_text() == "ホーム"
    assert page.get_by_role("link", name="ダッシュボード").first.is_visible()
    assert page.get_by_text("2015年").first.is_visible()

    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert page.url == f"{live_server}/"
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").first.inner_text() == "Home"
    assert page.get_by_role("button", name="日本語").is_visible()
    japanese.close()

    db.session.rollback()  # a new snapshot: the live server committed in other connections
    assert db.session.scalar(select(User.language).where(User.id == viewer.id)) == "en"
    again = browser.new_context(locale="ja-JP")  # another Japanese browser, the same account
    page = again.new_page()
    log_in(page, live_server, viewer)
    assert page.locator("h1").first.inner_text() == "Home"
    assert page.get_by_text("19,737,409").is_visible()
    again.close()
