import pytest
from sqlalchemy import select

from tests import factories
from tests.browser.steps import log_in
from tracker.extensions import db
from tracker.models import Affiliation, Revision

pytestmark = pytest.mark.browser


def test_an_officer_adds_a_tie_and_sees_it_on_the_areas_page(live_server, offline_page):
    page = offline_page
    nagasaki = factories.area("422011")
    for year, us, others in [(2016, 100, 1000), (2017, 120, 1100), (2018, 180, 1150), (2019, 240, 1200)]:
        factories.visitor_count(nagasaki, year, 4, "US", us)
        factories.visitor_count(nagasaki, year, 4, "KR", others)
    officer = factories.user("officer", email="officer@example.jp", areas=[nagasaki], language="en")
    db.session.commit()
    log_in(page, live_server, officer)

    page.click("nav.main-nav >> text=Affiliations")
    page.click(f"a[href='/affiliations/areas/{nagasaki.code}']")
    page.click("text=Add an affiliation")
    page.fill("input[name=partner_name]", "セントポール市")
    page.fill("input[name=partner_name_en]", "Saint Paul")
    page.select_option("select[name=country]", "US")
    page.select_option("select[name=kind]", "sister")
    page.fill("input[name=established]", "2018")
    page.check("input[name=fields][value=education]")
    page.check("input[name=fields][value=tourism]")
    page.click("input[type=submit][name=submit]")
    page.wait_for_url(f"{live_server}/affiliations/areas/{nagasaki.code}")

    assert page.get_by_text("Saved.").is_visible()
    row = page.locator("#affiliation-list tbody tr").first
    assert "セントポール市" in row.inner_text() and "Education, Tourism" in row.inner_text()
    page.locator("#chart-timeline svg.main-svg").first.wait_for()
    comparison = page.locator("section[id^=comparison-]")
    comparison.locator("svg.main-svg").first.wait_for()
    assert "not proof of cause" in page.locator("p.panel").inner_text()
    assert page.failed_requests == []

    db.session.rollback()  # a new snapshot: the live server committed in its own connection
    tie = db.session.scalar(select(Affiliation))
    assert (tie.partner_name_en, tie.established_year, tie.fields) == ("Saint Paul", 2018, "education;tourism")
    assert db.session.scalar(select(Revision.record_key)) == "422011/US/Saint Paul"
