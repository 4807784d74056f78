from datetime import date

from tests import factories
from tracker.periods import Month
from tracker.rollups import rebuild_export_rollups, rebuild_visitor_rollups
from tracker.targets.queries import monthly_totals, target_progress
from tracker.targets.scope import Scope


def _visitors(app):
    nation, chiyoda, sapporo = factories.area("JP"), factories.area("131016"), factories.area("011002")
    factories.visitor_count(nation, 2024, 1, "CN", 90_000)
    factories.visitor_count(nation, 2024, 1, "KR", 10_000)
    factories.visitor_count(chiyoda, 2024, 1, "CN", 300)
    factories.visitor_count(sapporo, 2024, 1, "CN", 200)
    factories.visitor_count(sapporo, 2024, 2, "KR", 50)
    rebuild_visitor_rollups()
    return nation


def test_a_target_reads_its_areas_own_series_unless_it_sums_the_areas_below(app):
    nation = _visitors(app)
    own = factories.target(nation)
    assert monthly_totals(Scope.of(own)) == {Month(2024, 1): 100_000}
    below = factories.target(nation, include_subareas=True)
    assert monthly_totals(Scope.of(below)) == {Month(2024, 1): 500, Month(2024, 2): 50}
    only_china = factories.target(nation, include_subareas=True, market=factories.market("CN"))
    assert monthly_totals(Scope.of(only_china)) == {Month(2024, 1): 500}


def test_a_municipality_sums_nothing_below_it(app):
    _visitors(app)
    sapporo = factories.target(factories.area("011002"), include_subareas=True)
    assert monthly_totals(Scope.of(sapporo)) == {Month(2024, 1): 200, Month(2024, 2): 50}


def test_export_targets_read_their_exporters_the_rollups_a_product_or_a_destination(app):
    niigata_city = factories.area("151009")
    brewery = factories.new_exporter(niigata_city)
    sake, shochu = factories.product(brewery), factories.product(brewery, hs_code="220890")
    factories.export_sale(sake, 2024, 1, "US", 1_000)
    factories.export_sale(sake, 2024, 1, "HK", 200)
    factories.export_sale(shochu, 2024, 2, "US", 30)
    factories.export_sale(factories.product(factories.new_exporter(factories.area("131016"))), 2024, 1, "US", 7)
    rebuild_export_rollups()
    exports = {"metric": "export_value", "baseline_value": 1, "target_value": 2}
    cases = [
        (factories.target(niigata_city, **exports), {Month(2024, 1): 1_200, Month(2024, 2): 30}),
        (factories.target(factories.area("JP"), include_subareas=True, **exports),
         {Month(2024, 1): 1_207, Month(2024, 2): 30}),
        (factories.target(factories.area("JP"), **exports), {}),
        (factories.target(factories.area("150002"), include_subareas=True, destination=factories.market("US"),
                          **exports), {Month(2024, 1): 1_000, Month(2024, 2): 30}),
        (factories.target(factories.area("150002"), product=sake, **exports), {Month(2024, 1): 1_200}),
    ]
    for target, expected in cases:
        assert monthly_totals(Scope.of(target)) == expected


def test_a_targets_progress_comes_from_its_figures(app):
    nation = factories.area("JP")
    for month in range(1, 13):
        factories.visitor_count(nation, 2015, month, "CN", 1_650_000)
    target = factories.target(nation)
    result = target_progress(target, date(2016, 1, 10))
    assert result.years[-2].actual == 19_800_000
    assert (result.met_year, result.status) == (2015, "met")
