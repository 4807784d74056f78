"""A target's progress, exactly as leadership reads it: pure functions of the monthly figures and a date.

Figures come in as {Month: value} for calendar months; years are calendar or fiscal as the target says.
Months after `today` are left out, so that a result is always "as of" a day and tests are deterministic.
The months of the plan that are overdue and missing come in from the caller (the reporting cycle knows the due
dates): a year with such a month is never projected, and the status then rests on the latest year without one.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date

from tracker.periods import Month, months_of_year, year_of

ON_TRACK = 1.0
AT_RISK = 0.9


@dataclass(frozen=True)
class Plan:
    """The numbers of a target: from the baseline year's value to the target year's value."""

    baseline_year: int
    baseline_value: int
    target_year: int
    target_value: int
    year_basis: str = "calendar"

    @property
    def required_cagr(self) -> float:
        return (self.target_value / self.baseline_value) ** (1 / (self.target_year - self.baseline_year)) - 1

    def months(self) -> list[Month]:
        """The months the plan measures: from the year after the baseline (whose value it states) to the target
        year."""
        first = months_of_year(self.baseline_year + 1, self.year_basis)[0]
        last = months_of_year(self.target_year, self.year_basis)[-1]
        return [first.shift(i) for i in range(last.index - first.index + 1)]

    def required(self, year: int) -> float | None:
        """The value of the geometric path from baseline to target in that year; None outside the plan."""
        if not self.baseline_year <= year <= self.target_year:
            return None
        span = (year - self.baseline_year) / (self.target_year - self.baseline_year)
        return self.baseline_value * (self.target_value / self.baseline_value) ** span


@dataclass(frozen=True)
class YearFigure:
    year: int
    actual: int | None  # None when no month of the year is reported
    months: int
    required: float | None

    @property
    def complete(self) -> bool:
        return self.months == 12


@dataclass(frozen=True)
class Progress:
    plan: Plan
    years: tuple[YearFigure, ...]
    current_year: int
    ytd: int | None
    ytd_months: int
    projected: float | None
    needed_monthly: float | None  # the monthly figure the rest of the current year needs to stay on the path
    met_year: int | None
    status: str
    # The figure the status was read from: the latest year of the plan with figures and no overdue month missing
    # (projected if incomplete).
    headline_year: int | None
    headline_value: float | None
    overdue_months: tuple[Month, ...] = ()

    @property
    def required_cagr(self) -> float:
        return self.plan.required_cagr

    @property
    def share_of_target(self) -> float | None:
        if self.headline_value is None:
            return None
        return self.headline_value / self.plan.target_value

    @property
    def headline_projected(self) -> bool:
        """Whether the headline is a projection: its year is incomplete, under way or with its last figures late."""
        return any(f.year == self.headline_year and not f.complete for f in self.years)

    def projection(self, year: int) -> float | None:
        """The projected total of a year the progress reads while it is incomplete: the current one, and the
        headline's, which is an earlier year when the latest figures have not reached this year."""
        if year == self.current_year:
            return self.projected
        return self.headline_value if year == self.headline_year and self.headline_projected else None

    @property
    def actual_cagr(self) -> float | None:
        """The growth rate per year from the baseline to the headline figure."""
        if self.headline_value is None or self.headline_year is None:
            return None
        span = self.headline_year - self.plan.baseline_year
        if span <= 0 or self.headline_value <= 0:
            return None
        return (self.headline_value / self.plan.baseline_value) ** (1 / span) - 1

    @property
    def next_milestone(self) -> tuple[int, float] | None:
        """The next required value still ahead: this year's when it is under way, else next year's."""
        if self.status in ("met", "missed"):
            return None
        year = self.current_year if self.ytd_months < 12 else self.current_year + 1
        year = max(year, self.plan.baseline_year + 1)
        required = self.plan.required(year)
        return (year, required) if required is not None else None


def annual_totals(monthly: Mapping[Month, int], basis: str) -> dict[int, tuple[int, int]]:
    """{year: (sum, months reported)} in calendar or fiscal years."""
    totals: dict[int, tuple[int, int]] = {}
    for month, value in monthly.items():
        year = year_of(month.year, month.month, basis)
        total, count = totals.get(year, (0, 0))
        totals[year] = (total + value, count + 1)
    return totals


def projected(monthly: Mapping[Month, int], year: int, basis: str) -> float | None:
    """The year's total: actual when complete, else the year to date scaled by last year's same months."""
    reported = [m for m in months_of_year(year, basis) if m in monthly]
    if not reported:
        return None
    ytd = sum(monthly[m] for m in reported)
    if len(reported) == 12:
        return float(ytd)
    previous = months_of_year(year - 1, basis)
    if all(m in monthly for m in previous):
        same_months = sum(monthly[m.shift(-12)] for m in reported)
        if same_months > 0:
            return ytd * sum(monthly[m] for m in previous) / same_months
    return ytd * 12 / len(reported)


def progress(plan: Plan, monthly: Mapping[Month, int], today: date, overdue: Collection[Month] = ()) -> Progress:
    """Everything the dashboard and the API say about a target, as of `today`; `overdue` are the plan's months
    whose figures were due by `today` and are missing."""
    now = Month.of(today)
    monthly = {m: v for m, v in monthly.items() if m <= now}
    overdue = tuple(sorted(m for m in overdue if m not in monthly))
    gaps = {year_of(m.year, m.month, plan.year_basis) for m in overdue}
    totals = annual_totals(monthly, plan.year_basis)
    years = _years(plan, totals)
    current_year = year_of(today.year, today.month, plan.year_basis)
    ytd, ytd_months = totals.get(current_year, (None, 0))
    met_year = next((f.year for f in years if f.year > plan.baseline_year and f.complete
                     and f.actual >= plan.target_value), None)
    headline_year = max((y for y in totals if plan.baseline_year <= y <= plan.target_year and y not in gaps),
                        default=None)
    headline_value = None if headline_year is None else projected(monthly, headline_year, plan.year_basis)
    status = _status(plan, totals, met_year, headline_year, headline_value)
    return Progress(
        plan=plan, years=years, current_year=current_year, ytd=ytd, ytd_months=ytd_months,
        projected=(projected(monthly, current_year, plan.year_basis)
                   if ytd_months < 12 and current_year not in gaps else None),
        needed_monthly=_needed_monthly(plan, current_year, ytd or 0, ytd_months),
        met_year=met_year, status=status, headline_year=headline_year, headline_value=headline_value,
        overdue_months=overdue,
    )


def _years(plan: Plan, totals: dict[int, tuple[int, int]]) -> tuple[YearFigure, ...]:
    first = min([plan.baseline_year, *totals])
    last = max([plan.target_year, *totals])
    figures = []
    for year in range(first, last + 1):
        actual, months = totals.get(year, (None, 0))
        figures.append(YearFigure(year=year, actual=actual, months=months, required=plan.required(year)))
    return tuple(figures)


def _status(plan, totals, met_year, headline_year, headline_value) -> str:
    if met_year is not None and met_year <= plan.target_year:
        return "met"
    if totals.get(plan.target_year, (0, 0))[1] == 12:
        return "missed"
    if headline_year is None:
        return "no_data"
    ratio = headline_value / plan.required(headline_year)
    if ratio >= ON_TRACK:
        return "on_track"
    return "at_risk" if ratio >= AT_RISK else "off_track"


def _needed_monthly(plan: Plan, year: int, ytd: int, months: int) -> float | None:
    required = plan.required(year)
    if required is None or months >= 12:
        return None
    return max(required - ytd, 0) / (12 - months)


@dataclass(frozen=True)
class RunningPoint:
    month: Month
    actual: int | None  # running total up to the last reported month
    needed: float | None  # the running value the required annual value needs, by last year's profile
    projected: float | None  # the projection's running total from the last reported month on


def running_year(plan: Plan, monthly: Mapping[Month, int], today: date, overdue: Collection[Month] = ()
                 ) -> list[RunningPoint]:
    """The current year month by month: running actual, needed and projected totals; no projection while a month
    of the year is overdue and missing."""
    now = Month.of(today)
    monthly = {m: v for m, v in monthly.items() if m <= now}
    year = year_of(today.year, today.month, plan.year_basis)
    months = months_of_year(year, plan.year_basis)
    gap = any(m in months and m not in monthly for m in overdue)
    profile = _profile(monthly, year - 1, plan.year_basis)
    required = plan.required(year)
    reported = [m for m in months if m in monthly]
    last = reported[-1] if reported else None
    total = None if gap else projected(monthly, year, plan.year_basis)
    ytd = sum(monthly[m] for m in reported)
    remaining_share = sum(share for m, share in zip(months, profile, strict=True) if last is None or m > last)
    points, running, needed, ahead = [], 0, 0.0, 0.0
    for month, share in zip(months, profile, strict=True):
        running += monthly.get(month, 0)
        needed += share
        actual = running if last is not None and month <= last else None
        projection = None
        if total is not None and last is not None and month >= last:
            if month > last and remaining_share > 0:
                ahead += (total - ytd) * share / remaining_share
            projection = ytd + ahead
        points.append(RunningPoint(month, actual, None if required is None else required * needed, projection))
    return points


def _profile(monthly: Mapping[Month, int], year: int, basis: str) -> list[float]:
    """Each month's share of the year: last year's when complete, else even."""
    months = months_of_year(year, basis)
    values = [monthly.get(m) for m in months]
    if None in values or sum(values) <= 0:
        return [1 / 12] * 12
    total = sum(values)
    return [v / total for v in values]
