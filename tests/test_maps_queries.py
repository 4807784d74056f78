"""The maps' rows on hand-made figures: a year or its months to date, growth on the same months, the approved
filter, a market filter, withheld export groups and the reporting rate of the latest due month."""

from __future__ import annotations

from datetime import date

import pytest

from tests import factories
from tracker.dashboard.map_queries import area_figures, latest_year, reporting_month, reporting_rates
from tracker.extensions import db
from tracker.periods import Month
from tracker.reporting.services import transition
from tracker.reporting.units import Unit
from tracker.rollups import rebuild_export_rollups, rebuild_visitor_rollups
from tracker.targets.scope import Scope

YEAR = [Month(2025, m) for m in range(1, 13)]


def _scope(area, metric="visitors", **fields) -> Scope:
    return Scope(metric=metric, area_id=area.id, area_level=area.level, include_subareas=True, **fields)


@pytest.fixture
def tokyo_and_osaka(app):
    """Chiyoda and Shibuya (Tokyo) and Osaka city: 2024 in full, 2025 to June."""
    chiyoda, shibuya, osaka = factories.area("131016"), factories.area("131130"), factories.area("271004")
    chiyoda.office_lat, chiyoda.office_lng = 35.69388889, 139.7536111
    for month in range(1, 13):
        factories.visitor_count(chiyoda, 2024, month, "CN", 100)
        factories.visitor_count(shibuya, 2024, month, "US", 50)
        factories.visitor_count(osaka, 2024, month, "CN", 10)
    for month in range(1, 7):
        factories.visitor_count(chiyoda, 2025, month, "CN", 120)
        factories.visitor_count(shibuya, 2025, month, "US", 60)
        factories.visitor_count(chiyoda, 2025, month, "KR", 30)
    rebuild_visitor_rollups()
    db.session.commit()
    return chiyoda, shibuya, osaka


def test_the_nations_map_has_a_row_per_prefecture_with_its_year_to_date_and_growth(tokyo_and_osaka):
    nation = factories.area("JP")
    rows = {row.code: row for row in area_figures(_scope(nation), YEAR, "en", None)}
    assert len(rows) == 47
    tokyo = rows["130001"]
    assert (tokyo.name, tokyo.value) == ("Tokyo", 6 * (120 + 60 + 30))
    assert tokyo.growth == pytest.approx(6 * 210 / (6 * 150) - 1)  # January to June against January to June
    assert tokyo.office == (35.689521, 139.691704)
    assert (rows["270008"].value, rows["270008"].growth) == (None, None)  # nothing in 2025
    assert rows["010006"].value is None


def test_a_prefectures_map_has_its_municipalities_at_their_offices_in_its_language(tokyo_and_osaka):
    tokyo = factories.area("130001")
    rows = area_figures(_scope(tokyo), YEAR, "ja", None)
    assert [(row.code, row.value, row.office) for row in rows] == [
        ("131016", 900, (35.69388889, 139.7536111)), ("131130", 360, None)]
    assert rows[0].name == "テスト市131016"
    assert rows[1].growth == pytest.approx(0.2)


def test_a_market_filter_counts_that_market_alone(tokyo_and_osaka):
    rows = area_figures(_scope(factories.area("130001"), market_id=factories.market("KR").id), YEAR, "en", None)
    assert [(row.code, row.value, row.growth) for row in rows] == [("131016", 180, None), ("131130", None, None)]


def test_approved_figures_only_leave_out_the_months_not_approved(tokyo_and_osaka):
    chiyoda = tokyo_and_osaka[0]
    admin = factories.user("admin")
    for month in (Month(2024, 1), Month(2025, 1)):
        transition(admin, Unit.of(chiyoda), month, "submit")
        transition(admin, Unit.of(chiyoda), month, "approve")
    db.session.commit()
    nation = factories.area("JP")
    rows = {row.code: row for row in area_figures(_scope(nation, approved_only=True), YEAR, "en", None)}
    assert (rows["130001"].value, rows["130001"].growth) == (150, pytest.approx(0.5))
    assert rows["270008"].value is None


def test_an_export_group_of_fewer_than_three_exporters_is_withheld_from_a_reader_not_an_admin(app):
    viewer = factories.user("viewer")
    lonely = factories.product(factories.new_exporter(factories.area("131016")))
    factories.export_sale(lonely, 2025, 3, "US", 5_000)
    for number in range(3):
        item = factories.product(factories.new_exporter(factories.area("271004")))
        factories.export_sale(item, 2025, 3, "US", 1_000 + number)
    rebuild_export_rollups()
    db.session.commit()
    scope = _scope(factories.area("JP"), metric="export_value")
    for_viewer = {row.code: row for row in area_figures(scope, YEAR, "en", viewer)}
    assert for_viewer["130001"].withheld and for_viewer["130001"].value is None
    assert (for_viewer["270008"].withheld, for_viewer["270008"].value) == (False, 3_003)
    assert {row.code: row.value for row in area_figures(scope, YEAR, "en", None)}["130001"] == 5_000
    osaka_city = area_figures(_scope(factories.area("270008"), metric="export_value"), YEAR, "en", viewer)
    assert [(row.code, row.value) for row in osaka_city] == [("271004", 3_003)]


def test_the_reporting_rate_is_the_share_of_units_that_submitted_the_latest_due_month(app):
    on = date(2025, 7, 20)  # June's visitor figures were due on 15 July
    month = reporting_month(_scope(factories.area("JP")), on)
    assert month == Month(2025, 6)
    admin = factories.user("admin")
    chiyoda, shibuya, osaka = factories.area("131016"), factories.area("131130"), factories.area("271004")
    for area in (chiyoda, shibuya, osaka):
        factories.visitor_count(area, 2025, 6, "CN", 10)
    transition(admin, Unit.of(chiyoda), month, "submit")
    db.session.commit()
    nation = reporting_rates(_scope(factories.area("JP")), month, on)
    assert nation == {"130001": 0.5, "270008": 0.0}
    assert reporting_rates(_scope(factories.area("130001")), month, on) == {"131016": 1.0, "131130": 0.0}


def test_the_latest_year_with_figures_below_the_area(tokyo_and_osaka):
    assert latest_year(_scope(factories.area("JP")), date(2026, 1, 5)) == 2025
    assert latest_year(_scope(factories.area("JP")), date(2024, 12, 31)) == 2024
    assert latest_year(_scope(factories.area("010006")), date(2026, 1, 5)) is None
