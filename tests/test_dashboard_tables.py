from datetime import date

import pytest

from tests import factories
from tracker.dashboard.filters import parse_filters
from tracker.dashboard.tables import TargetView
from tracker.rollups import rebuild_export_rollups, rebuild_visitor_rollups

MARKETS = ["CN", "KR", "TW", "HK", "US", "TH", "AU", "GB", "FR", "DE", "SG", "ZZ"]


@pytest.fixture
def english(app):
    with app.test_request_context(headers={"Accept-Language": "en"}):
        yield


def _view(target, today=date(2024, 6, 15), **args):
    return TargetView(target, parse_filters(args), today=today, language="en")


def test_the_monthly_table_keeps_the_ten_largest_markets_and_the_rest_with_the_change_from_a_year_earlier(app,
                                                                                                       english):
    nation = factories.area("JP")
    for rank, market in enumerate(MARKETS):
        factories.visitor_count(nation, 2023, 1, market, 100 - rank)
        factories.visitor_count(nation, 2024, 1, market, 2 * (100 - rank))
    table = _view(factories.target(nation, baseline_year=2020, target_year=2030), **{"from": "2024"}).monthly_by_key()
    assert table.columns[:4] == ("Month", "Total", "Change from a year earlier", "China")
    assert table.columns[-1] == "Others"
    assert len(table.columns) == 3 + 10 + 1
    (row,) = table.rows
    assert row[:3] == ("2024-01", 2 * sum(100 - r for r in range(12)), pytest.approx(1.0))
    assert row[-1] == 2 * (90 + 89)  # Singapore and unspecified


def test_shares_are_for_the_last_year_shown_and_add_up_to_one(app, english):
    nation = factories.area("JP")
    factories.visitor_count(nation, 2023, 5, "CN", 1_000)
    factories.visitor_count(nation, 2024, 1, "CN", 300)
    factories.visitor_count(nation, 2024, 2, "KR", 100)
    table = _view(factories.target(nation, baseline_year=2020, target_year=2030)).shares()
    assert table.rows == (("China", 300, 0.75), ("South Korea", 100, 0.25))


def test_areas_are_ranked_by_growth_over_the_same_months_a_year_earlier(app, english):
    kyoto, osaka = factories.area("261009"), factories.area("271004")
    for area, before, now in ((kyoto, 100, 150), (osaka, 200, 180)):
        factories.visitor_count(area, 2023, 1, "CN", before)
        factories.visitor_count(area, 2023, 2, "CN", 999)  # February 2024 is not reported: not compared
        factories.visitor_count(area, 2024, 1, "CN", now)
    rebuild_visitor_rollups()
    table = _view(factories.target(factories.area("JP"), baseline_year=2020, target_year=2030)).areas()
    assert [(code, before, now) for _name, code, before, now, _g in table.rows] == [
        ("260002", 100, 150), ("270008", 200, 180)]
    assert [round(row[4], 3) for row in table.rows] == [0.5, -0.1]


def test_the_reporting_table_counts_the_municipalities_that_reported_each_month(app, english):
    sapporo, niseko = factories.area("011002"), factories.area("013951")
    factories.visitor_count(sapporo, 2024, 5, "CN", 10)
    factories.visitor_count(sapporo, 2024, 6, "KR", 10)
    factories.visitor_count(niseko, 2024, 6, "CN", 10)
    rebuild_visitor_rollups()
    hokkaido = factories.target(factories.area("010006"), include_subareas=True, baseline_year=2020, target_year=2030)
    assert _view(hokkaido, today=date(2024, 6, 15)).reporting().columns[-1] == "2024-04"  # May is not due yet
    table = _view(hokkaido, today=date(2024, 8, 1)).reporting()
    assert table.columns[3:] == tuple(f"2023-{m:02d}" for m in range(7, 13)) + tuple(
        f"2024-{m:02d}" for m in range(1, 7))
    rows = {code: counts for _name, code, _units, *counts in table.rows}
    assert rows["011002"][-2:] == [1, 1]
    assert rows["013951"][-2:] == [0, 1]
    national = _view(factories.target(factories.area("JP"), baseline_year=2020, target_year=2030),
                     today=date(2024, 8, 1)).reporting()
    (hokkaido_row,) = national.rows
    assert hokkaido_row[1:3] == ("010006", 2) and list(hokkaido_row[-2:]) == [1, 2]


def test_products_are_named_for_an_area_and_grouped_by_hs_code_from_the_rollups(app, english):
    city = factories.area("401307")
    tea = factories.new_exporter(city)
    sencha = factories.product(tea, name_ja="八女煎茶", hs_code="090210")
    matcha = factories.product(tea, name_ja="抹茶", hs_code="090210")
    sencha.name_en, matcha.name_en = "Yame sencha", "Matcha"
    factories.export_sale(sencha, 2024, 1, "US", 700)
    factories.export_sale(matcha, 2024, 2, "GB", 300)
    rebuild_export_rollups()
    exports = {"metric": "export_value", "baseline_year": 2020, "target_year": 2030, "baseline_value": 1,
               "target_value": 2}
    city_products = _view(factories.target(city, **exports)).products()
    assert city_products.rows == (("Yame sencha", 700, 0.7), ("Matcha", 300, 0.3))
    national_view = _view(factories.target(factories.area("JP"), include_subareas=True, **exports))
    assert national_view.products_by_hs_code and not _view(factories.target(city, **exports)).products_by_hs_code
    national = national_view.products()
    assert national.columns[0] == "HS code (products with it)"
    assert national.rows == (("HS 090210: Matcha and 1 more", 1_000, 1.0),)  # not one product's name for both
    destinations = _view(factories.target(factories.area("JP"), include_subareas=True, **exports)).shares()
    assert destinations.rows == (("United States", 700, 0.7), ("United Kingdom", 300, 0.3))


def test_filters_narrow_the_breakdowns_but_not_the_targets_own_progress(app, english):
    nation, sapporo = factories.area("JP"), factories.area("011002")
    factories.visitor_count(nation, 2024, 1, "CN", 5_000)
    factories.visitor_count(sapporo, 2024, 1, "CN", 40)
    factories.visitor_count(sapporo, 2024, 1, "KR", 60)
    view = _view(factories.target(nation, baseline_year=2020, target_year=2030), area="011002", market="kr")
    assert view.shares().rows == (("South Korea", 60, 1.0),)
    assert dict(row[:2] for row in view.annual().rows)["2024"] == 5_000  # the national series
    assert view.children == []


def test_the_running_table_is_empty_without_figures_or_a_required_value(app, english):
    view = _view(factories.target(factories.area("JP")), today=date(2024, 6, 1))
    assert not view.running()


def test_an_hs_code_is_named_by_the_products_of_the_areas_exporters_that_carry_it(app):
    yame, chiyoda = factories.area("402079"), factories.area("131016")
    sencha = factories.product(factories.new_exporter(yame), name_ja="八女煎茶", hs_code="090210")
    factories.product(factories.new_exporter(chiyoda), name_ja="抹茶", hs_code="090210")  # in Tokyo, not Fukuoka
    factories.export_sale(sencha, 2024, 1, "US", 700)
    rebuild_export_rollups()
    exports = {"metric": "export_value", "baseline_year": 2020, "target_year": 2030, "baseline_value": 1,
               "target_value": 2}
    fukuoka = factories.target(factories.area("400009"), include_subareas=True, **exports)
    with app.test_request_context(headers={"Accept-Language": "ja"}):
        view = TargetView(fukuoka, parse_filters({}), today=date(2024, 6, 15), language="ja")
        assert view.products().rows == (("HS 090210：八女煎茶", 700, 1.0),)


def test_a_product_filter_reads_only_the_products_of_exporters_in_the_area(app, english):
    niigata_city, chiyoda = factories.area("151009"), factories.area("131016")
    sake = factories.product(factories.new_exporter(niigata_city), name_ja="酒", hs_code="220600")
    tea = factories.product(factories.new_exporter(chiyoda), name_ja="茶", hs_code="090210")
    factories.export_sale(sake, 2024, 1, "US", 1_000)
    factories.export_sale(tea, 2024, 1, "GB", 300)
    rebuild_export_rollups()
    exports = {"metric": "export_value", "baseline_year": 2020, "target_year": 2030, "baseline_value": 1,
               "target_value": 2}
    target = factories.target(factories.area("JP"), include_subareas=True, **exports)
    outside = _view(target, area="150002", product=str(tea.id))  # Tokyo's tea under Niigata
    assert not outside.shares() and not outside.products() and not outside.monthly_by_key()
    inside = _view(target, area="150002", product=str(sake.id))
    assert inside.shares().rows == (("United States", 1_000, 1.0),)
    assert inside.products().rows == (("Sake", 1_000, 1.0),)
    own = _view(target, area="150002", subareas="0", product=str(sake.id))  # a municipality's product, as targets
    assert own.shares().rows == (("United States", 1_000, 1.0),)


def test_the_market_shares_draw_the_ten_largest_markets_and_the_rest_with_the_unspecified_market_in_it(app,
                                                                                                      english):
    nation = factories.area("JP")
    markets = ["ZZ", "CN", "KR", "TW", "HK", "US", "TH", "AU", "GB", "FR", "DE", "SG", "VN"]
    for rank, market in enumerate(markets):
        factories.visitor_count(nation, 2024, 1, market, 1_000 - rank)
    table = _view(factories.target(nation, baseline_year=2020, target_year=2030)).shares()
    names = [row[0] for row in table.rows]
    assert names[:10] == ["China", "South Korea", "Taiwan", "Hong Kong", "United States", "Thailand", "Australia",
                          "United Kingdom", "France", "Germany"]
    assert names[10:] == ["Others"]
    assert table.rows[-1][1] == 1_000 + 989 + 988  # unspecified, Singapore and Vietnam


def test_with_few_markets_the_unspecified_one_is_drawn_as_the_rest_not_as_a_market(app, english):
    nation = factories.area("JP")
    for market, visitors in (("KR", 24), ("CN", 22), ("TW", 18), ("ZZ", 17), ("HK", 7), ("US", 6), ("TH", 4),
                             ("AU", 2)):
        factories.visitor_count(nation, 2024, 1, market, visitors)
    target = factories.target(nation, baseline_year=2020, target_year=2030)
    shares = _view(target).shares()
    assert [row[:2] for row in shares.rows] == [("South Korea", 24), ("China", 22), ("Taiwan", 18), ("Hong Kong", 7),
                                                ("United States", 6), ("Thailand", 4), ("Australia", 2),
                                                ("Others", 17)]
    assert _view(target, **{"from": "2024"}).monthly_by_key().columns[-1] == "Others"


def _yearly(area, years, value=1_000):
    for year in years:
        for month in range(1, 13):
            factories.visitor_count(area, year, month, "CN", value)


def test_a_past_plan_opens_on_its_own_years_and_its_annual_chart_shows_just_them(app, english):
    nation = factories.area("JP")
    _yearly(nation, range(2008, 2025))
    target = factories.target(nation, baseline_year=2011, baseline_value=12_000, target_year=2016,
                              target_value=13_000)
    view = _view(target, today=date(2026, 12, 2))
    assert (view.first_year, view.last_year) == (2011, 2016)
    assert view.annual().column(0) == ["2011", "2012", "2013", "2014", "2015", "2016"]
    assert view.monthly_by_key().rows[0][0] == "2011-01"
    # a range chosen in the URL is kept, and the annual chart still shows the plan around it
    chosen = _view(target, today=date(2026, 12, 2), **{"from": "2020", "to": "2024"})
    assert (chosen.first_year, chosen.last_year) == (2020, 2024)
    assert chosen.annual().column(0)[0] == "2011" and chosen.annual().column(0)[-1] == "2024"


def test_a_running_plan_opens_from_its_baseline_to_the_latest_year_with_figures(app, english):
    nation = factories.area("JP")
    _yearly(nation, range(2010, 2026))
    target = factories.target(nation, baseline_year=2015, target_year=2030)
    view = _view(target, today=date(2026, 12, 2))
    assert (view.first_year, view.last_year) == (2015, 2025)
    assert view.annual().column(0) == [str(year) for year in range(2015, 2031)]


def test_the_annual_chart_marks_the_year_the_target_was_met(app, english):
    nation = factories.area("JP")
    _yearly(nation, range(2011, 2017), value=1_000)
    factories.visitor_count(nation, 2015, 1, "KR", 5_000)
    target = factories.target(nation, baseline_year=2011, baseline_value=12_000, target_year=2016,
                              target_value=16_000)
    assert _view(target, today=date(2026, 12, 2)).met_label == "2015"
