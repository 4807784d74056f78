"""Months and years, calendar and fiscal (April to March): the period arithmetic every feature shares."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

FISCAL_FIRST_MONTH = 4
# The years the app accepts from people: the month index (year * 12 + month) then fits a SMALLINT.
FIRST_YEAR, LAST_YEAR = 1900, 2200
_MONTH_RE = re.compile(r"^(\d{4})-(\d{1,2})$")


@dataclass(frozen=True, order=True)
class Month:
    year: int
    month: int

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12:
            raise ValueError(f"month out of range: {self.month}")

    @classmethod
    def parse(cls, text: str) -> Month:
        """Parse "YYYY-MM"."""
        match = _MONTH_RE.match(text.strip())
        if not match:
            raise ValueError(f"not a month (YYYY-MM): {text!r}")
        return cls(parse_year(match.group(1)), int(match.group(2)))

    @classmethod
    def of(cls, day: date) -> Month:
        return cls(day.year, day.month)

    @property
    def index(self) -> int:
        """Months since year 0: makes month ranges plain integer ranges."""
        return self.year * 12 + self.month - 1

    @classmethod
    def from_index(cls, index: int) -> Month:
        return cls(index // 12, index % 12 + 1)

    def shift(self, months: int) -> Month:
        return Month.from_index(self.index + months)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


def parse_year(text: str) -> int:
    """A year from FIRST_YEAR to LAST_YEAR written in digits (also the `type` of a query-string year)."""
    text = text.strip()
    if not (text.isascii() and text.isdigit() and len(text) == 4) or not FIRST_YEAR <= int(text) <= LAST_YEAR:
        raise ValueError(f"not a year from {FIRST_YEAR} to {LAST_YEAR}: {text!r}")
    return int(text)


def current_month(today: date | None = None) -> Month:
    return Month.of(today or date.today())


def fiscal_year_of(year: int, month: int) -> int:
    """FY2015 runs from April 2015 to March 2016."""
    return year if month >= FISCAL_FIRST_MONTH else year - 1


def year_of(year: int, month: int, basis: str) -> int:
    """The calendar or fiscal year a month belongs to."""
    return fiscal_year_of(year, month) if basis == "fiscal" else year


def months_of_year(year: int, basis: str) -> list[Month]:
    """The twelve months of a calendar or fiscal year, in order."""
    first = Month(year, FISCAL_FIRST_MONTH) if basis == "fiscal" else Month(year, 1)
    return [first.shift(i) for i in range(12)]


def year_to_date(month: Month, basis: str) -> list[Month]:
    """The months of the calendar or fiscal year `month` falls in, from its first to `month`."""
    return month_range(months_of_year(year_of(month.year, month.month, basis), basis)[0], month)


def month_range(first: Month, last: Month) -> list[Month]:
    return [Month.from_index(i) for i in range(first.index, last.index + 1)]


def month_ranges(months: Iterable[Month]) -> list[tuple[Month, Month]]:
    """Months as runs of consecutive months, (first, last) each, in order: how a page names a list of months."""
    runs: list[tuple[Month, Month]] = []
    for month in sorted(set(months)):
        if runs and runs[-1][1].shift(1) == month:
            runs[-1] = (runs[-1][0], month)
        else:
            runs.append((month, month))
    return runs
