"""The rows behind each chart of a target's page; the same rows are drawn and offered as CSV."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from functools import cached_property

from flask_babel import gettext as _
from sqlalchemy import true

from tracker.charts import Table
from tracker.dashboard import queries
from tracker.dashboard.filters import MAX_YEARS, Filters
from tracker.dashboard.map_queries import reporting_month
from tracker.dashboard.privacy import withheld_export_groups
from tracker.exports.queries import detail_visible
from tracker.extensions import db
from tracker.formatting import market_name, year_label
from tracker.models import Area, Target, User
from tracker.notes.queries import chart_notes
from tracker.periods import Month, months_of_year
from tracker.reference import UNSPECIFIED_MARKET
from tracker.targets.progress import Progress, progress, running_year
from tracker.targets.queries import monthly_totals, plan_of, plan_overdue
from tracker.targets.scope import Scope, products_by_hs_code

TOP = 10
DEFAULT_YEARS = 5
HEATMAP_MONTHS = 12


class TargetView:
    """One target as its page shows it: progress of the target itself, breakdowns under the filters."""

    def __init__(self, target: Target, filters: Filters, today: date, language: str, user: User | None = None):
        """`user` None reads as an admin does (the command line, benchmarks); a reader's breakdowns merge what
        would single out an exporter it may not see into "Others" (`policy.export_group_shown`)."""
        self.target, self.filters, self.today, self.language, self.user = target, filters, today, language, user
        self.plan = plan_of(target)
        self.basis = target.year_basis
        self.scope: Scope = filters.scope(target)

    @cached_property
    def monthly(self):
        return monthly_totals(Scope.of(self.target, approved_only=self.filters.approved))

    @cached_property
    def overdue(self) -> list[Month]:
        return plan_overdue(self.plan, self.target.metric, self.monthly, self.today)

    @cached_property
    def progress(self) -> Progress:
        return progress(self.plan, self.monthly, self.today, self.overdue)

    @cached_property
    def last_year(self) -> int:
        """Unless chosen, the plan's last year, or the latest year with figures while the plan runs."""
        if self.filters.last_year is not None:
            return self.filters.last_year
        now = self.progress.current_year
        latest = max((f.year for f in self.progress.years if f.actual is not None and f.year <= now), default=now)
        return min(latest, self.target.target_year)

    @cached_property
    def first_year(self) -> int:
        """Unless chosen, the plan's first year (its baseline); the last few years when nothing since is reported."""
        if self.filters.first_year is not None:
            return min(self.filters.first_year, self.last_year)
        first = self.target.baseline_year
        if first > self.last_year:
            first = self.last_year - DEFAULT_YEARS + 1
        return max(first, self.last_year - MAX_YEARS + 1)

    @property
    def rest_label(self) -> str:
        return _("Others")

    @property
    def is_visitors(self) -> bool:
        return self.target.metric == "visitors"

    @property
    def is_yen(self) -> bool:
        return not self.is_visitors

    @property
    def products_by_hs_code(self) -> bool:
        return products_by_hs_code(self.scope)

    @property
    def value_heading(self) -> str:
        return _("Visitors") if self.is_visitors else _("Export value (JPY)")

    def year_label(self, year: int) -> str:
        return year_label(year, self.basis)

    @property
    def met_label(self) -> str | None:
        """The year the target was met, as the annual chart names it."""
        met = self.progress.met_year
        return None if met is None else self.year_label(met)

    def _window(self, first_year: int, last_year: int) -> tuple[Month, Month]:
        return months_of_year(first_year, self.basis)[0], months_of_year(last_year, self.basis)[-1]

    # The target's own charts.

    def annual(self) -> Table:
        rows = []
        # the years shown and the whole plan, with the target year
        first, last = min(self.first_year, self.target.baseline_year), max(self.last_year, self.target.target_year)
        for figure in self.progress.years:
            if not first <= figure.year <= last:
                continue
            rows.append((self.year_label(figure.year), figure.actual, figure.months, _round(figure.required),
                         _round(self.progress.projection(figure.year))))
        return Table((_("Year"), self.value_heading, _("Months reported"), _("Required"), _("Projected")),
                     tuple(rows))

    def running(self) -> Table:
        points = running_year(self.plan, self.monthly, self.today, self.overdue)
        if all(p.actual is None and p.needed is None for p in points):
            return Table((), ())
        rows = tuple((str(p.month), p.actual, _round(p.needed), _round(p.projected)) for p in points)
        return Table((_("Month"), _("Actual, running total"), _("Needed, running total"),
                      _("Projected, running total")), rows)

    def notes(self) -> list[tuple[str, str, str]]:
        """The notes on the months of the monthly chart (its scope, its window), as the chart's markers."""
        first, last = self._window(self.first_year, self.last_year)
        area = db.session.get(Area, self.scope.area_id)
        visible = None
        if not self.is_visitors:
            visible = true() if self.user is None else detail_visible(self.user)
        return chart_notes(area, first, last, self.language, include_subareas=self.scope.sums_below,
                           exporters_visible=visible)

    # Breakdowns under the filters.

    def _withheld(self, group: str) -> set:
        """The keys of export breakdowns that would single out an exporter the user may not see in detail (each
        group read once a page: it counts the exporters behind the sales of the whole window)."""
        if self.is_visitors or self.user is None:
            return set()
        if group not in self._withheld_groups:
            first, last = self._window(self.first_year - 1, self.last_year)
            self._withheld_groups[group] = withheld_export_groups(self.user, self.scope, group, first, last)
        return self._withheld_groups[group]

    @cached_property
    def _withheld_groups(self) -> dict[str, set]:
        return {}

    @cached_property
    def _by_key(self) -> list[tuple[Month, int | str, int]]:
        first, last = self._window(self.first_year - 1, self.last_year)
        return queries.by_key(self.scope, first, last)

    def _key_labels(self, keys) -> dict:
        """Market (or destination) names; the unspecified market is no one market, so it is part of the rest."""
        return {key: self.rest_label if code == UNSPECIFIED_MARKET else market_name(code)
                for key, code in queries.market_codes(list(keys)).items()}

    def monthly_by_key(self) -> Table:
        first, last = self._window(self.first_year, self.last_year)
        totals: dict[Month, int] = defaultdict(int)
        by_series: dict[tuple[Month, int | str], int] = defaultdict(int)
        window_totals: dict[int | str, int] = defaultdict(int)
        start = first.index
        for month, key, value in self._by_key:
            totals[month] += value
            if month.index >= start:
                window_totals[key] += value
        labels = self._key_labels(window_totals)
        series = _top(window_totals, labels, self.rest_label, self._withheld("destination"))
        for month, key, value in self._by_key:
            by_series[(month.index, series[key])] += value
        names = list(dict.fromkeys(series[k] for k in sorted(window_totals, key=window_totals.get, reverse=True)))
        names.sort(key=lambda name: name == self.rest_label)
        rows = []
        for month in sorted(m for m in totals if m.index >= start):
            before = totals.get(month.shift(-12))
            change = totals[month] / before - 1 if before else None
            rows.append((str(month), totals[month], change, *(by_series.get((month.index, n), 0) for n in names)))
        return Table((_("Month"), _("Total"), _("Change from a year earlier"), *names), tuple(rows))

    def shares(self) -> Table:
        """Market shares (visitors) or destinations (exports) in the last year of the window."""
        first, last = self._window(self.last_year, self.last_year)
        totals: dict[int | str, int] = defaultdict(int)
        for month, key, value in self._by_key:
            if first.index <= month.index <= last.index:
                totals[key] += value
        return _share_table(totals, self._key_labels(totals), self.rest_label,
                            _("Market") if self.is_visitors else _("Destination"), self.value_heading,
                            self._withheld("destination"))

    def products(self) -> Table:
        first, last = self._window(self.last_year, self.last_year)
        rows, kind = queries.by_product(self.scope, first, last)
        totals: dict[int | str, int] = defaultdict(int)
        for _month, key, value in rows:
            totals[key] += value
        if kind == "hs":
            products = queries.hs_products(self.scope, list(totals), self.language)
            labels = {code: _hs_label(code, *products.get(code, ("", 0))) for code in totals}
            heading = _("HS code (products with it)")
        else:
            labels = {pid: p.name_in(self.language) for pid, p in queries.products(list(totals)).items()}
            heading = _("Product")
        return _share_table(totals, labels, self.rest_label, heading, self.value_heading,
                            self._withheld("hs" if kind == "hs" else "product"))

    @cached_property
    def children(self) -> list:
        if self.scope.product_id is not None:
            return []
        return queries.children(self.scope)

    def areas(self) -> Table:
        """The areas one level down ranked by growth: the last year against the same months a year before."""
        first, last = self._window(self.last_year - 1, self.last_year)
        current_months = set(months_of_year(self.last_year, self.basis))
        figures: dict[int, dict[Month, int]] = defaultdict(dict)
        for area_id, month, value in queries.by_area(self.scope, self.children, first, last):
            figures[area_id][month] = value
        rows = []
        withheld = self._withheld("area")
        for area in self.children:
            if area.id in withheld:
                continue
            series = figures.get(area.id, {})
            # the same reported months of both years: a month missing in either is no growth and no decline
            both = [m for m in series if m in current_months and m.shift(-12) in series]
            before = sum(series[m.shift(-12)] for m in both)
            now = sum(series[m] for m in both)
            if both and before > 0:
                rows.append((area.name_in(self.language), area.code, before, now, now / before - 1))
        rows.sort(key=lambda row: row[4], reverse=True)
        return Table((_("Area"), _("Code"), _("Same months a year earlier"), self.year_label(self.last_year),
                      _("Growth")), tuple(rows))

    def reporting(self) -> Table:
        # the latest month already due: the month under way would show every unit as not reported
        last = min(months_of_year(self.last_year, self.basis)[-1], reporting_month(self.scope, self.today))
        first = last.shift(1 - HEATMAP_MONTHS)
        counts, units = queries.reporting(self.scope, self.children, first, last)
        months = [first.shift(i) for i in range(HEATMAP_MONTHS)]
        rows = tuple((area.name_in(self.language), area.code, units.get(area.id, 0),
                      *(counts.get((area.id, m), 0) for m in months))
                     for area in self.children if units.get(area.id, 0))
        return Table((_("Area"), _("Code"), _("Units that report"), *(str(m) for m in months)), rows)


def _round(value: float | None) -> int | None:
    return None if value is None else round(value)


def _hs_label(code: str, name: str, count: int) -> str:
    """An HS code's bar: its sum covers every product with the code, so one product's name alone would mislead."""
    if not code:
        return _("No HS code")
    if count > 1:
        return _("HS %(code)s: %(name)s and %(num)d more", code=code, name=name, num=count - 1)
    return _("HS %(code)s: %(name)s", code=code, name=name) if name else f"HS {code}"


def _top(totals: dict, labels: dict, rest_label: str, withheld: set | frozenset = frozenset()) -> dict:
    """Key -> series name: the TOP largest by name, every other key (and every withheld one, and any already
    labelled as the rest) as "Others"."""
    ranked = sorted(totals, key=totals.get, reverse=True)
    shown = [key for key in ranked if key not in withheld and labels.get(key) != rest_label]
    keep = set(shown[:TOP]) if len(ranked) > TOP + 1 else set(shown)  # never an "Others" of one key alone
    return {key: labels.get(key, str(key)) if key in keep else rest_label for key in ranked}


def _share_table(totals: dict, labels: dict, rest_label: str, heading: str, value_heading: str,
                 withheld: set | frozenset = frozenset()) -> Table:
    grand = sum(totals.values())
    if grand <= 0:
        return Table((), ())
    merged: dict[str, int] = defaultdict(int)
    for key, name in _top(totals, labels, rest_label, withheld).items():
        merged[name] += totals[key]
    names = sorted(merged, key=lambda name: (name == rest_label, -merged[name]))
    return Table((heading, value_heading, _("Share")), tuple((n, merged[n], merged[n] / grand) for n in names))
