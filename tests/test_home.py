import calendar

from tests import factories
from tracker.extensions import db
from tracker.reporting import units
from tracker.reporting.deadlines import latest_due_month, today

EN = {"Accept-Language": "en"}
JA = {"Accept-Language": "ja"}


def test_home_says_how_many_of_the_municipalities_reported_the_latest_month_that_is_due(client, auth):
    due = latest_due_month(units.rule("visitors"), today())
    shibuya, chuo, _minato = factories.area("131130"), factories.area("131024"), factories.area("131032")
    factories.visitor_count(shibuya, due.year, due.month, "CN", 10)
    factories.visitor_count(shibuya, due.shift(1).year, due.shift(1).month, "CN", 10)  # a month not due yet
    factories.visitor_count(chuo, due.shift(1).year, due.shift(1).month, "KR", 5)
    factories.visitor_count(factories.area("JP"), due.year, due.month, "CN", 1_000)  # the nation: not a unit
    viewer = factories.user("viewer")
    db.session.commit()
    auth.login(viewer.email)
    english = client.get("/", headers=EN).get_data(as_text=True)
    assert f"<strong>1</strong> of 3 municipalities reported {_english(due)}" in english
    japanese = client.get("/", headers=JA).get_data(as_text=True)
    assert f"3 市区町村のうち <strong>1</strong> が{due.year}年{due.month}月分を報告" in japanese


def _english(month) -> str:
    return f"{calendar.month_name[month.month]} {month.year}"


def test_home_without_municipalities_says_nothing_of_reporting(client, auth):
    viewer = factories.user("viewer")
    db.session.commit()
    auth.login(viewer.email)
    assert "municipalities reported" not in client.get("/", headers=EN).get_data(as_text=True)
