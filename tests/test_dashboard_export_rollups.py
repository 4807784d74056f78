from sqlalchemy import func, select

from tests import factories
from tracker.extensions import db
from tracker.models import ExportProductRollup, ExportRollup, ExportSale, ReportingRollup
from tracker.rollups import rebuild_export_rollups, rebuild_visitor_rollups, refresh_export_rollups


def _by_destination():
    rows = db.session.execute(select(ExportRollup.area_id, ExportRollup.year, ExportRollup.month,
                                     ExportRollup.destination_id, ExportRollup.value_jpy))
    return {(a, y, m, d): v for a, y, m, d, v in rows}


def _by_hs_code():
    rows = db.session.execute(select(ExportProductRollup.area_id, ExportProductRollup.hs_code,
                                     ExportProductRollup.value_jpy))
    return {(a, code): v for a, code, v in rows}


def test_export_rollups_sum_the_exporters_of_the_municipalities_below(app):
    niigata_city, chiyoda = factories.area("151009"), factories.area("131016")
    niigata, tokyo, nation = factories.area("150002"), factories.area("130001"), factories.area("JP")
    brewery, other_brewery = factories.new_exporter(niigata_city), factories.new_exporter(niigata_city)
    tea_house = factories.new_exporter(chiyoda)
    prefectural = factories.new_exporter(niigata)  # a prefecture's own exporter is not in the sum below it
    us = factories.market("US").id
    factories.export_sale(factories.product(brewery, hs_code="220600"), 2024, 1, "US", 1_000)
    factories.export_sale(factories.product(other_brewery, hs_code="220600"), 2024, 1, "US", 500)
    factories.export_sale(factories.product(tea_house, hs_code=None), 2024, 1, "US", 70)
    factories.export_sale(factories.product(prefectural), 2024, 1, "US", 9)
    rebuild_export_rollups()
    assert _by_destination() == {(niigata.id, 2024, 1, us): 1_500, (tokyo.id, 2024, 1, us): 70,
                                 (nation.id, 2024, 1, us): 1_570}
    assert _by_hs_code() == {(niigata.id, "220600"): 1_500, (tokyo.id, ""): 70, (nation.id, "220600"): 1_500,
                             (nation.id, ""): 70}
    assert _reporters("export_value") == {niigata.id: 2, tokyo.id: 1, nation.id: 3}


def _reporters(metric):
    rows = db.session.execute(select(ReportingRollup.area_id, ReportingRollup.reporters)
                              .where(ReportingRollup.metric == metric))
    return dict(rows.all())


def test_the_reporting_rollups_count_municipalities_that_sent_any_market(app):
    sapporo, niseko, hokkaido, nation = (factories.area(code) for code in ("011002", "013951", "010006", "JP"))
    factories.visitor_count(sapporo, 2024, 6, "KR", 10)
    factories.visitor_count(sapporo, 2024, 6, "CN", 10)
    factories.visitor_count(niseko, 2024, 6, "ZZ", 10)
    rebuild_visitor_rollups()
    assert _reporters("visitors") == {hokkaido.id: 2, nation.id: 2}
    assert _reporters("export_value") == {}


def test_a_refresh_recomputes_only_the_months_it_names_and_matches_the_raw_sum(app):
    exporter = factories.new_exporter(factories.area("151009"))
    sake = factories.product(exporter)
    january = factories.export_sale(sake, 2024, 1, "US", 1_000)
    factories.export_sale(sake, 2024, 2, "HK", 300)
    rebuild_export_rollups()
    january.value_jpy = 4_000
    factories.export_sale(sake, 2024, 1, "TW", 25)
    db.session.flush()
    refresh_export_rollups([(2024, 1)])
    nation = factories.area("JP").id
    totals = dict(db.session.execute(select(ExportRollup.month, func.sum(ExportRollup.value_jpy))
                                     .where(ExportRollup.area_id == nation).group_by(ExportRollup.month)).all())
    raw = dict(db.session.execute(select(ExportSale.month, func.sum(ExportSale.value_jpy))
                                  .group_by(ExportSale.month)).all())
    assert totals == raw == {1: 4_025, 2: 300}
