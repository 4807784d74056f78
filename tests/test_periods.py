import pytest
from hypothesis import given
from hypothesis import strategies as st

from tracker.periods import Month, fiscal_year_of, month_range, months_of_year, year_of, year_to_date


def test_fiscal_years_start_in_april():
    assert fiscal_year_of(2015, 4) == 2015
    assert fiscal_year_of(2016, 3) == 2015
    assert year_of(2016, 3, "calendar") == 2016
    assert months_of_year(2015, "fiscal")[0] == Month(2015, 4)
    assert months_of_year(2015, "fiscal")[-1] == Month(2016, 3)
    assert months_of_year(2015, "calendar") == [Month(2015, m) for m in range(1, 13)]


def test_a_year_to_date_runs_from_january_or_from_april_of_the_months_fiscal_year():
    assert year_to_date(Month(2025, 2), "calendar") == [Month(2025, 1), Month(2025, 2)]
    assert year_to_date(Month(2025, 2), "fiscal") == month_range(Month(2024, 4), Month(2025, 2))
    assert year_to_date(Month(2025, 3), "fiscal")[0] == Month(2024, 4)
    assert year_to_date(Month(2025, 4), "fiscal") == [Month(2025, 4)]
    assert year_to_date(Month(2025, 12), "fiscal") == month_range(Month(2025, 4), Month(2025, 12))


def test_months_parse_and_print():
    assert Month.parse("2015-04") == Month(2015, 4)
    assert str(Month(2015, 4)) == "2015-04"
    assert month_range(Month(2015, 11), Month(2016, 2))[-1] == Month(2016, 2)
    for bad in ("2015-13", "2015/04", "15-04"):
        with pytest.raises(ValueError):
            Month.parse(bad)


@given(st.integers(min_value=1900 * 12, max_value=2200 * 12), st.integers(min_value=-500, max_value=500))
def test_shifting_by_months_is_index_arithmetic(index, months):
    month = Month.from_index(index)
    assert month.shift(months).index == index + months
    assert month.shift(months).shift(-months) == month


@given(st.integers(min_value=1990, max_value=2100), st.sampled_from(["calendar", "fiscal"]))
def test_every_month_of_a_year_belongs_to_that_year(year, basis):
    months = months_of_year(year, basis)
    assert len(set(months)) == 12
    assert {year_of(m.year, m.month, basis) for m in months} == {year}
