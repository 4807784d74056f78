from sqlalchemy import select

from tests import factories
from tracker.extensions import db
from tracker.models import VisitorRollup
from tracker.rollups import rebuild_visitor_rollups, refresh_visitor_rollups


def _rollups():
    rows = db.session.execute(select(VisitorRollup.area_id, VisitorRollup.year, VisitorRollup.month,
                                     VisitorRollup.visitors, VisitorRollup.areas)).all()
    return {(area_id, year, month): (visitors, areas) for area_id, year, month, visitors, areas in rows}


def test_rollups_sum_the_municipalities_below_each_prefecture_and_the_nation(app):
    chiyoda, sapporo = factories.area("131016"), factories.area("011002")
    tokyo, hokkaido, nation = factories.area("130001"), factories.area("010006"), factories.area("JP")
    factories.visitor_count(chiyoda, 2015, 4, "CN", 100)
    factories.visitor_count(sapporo, 2015, 4, "CN", 30)
    factories.visitor_count(tokyo, 2015, 4, "CN", 5000)  # a prefecture's own total is not added in
    factories.visitor_count(nation, 2015, 4, "CN", 90000)
    refresh_visitor_rollups([(2015, 4)])
    assert _rollups() == {(tokyo.id, 2015, 4): (100, 1), (hokkaido.id, 2015, 4): (30, 1),
                          (nation.id, 2015, 4): (130, 2)}


def test_a_refresh_replaces_only_the_months_it_names(app):
    chiyoda, nation = factories.area("131016"), factories.area("JP")
    count = factories.visitor_count(chiyoda, 2015, 4, "CN", 100)
    factories.visitor_count(chiyoda, 2015, 5, "CN", 7)
    rebuild_visitor_rollups()
    count.visitors = 250
    db.session.flush()
    refresh_visitor_rollups([(2015, 4)])
    rollups = _rollups()
    assert rollups[(nation.id, 2015, 4)] == (250, 1)
    assert rollups[(nation.id, 2015, 5)] == (7, 1)
