from tests import factories
from tracker.extensions import db
from tracker.rollups import refresh_visitor_rollups

EN = {"Accept-Language": "en"}
JA = {"Accept-Language": "ja"}


def test_home_says_how_many_municipalities_reported_the_latest_month(client, auth):
    shibuya, chuo = factories.area("131130"), factories.area("131024")
    factories.visitor_count(shibuya, 2015, 3, "CN", 10)
    factories.visitor_count(shibuya, 2015, 4, "CN", 10)
    factories.visitor_count(chuo, 2015, 4, "KR", 5)
    factories.visitor_count(factories.area("JP"), 2015, 5, "CN", 1_000)  # the nation's own series: not a municipality
    refresh_visitor_rollups([(2015, 3), (2015, 4), (2015, 5)])
    viewer = factories.user("viewer")
    db.session.commit()
    auth.login(viewer.email)
    assert "<strong>2</strong> municipalities reported for April 2015" in client.get("/", headers=EN).get_data(
        as_text=True)
    assert "<strong>2</strong> 市区町村が2015年4月分を報告" in client.get("/", headers=JA).get_data(as_text=True)


def test_home_without_figures_says_nothing_of_reporting(client, auth):
    viewer = factories.user("viewer")
    db.session.commit()
    auth.login(viewer.email)
    assert "reported for" not in client.get("/", headers=EN).get_data(as_text=True)
