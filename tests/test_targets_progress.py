import csv
import os
from datetime import date

import pytest

from tracker.periods import Month
from tracker.reporting.deadlines import DueRule, overdue_months
from tracker.targets.progress import Plan, annual_totals, progress, projected, running_year


def _months(year: int, values, first_month: int = 1) -> dict[Month, int]:
    start = Month(year, first_month)
    return {start.shift(i): value for i, value in enumerate(values)}


def _jnto_monthly(shared_data) -> dict[Month, int]:
    path = os.path.join(shared_data, "jnto", "jnto_visitor_arrivals_monthly_total_1996-2025.csv")
    with open(path, encoding="utf-8") as file:
        return {Month(int(r["year"]), int(r["month"])): int(r["visitors"]) for r in csv.DictReader(file)}


def _jnto_annual(shared_data) -> dict[int, int]:
    path = os.path.join(shared_data, "jnto", "jnto_visitor_arrivals_annual_total_1990-2024.csv")
    with open(path, encoding="utf-8") as file:
        return {int(r["year"]): int(r["visitors"]) for r in csv.DictReader(file)}


JNTO_PLAN = Plan(baseline_year=2011, baseline_value=6_218_752, target_year=2016, target_value=18_000_000)


def test_the_18_million_target_needed_23_7_percent_a_year_and_was_met_in_2015(shared_data):
    monthly = _jnto_monthly(shared_data)
    annual = _jnto_annual(shared_data)
    result = progress(JNTO_PLAN, monthly, today=date(2017, 3, 1))
    assert round(result.required_cagr, 4) == 0.2368
    assert result.met_year == 2015
    assert result.status == "met"
    figures = {f.year: f for f in result.years}
    assert figures[2015].actual == annual[2015] == 19_737_409
    assert figures[2011].required == pytest.approx(6_218_752)
    assert figures[2016].required == pytest.approx(18_000_000)
    assert figures[2013].required == pytest.approx(6_218_752 * 1.2368 ** 2, rel=1e-3)
    assert [f.year for f in result.years][:2] == [1996, 1997]  # every year with figures is listed
    assert all(f.complete for f in result.years if 2011 <= f.year <= 2016)


def test_before_2015_ended_the_target_was_on_track_by_its_seasonally_scaled_projection(shared_data):
    monthly = _jnto_monthly(shared_data)
    result = progress(JNTO_PLAN, monthly, today=date(2015, 6, 20))
    ytd = sum(monthly[Month(2015, m)] for m in range(1, 7))
    same_months_2014 = sum(monthly[Month(2014, m)] for m in range(1, 7))
    expected = ytd * 13_413_467 / same_months_2014
    assert (result.current_year, result.ytd, result.ytd_months) == (2015, ytd, 6)
    assert result.projected == pytest.approx(expected)
    assert result.met_year is None
    assert (result.headline_year, result.headline_value) == (2015, pytest.approx(expected))
    # 2015 needs 6,218,752 * 1.2368**4 = about 14.5 million; the projection is near 20 million.
    assert result.status == "on_track"
    required_2015 = JNTO_PLAN.required(2015)
    assert result.needed_monthly == pytest.approx((required_2015 - ytd) / 6)


def test_figures_after_today_are_left_out(shared_data):
    result = progress(JNTO_PLAN, _jnto_monthly(shared_data), today=date(2014, 12, 31))
    assert result.years[-1].year == 2016
    assert {f.year: f.actual for f in result.years}[2015] is None
    assert result.met_year is None


PLAN = Plan(baseline_year=2020, baseline_value=100, target_year=2022, target_value=400)


def test_required_values_follow_the_geometric_path_from_baseline_to_target():
    assert PLAN.required_cagr == pytest.approx(1.0)
    assert [PLAN.required(y) for y in (2019, 2020, 2021, 2022, 2023)] == [None, 100, pytest.approx(200), 400, None]


@pytest.mark.parametrize("monthly_2021, status", [(20, "on_track"), (16, "at_risk"), (15, "at_risk"),
                                                  (14, "off_track")])
def test_the_latest_complete_year_is_read_against_its_required_value(monthly_2021, status):
    # 2021 needs 200: 12 * 16 = 192 is 96 %, 12 * 15 = 180 is exactly 90 %, 12 * 14 = 168 is 84 %.
    result = progress(PLAN, _months(2021, [monthly_2021] * 12), today=date(2021, 12, 31))
    assert result.status == status
    assert result.headline_year == 2021
    assert result.headline_value == 12 * monthly_2021


def test_an_incomplete_year_is_projected_by_last_years_season():
    monthly = {**_months(2021, [10, 10, 10, 10, 10, 10, 20, 20, 20, 20, 20, 20]), **_months(2022, [30, 30, 30])}
    # Jan-Mar 2022 = 90 against 30 in Jan-Mar 2021, and 2021 made 180: 90 * 180 / 30 = 540.
    assert projected(monthly, 2022, "calendar") == 540
    result = progress(PLAN, monthly, today=date(2022, 4, 10))
    assert (result.ytd, result.ytd_months, result.projected) == (90, 3, 540)
    assert result.status == "on_track"  # 540 against 400 needed in 2022
    assert result.needed_monthly == pytest.approx((400 - 90) / 9)
    assert result.next_milestone == (2022, 400)


def test_a_latest_year_left_incomplete_is_read_and_labelled_as_its_projection():
    # The figures stop after March 2022 and today is 2023: 2022 is still read by its projection, 540.
    monthly = {**_months(2021, [10, 10, 10, 10, 10, 10, 20, 20, 20, 20, 20, 20]), **_months(2022, [30, 30, 30])}
    result = progress(PLAN, monthly, today=date(2023, 5, 1))
    assert (result.current_year, result.ytd, result.projected) == (2023, None, None)
    assert (result.headline_year, result.headline_value, result.headline_projected) == (2022, 540, True)
    assert (result.projection(2022), result.projection(2021), result.projection(2023)) == (540, None, None)


def test_a_complete_headline_year_is_not_a_projection():
    result = progress(PLAN, _months(2021, [20] * 12), today=date(2022, 5, 1))
    assert (result.headline_year, result.headline_projected, result.projection(2021)) == (2021, False, None)


def test_without_last_year_the_projection_is_the_monthly_average_times_twelve():
    monthly = _months(2022, [30, 30, 60])
    assert projected(monthly, 2022, "calendar") == 120 * 12 / 3
    # A previous year with a missing month does not count either.
    monthly.update(_months(2021, [10] * 11))
    assert projected(monthly, 2022, "calendar") == 480


def test_a_complete_target_year_below_target_is_missed_even_when_met_later():
    monthly = {**_months(2022, [30] * 12), **_months(2023, [40] * 12)}
    result = progress(PLAN, monthly, today=date(2024, 2, 1))
    assert result.met_year == 2023
    assert result.status == "missed"
    assert result.next_milestone is None


def test_a_target_met_in_the_target_year_is_met():
    result = progress(PLAN, {**_months(2021, [10] * 12), **_months(2022, [34] * 12)}, today=date(2023, 1, 5))
    assert (result.met_year, result.status) == (2022, "met")
    assert result.share_of_target == pytest.approx(408 / 400)
    assert result.actual_cagr == pytest.approx((408 / 100) ** 0.5 - 1)


def test_missing_years_are_listed_without_actuals_and_no_figures_means_no_status():
    result = progress(PLAN, {}, today=date(2021, 5, 1))
    assert [(f.year, f.actual, f.complete) for f in result.years] == [
        (2020, None, False), (2021, None, False), (2022, None, False)]
    assert result.status == "no_data"
    assert (result.ytd, result.projected, result.share_of_target) == (None, None, None)
    assert result.needed_monthly == pytest.approx(200 / 12)


def test_a_gap_year_is_listed_without_actual_between_reported_years():
    monthly = {**_months(2020, [10] * 12), **_months(2022, [20] * 12)}
    result = progress(PLAN, monthly, today=date(2023, 1, 1))
    assert [(f.year, f.actual) for f in result.years] == [(2020, 120), (2021, None), (2022, 240)]


FISCAL_PLAN = Plan(baseline_year=2020, baseline_value=120, target_year=2022, target_value=480, year_basis="fiscal")


def test_fiscal_years_run_from_april_to_march():
    monthly = _months(2021, [10] * 12, first_month=4)  # April 2021 - March 2022: FY2021
    assert annual_totals(monthly, "fiscal") == {2021: (120, 12)}
    assert annual_totals(monthly, "calendar") == {2021: (90, 9), 2022: (30, 3)}
    result = progress(FISCAL_PLAN, monthly, today=date(2022, 3, 31))
    assert result.current_year == 2021
    assert result.years[1].year == 2021 and result.years[1].complete
    assert result.status == "off_track"  # FY2021 needs 240, made 120


def test_a_fiscal_year_under_way_is_projected_from_the_same_months_of_the_previous_fiscal_year():
    monthly = {**_months(2021, [10] * 6 + [30] * 6, first_month=4), **_months(2022, [20, 20], first_month=4)}
    # FY2022 April-May = 40 against 20 in FY2021 April-May; FY2021 made 240: 40 * 240 / 20 = 480.
    result = progress(FISCAL_PLAN, monthly, today=date(2022, 6, 1))
    assert (result.current_year, result.ytd, result.projected) == (2022, 40, 480)
    assert result.status == "on_track"


def test_the_running_year_spreads_the_required_value_by_last_years_season_and_projects_the_rest():
    monthly = {**_months(2021, [10] * 6 + [20] * 6), **_months(2022, [30, 30, 30])}
    points = running_year(PLAN, monthly, today=date(2022, 4, 10))
    assert [p.month for p in points] == [Month(2022, m) for m in range(1, 13)]
    assert [p.actual for p in points[:4]] == [30, 60, 90, None]
    # 2022 needs 400; last year's January was 10 of 180.
    assert points[0].needed == pytest.approx(400 * 10 / 180)
    assert points[-1].needed == pytest.approx(400)
    # Projected total 90 * 180 / 30 = 540: the 450 still to come follows last year's remaining season.
    assert points[1].projected is None
    assert points[2].projected == 90
    assert points[3].projected == pytest.approx(90 + 450 * 10 / 150)
    assert points[-1].projected == pytest.approx(540)


def test_the_running_year_needs_nothing_outside_the_plan():
    points = running_year(PLAN, _months(2024, [5]), today=date(2024, 1, 31))
    assert all(p.needed is None for p in points)
    assert points[0].actual == 5
    assert points[-1].projected == pytest.approx(60)


# Missing months: the plan's months that are overdue and missing come in from the reporting cycle.

def _overdue(monthly, plan, rule_day, today):
    return overdue_months(plan.months(), monthly, DueRule(1, rule_day), today)


def test_a_year_with_overdue_months_missing_is_never_projected_and_the_status_rests_on_the_last_complete_year(
        shared_data):
    # JNTO's series, with every month after February 2016 unreported, read on 2016-12-20: March to November
    # 2016 were due by December 15 and are missing.
    monthly = {m: v for m, v in _jnto_monthly(shared_data).items() if m <= Month(2016, 2)}
    today = date(2016, 12, 20)
    overdue = _overdue(monthly, JNTO_PLAN, 15, today)
    assert overdue == [Month(2016, m) for m in range(3, 12)]
    result = progress(JNTO_PLAN, monthly, today, overdue)
    assert result.overdue_months == tuple(overdue)
    assert result.projected is None  # two months of 2016 would have "projected" the year
    assert (result.headline_year, result.headline_value) == (2015, 19_737_409)
    assert not result.headline_projected
    assert result.status == "met"  # 2015's 19.7 million met 18 million
    # the same months read without the reporting cycle would have projected 2016 from January and February
    assert progress(JNTO_PLAN, monthly, today).projected is not None


def test_the_municipal_card_of_the_issue_names_ten_months_and_reads_the_complete_year():
    # A municipality's 2025 target: January, then a February upload holding a few markets, read in December 2026.
    plan = Plan(baseline_year=2024, baseline_value=1_000_000, target_year=2025, target_value=1_200_000)
    monthly = {**_months(2024, [100_000] * 12), Month(2025, 1): 110_000, Month(2025, 2): 20_000}
    today = date(2026, 12, 10)
    overdue = _overdue(monthly, plan, 15, today)
    assert overdue == [Month(2025, m) for m in range(3, 13)]
    result = progress(plan, monthly, today, overdue)
    assert len(result.overdue_months) == 10
    assert result.projected is None and result.headline_year == 2024 and result.headline_value == 1_200_000
    assert result.status == "on_track"  # 2024's 1.2 million against its required (baseline) 1 million


def test_without_an_overdue_month_the_current_year_to_date_is_projected_as_before(shared_data):
    # On 2015-07-10 June is not due yet (July 15): nothing is overdue, the year to date is projected.
    monthly = {m: v for m, v in _jnto_monthly(shared_data).items() if m <= Month(2015, 5)}
    today = date(2015, 7, 10)
    assert _overdue(monthly, JNTO_PLAN, 15, today) == []
    assert progress(JNTO_PLAN, monthly, today, []).projected == progress(JNTO_PLAN, monthly, today).projected
    # five days later June is overdue: no projection, the status reads 2014
    later = date(2015, 7, 16)
    overdue = _overdue(monthly, JNTO_PLAN, 15, later)
    assert overdue == [Month(2015, 6)]
    result = progress(JNTO_PLAN, monthly, later, overdue)
    assert result.projected is None and result.headline_year == 2014


def test_the_running_year_draws_no_projection_while_a_month_of_it_is_overdue():
    plan = Plan(baseline_year=2020, baseline_value=1200, target_year=2022, target_value=1452)
    monthly = {**_months(2020, [100] * 12), **_months(2021, [110] * 3)}
    today = date(2021, 6, 1)
    overdue = [Month(2021, 4)]
    assert all(p.projected is None for p in running_year(plan, monthly, today, overdue))
    assert any(p.projected is not None for p in running_year(plan, monthly, today))
