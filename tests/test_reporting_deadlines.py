from datetime import UTC, date, datetime

from tracker.periods import Month, month_ranges
from tracker.reporting.deadlines import (
    DEFAULT_RULES,
    DueRule,
    due_date,
    is_late,
    latest_due_month,
    overdue_months,
)
from tracker.reporting.rates import MonthState, UnitInfo, by_prefecture, summarize


def test_visitor_figures_are_due_on_the_15th_and_export_sales_at_the_end_of_the_next_month():
    assert due_date(Month(2015, 4), DEFAULT_RULES["visitors"]) == date(2015, 5, 15)
    assert due_date(Month(2015, 12), DEFAULT_RULES["visitors"]) == date(2016, 1, 15)
    assert due_date(Month(2015, 1), DEFAULT_RULES["exports"]) == date(2015, 2, 28)
    assert due_date(Month(2016, 1), DEFAULT_RULES["exports"]) == date(2016, 2, 29)


def test_a_day_beyond_the_month_falls_on_its_last_day_and_rules_may_give_more_months():
    assert due_date(Month(2015, 1), DueRule(1, 31)) == date(2015, 2, 28)
    assert due_date(Month(2015, 1), DueRule(2, 10)) == date(2015, 3, 10)
    assert due_date(Month(2015, 1), DueRule(0, None)) == date(2015, 1, 31)


def test_lateness_is_judged_on_the_day_in_japan():
    due = date(2015, 5, 15)
    assert not is_late(due, datetime(2015, 5, 15, 14, 59, tzinfo=UTC), date(2015, 6, 1))  # 23:59 in Tokyo
    assert is_late(due, datetime(2015, 5, 15, 15, 0, tzinfo=UTC), date(2015, 6, 1))  # midnight in Tokyo
    assert is_late(due, datetime(2015, 5, 15, 15, 0), date(2015, 6, 1))  # SQLite's naive UTC
    assert not is_late(due, None, date(2015, 5, 15))
    assert is_late(due, None, date(2015, 5, 16))


def test_the_latest_due_month_is_the_last_whose_due_date_has_passed():
    assert latest_due_month(DEFAULT_RULES["visitors"], date(2015, 5, 15)) == Month(2015, 3)
    assert latest_due_month(DEFAULT_RULES["visitors"], date(2015, 5, 16)) == Month(2015, 4)
    assert latest_due_month(DEFAULT_RULES["exports"], date(2015, 3, 1)) == Month(2015, 1)


def _row(unit_id, prefecture_id, state, due=date(2015, 5, 15), submitted=None, late=False):
    unit = UnitInfo(unit_id, str(unit_id), f"u{unit_id}", str(unit_id), prefecture_id)
    return MonthState(unit, Month(2015, 4), state, due, late, submitted)


def test_rates_count_submitted_and_approved_and_the_on_time_share_after_the_due_date():
    on_time = datetime(2015, 5, 10, tzinfo=UTC)
    after = datetime(2015, 5, 20, tzinfo=UTC)
    rows = [_row(1, 13, "approved", submitted=on_time), _row(2, 13, "submitted", submitted=after, late=True),
            _row(3, 13, "entered", late=True), _row(4, 27, "missing", late=True)]
    summary = summarize(rows, date(2015, 6, 1))
    assert summary.expected == 4
    assert summary.counts == {"missing": 1, "entered": 1, "submitted": 1, "approved": 1}
    assert summary.reporting_rate == 0.5
    assert summary.on_time_rate == 0.25
    assert summary.late == 3
    assert summarize(rows, date(2015, 5, 15)).on_time_rate is None
    prefectures = by_prefecture(rows, date(2015, 6, 1))
    assert prefectures[13].reporting_rate == 2 / 3 and prefectures[13].on_time_rate == 1 / 3
    assert prefectures[27].reporting_rate == 0 and prefectures[27].late == 1
    assert summarize([], date(2015, 6, 1)).reporting_rate is None


def test_overdue_months_are_those_missing_whose_due_date_has_passed():
    months = [Month(2025, m) for m in range(1, 7)]
    reported = {Month(2025, 1), Month(2025, 3)}
    # visitor figures of May are due on June 15: on June 15 itself May is not overdue yet
    assert overdue_months(months, reported, DueRule(1, 15), date(2025, 6, 15)) == [Month(2025, 2), Month(2025, 4)]
    assert overdue_months(months, reported, DueRule(1, 15), date(2025, 6, 16)) == [
        Month(2025, 2), Month(2025, 4), Month(2025, 5)]


def test_months_are_named_as_runs():
    months = [Month(2025, 3), Month(2025, 1), Month(2025, 2), Month(2025, 12), Month(2026, 1), Month(2026, 5)]
    assert month_ranges(months) == [(Month(2025, 1), Month(2025, 3)), (Month(2025, 12), Month(2026, 1)),
                                    (Month(2026, 5), Month(2026, 5))]
