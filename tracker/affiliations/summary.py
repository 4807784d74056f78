"""Counts of the network from plain ties, and the before/after indexes from plain yearly figures: pure functions
that the API, the pages and the charts share (the queries only fetch the ties and the figures).

A tie is active at the end of a year when it was established that year or before and has not ended by then (a tie
ended during a year is no longer active at its end). Ends in the future are refused, so "active now" is "not ended".
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

# the years on either side of the year established that the before/after comparison reads
WINDOW_YEARS = 3


@dataclass(frozen=True)
class Tie:
    established_year: int
    ended_year: int | None
    country: str
    prefecture: str  # the prefecture's code: its own, or its municipality's
    kind: str

    def active_in(self, year: int) -> bool:
        return self.established_year <= year and (self.ended_year is None or self.ended_year > year)


def by_year(ties: Sequence[Tie], last_year: int) -> list[dict[str, int]]:
    """Per year from the first tie's through `last_year`: added, ended, and active at the year's end."""
    if not ties:
        return []
    added = Counter(tie.established_year for tie in ties)
    ended = Counter(tie.ended_year for tie in ties if tie.ended_year is not None)
    rows, active = [], 0
    for year in range(min(added), last_year + 1):
        active += added[year] - ended[year]
        rows.append({"year": year, "added": added[year], "ended": ended[year], "active": active})
    return rows


def active_by(ties: Iterable[Tie], attribute: str) -> list[tuple[str, int]]:
    """Active ties per country, prefecture or kind, the most first (then by name, so that ties read alike)."""
    counts = Counter(getattr(tie, attribute) for tie in ties if tie.ended_year is None)
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


def active_by_year_and_country(ties: Sequence[Tie], first_year: int, last_year: int, top: int
                               ) -> tuple[list[int], list[str], dict[str | None, list[int]]]:
    """The years, the `top` countries with the most active ties now, and per country (None: every other one) the
    active ties at the end of each year."""
    leaders = [country for country, _count in active_by(ties, "country")[:top]]
    years = list(range(first_year, last_year + 1))
    series: dict[str | None, list[int]] = {country: [0] * len(years) for country in [*leaders, None]}
    for tie in ties:
        row = series[tie.country if tie.country in leaders else None]
        for index, year in enumerate(years):
            if tie.active_in(year):
                row[index] += 1
    return years, leaders, series


def added_per_year(ties: Iterable[Tie], first_year: int, last_year: int) -> list[int]:
    added = Counter(tie.established_year for tie in ties)
    return [added[year] for year in range(first_year, last_year + 1)]


@dataclass(frozen=True)
class YearFigures:
    """One calendar year of an area's visitors: from the partner's country, and from every other market."""

    year: int
    partner: int
    others: int


def before_after(established_year: int, figures: Sequence[YearFigures]) -> dict:
    """The API's body: the years from WINDOW_YEARS before the tie to WINDOW_YEARS after that have figures, each
    indexed to the year before the tie = 100 (null where that base is 0 or missing)."""
    base_year = established_year - 1
    window = [row for row in sorted(figures, key=lambda row: row.year)
              if established_year - WINDOW_YEARS <= row.year <= established_year + WINDOW_YEARS]
    base = next((row for row in window if row.year == base_year), None)
    return {"base_year": base_year, "rows": [
        {"year": row.year, "partner": row.partner, "others": row.others,
         "partner_index": _index(row.partner, base.partner if base else None),
         "others_index": _index(row.others, base.others if base else None)}
        for row in window]}


def _index(value: int, base: int | None) -> float | None:
    return round(value * 100 / base, 1) if base else None
