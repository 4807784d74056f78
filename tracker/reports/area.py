"""An area's month for its council: visitors by market and exports by destination against the same month a year
earlier and the year to date (of the calendar year, or of the fiscal year that councils are reported to by), and who
has reported.

The figures are read as the target pages read them (`tracker.targets.scope`, the rollups above the
municipalities) and withheld as they withhold them (`tracker.dashboard.privacy`); the comparisons are pure
functions of (month, key, value) rows.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from functools import cached_property

from flask_babel import format_date
from flask_babel import gettext as _

from tracker.affiliations.labels import kind_label
from tracker.dashboard import queries as dashboard_queries
from tracker.dashboard.privacy import withheld_export_groups
from tracker.formatting import area_name, market_name, month_abbreviation, month_label, year_label
from tracker.models import Area, User
from tracker.periods import Month, year_of, year_to_date
from tracker.reporting import queries as reporting_queries
from tracker.reporting import rates, units
from tracker.reporting.deadlines import due_date
from tracker.reporting.services import state_heading
from tracker.reporting.states import STATES
from tracker.reports import notes, queries
from tracker.reports.sections import PrintedTable, Section, change, count, yen
from tracker.targets.scope import Scope
from tracker.templating import current_language

OTHERS = "others"  # the line that sums the destinations withheld from the reader
NAMES_LISTED = 30  # units not reported named on paper; the rest counted


@dataclass(frozen=True)
class Line:
    """One market or destination: the month and the same month a year earlier, the year to date (January, or April
    in a fiscal year, to the month) and the same months a year earlier. None is nothing reported."""

    key: int | str
    month: int | None
    last_year: int | None
    to_date: int | None
    to_date_last_year: int | None
    to_date_change: float | None = None  # over the months reported in both years

    @property
    def month_change(self) -> float | None:
        return _growth(self.month, self.last_year)


def _growth(now: int | None, before: int | None) -> float | None:
    return now / before - 1 if now is not None and before else None


def compare(rows: Iterable[tuple[Month, int | str, int]], to_date: list[Month], merged: Iterable = ()
            ) -> tuple[list[Line], Line | None, list[Month]]:
    """Lines per key (the `merged` keys summed into one last line, OTHERS), largest month first, and the total, for
    the year to date `to_date` (its months in order, the last the report's); and the months of the year to date
    reported in both years, which the change in the year to date compares."""
    merged = set(merged)
    this_year, last_year = set(to_date), {m.shift(-12) for m in to_date}
    values: dict[int | str, dict[Month, int]] = defaultdict(lambda: defaultdict(int))
    for row_month, key, value in rows:
        if row_month in this_year or row_month in last_year:
            values[OTHERS if key in merged else key][row_month] += value
    reported = {m for series in values.values() for m in series}
    both = [m for m in to_date if m in reported and m.shift(-12) in reported]
    lines = [_line(key, series, to_date, both) for key, series in values.items()]
    lines.sort(key=lambda line: (line.key == OTHERS, -(line.month or 0), -(line.to_date or 0), str(line.key)))
    if not lines:
        return [], None, []
    total: dict[Month, int] = defaultdict(int)
    for series in values.values():
        for row_month, value in series.items():
            total[row_month] += value
    return lines, _line("total", total, to_date, both), both


def _line(key, series: dict[Month, int], to_date: list[Month], both: list[Month]) -> Line:
    def total(months) -> int | None:
        found = [series[m] for m in months if m in series]
        return sum(found) if found else None
    month = to_date[-1]
    return Line(key, series.get(month), series.get(month.shift(-12)), total(to_date),
                total(m.shift(-12) for m in to_date), _growth(total(both), total(m.shift(-12) for m in both)))


class AreaMonth:
    """One area's month as its report shows it, for a reader (whose view of export detail decides what is
    withheld) on a day (which decides what is due and late), with its year to date in calendar or fiscal years
    (`basis`)."""

    def __init__(self, area: Area, month: Month, user: User, today: date, basis: str = "calendar"):
        self.area, self.month, self.user, self.today, self.basis = area, month, user, today, basis
        self.to_date = year_to_date(month, basis)
        self.first = self.to_date[0].shift(-12)  # where last year's year to date starts: both years are read

    @property
    def below(self) -> bool:
        return self.area.level != "municipality"

    @cached_property
    def own_visitors(self) -> bool:
        """A prefecture or the nation reporting its own series is read by it, else by its municipalities' sum."""
        return not self.below or queries.has_own_visitors(self.area, self.month)

    def scope(self, metric: str) -> Scope:
        summed = self.below and (metric == "export_value" or not self.own_visitors)
        return Scope(metric=metric, area_id=self.area.id, area_level=self.area.level, include_subareas=summed)

    def rows(self, metric: str) -> list[tuple[Month, int | str, int]]:
        return dashboard_queries.by_key(self.scope(metric), self.first, self.month)

    @cached_property
    def exports_withheld(self) -> bool:
        return queries.exports_withheld(self.user, self.scope("export_value"), self.first, self.month)

    def withheld_destinations(self) -> set:
        return withheld_export_groups(self.user, self.scope("export_value"), "destination", self.first, self.month)

    def comparison_table(self, lines: list[Line], total: Line, heading: str, value: Callable) -> PrintedTable:
        codes = dashboard_queries.market_codes([line.key for line in lines if line.key != OTHERS])
        month, year = self.month, year_of(self.month.year, self.month.month, self.basis)

        def cells(label: str, line: Line) -> tuple[str, ...]:
            return (label, value(line.month), value(line.last_year), change(line.month_change), value(line.to_date),
                    value(line.to_date_last_year), change(line.to_date_change))

        rows = tuple(cells(_("Others") if line.key == OTHERS else market_name(codes.get(line.key, "ZZ")), line)
                     for line in lines)
        columns = (heading, month_label(month.year, month.month), month_label(month.year - 1, month.month),
                   _("Change"), _("Year to date %(year)s", year=year_label(year, self.basis)),
                   _("Same months %(year)s", year=year_label(year - 1, self.basis)), _("Change"))
        return PrintedTable(columns, rows, (False, *[True] * 6), cells(_("Total"), total))

    def to_date_note(self, both: list[Month]) -> str:
        """What the year to date sums and which months its change compares."""
        months = ", ".join(month_abbreviation(m.month) for m in both)
        first, month = self.to_date[0], month_label(self.month.year, self.month.month)
        note = (_("The fiscal year to date runs from %(first)s to %(month)s.",
                  first=month_label(first.year, first.month), month=month) if self.basis == "fiscal" else
                _("The year to date runs from January to %(month)s.", month=month))
        if len(both) == len(self.to_date):
            return note
        if not both:
            return note + " " + _("No month of the year to date is reported in both years.")
        return note + " " + _("Change in the year to date compares the months reported in both years: "
                              "%(months)s.", months=months)

    def reporting(self) -> list[tuple[str, str, rates.Summary, list[str]]]:
        """For visitor figures and export sales: the units expected to report in or below the area, counted by
        state for the month, and the names of the areas not reported (exporters are counted, never named)."""
        found = []
        for metric, label in (("visitors", _("Visitor figures (areas)")), ("exports", _("Export sales (exporters)"))):
            unit_rows = reporting_queries.units_in(metric, self.area)
            if not unit_rows:
                continue
            states = reporting_queries.month_states(metric, unit_rows, [self.month], self.today)
            missing = [row.unit.name for row in states if row.state == "missing"] if metric == "visitors" else []
            found.append((metric, label, rates.summarize(states, self.today), missing))
        return found


def visitors_section(report: AreaMonth) -> Section:
    lines, total, both = compare(report.rows("visitors"), report.to_date)
    title = _("Visitors by market")
    if not lines:
        return Section("visitors", title, empty=_("No visitor figures for this month or the year to date."))
    series = (_("The area's own reported figures.") if report.own_visitors and report.below else
              _("The sum of the municipalities below.") if report.below else "")
    note = " ".join(part for part in (series, report.to_date_note(both)) if part)
    return Section("visitors", title, note, table=report.comparison_table(lines, total, _("Market"), count))


def exports_section(report: AreaMonth) -> Section:
    title = _("Exports by destination")
    if report.exports_withheld:
        return Section("exports", title, empty=_("Not shown: the figures would show the sales of fewer than three "
                                                 "exporters whose detail you may not see."))
    lines, total, both = compare(report.rows("export_value"), report.to_date, report.withheld_destinations())
    if not lines:
        return Section("exports", title, empty=_("No export sales for this month or the year to date."))
    note = report.to_date_note(both)
    if any(line.key == OTHERS for line in lines):
        note += " " + _("Destinations that would show the sales of fewer than three exporters are summed into "
                        "\"Others\".")
    return Section("exports", title, note, table=report.comparison_table(lines, total, _("Destination"), yen))


def reporting_section(report: AreaMonth) -> Section:
    found = report.reporting()
    title = _("Reporting status")
    if not found:
        return Section("reporting", title, empty=_("No unit reports in this area."))
    columns = (_("Figures"), _("Units that report"), *(state_heading(state) for state in reversed(STATES)),
               _("Late"), _("Due"))
    rows, lines = [], []
    for metric, label, summary, missing in found:
        due = due_date(report.month, units.rule(metric))
        rows.append((label, count(summary.expected), *(count(summary.counts[s]) for s in reversed(STATES)),
                     count(summary.late), format_date(due, format="long")))
        if missing:
            names = " · ".join(missing[:NAMES_LISTED])  # names may hold commas: "Niseko, Hokkaido"
            if len(missing) > NAMES_LISTED:
                names += " " + _("and %(num)d more", num=len(missing) - NAMES_LISTED)
            lines.append(_("Visitor figures not reported: %(names)s.", names=names))
    numeric = (False, *[True] * (len(columns) - 2), False)
    table = PrintedTable(columns, tuple(rows), numeric)
    return Section("reporting", title, _("For %(month)s, as of %(date)s.", month=month_label(
        report.month.year, report.month.month), date=format_date(report.today, format="long")), table=table,
        lines=tuple(lines))


def affiliations_section(report: AreaMonth) -> Section | None:
    """The sister-city and friendship ties of the area and the areas below it, when it has any."""
    records = queries.affiliations_in_force(report.area, report.month.year)
    if not records:
        return None
    language = current_language()
    columns = (_("Partner"), _("Country"), _("Kind of tie"), _("Established"), _("Area"))
    rows = tuple((record.partner_name if language == "ja" else record.partner_name_en, market_name(record.country),
                  kind_label(record.kind), record.established, area_name(record.area)) for record in records)
    return Section("affiliations", _("Affiliations"),
                   _("Ties in force in %(year)s, of the area and the areas below it.",
                     year=year_label(report.month.year)),
                   table=PrintedTable(columns, rows, (False,) * len(columns)))


def notes_section(report: AreaMonth) -> Section:
    """The notes on the year to date (January, or April in a fiscal year, to the month) of the area and the areas
    below it, and of the exporters there whose detail the reader may see: they explain the figures the report
    compares."""
    first = report.to_date[0]
    rows = queries.notes_of(report.area, first, report.month, report.user, exporters=True)
    return notes.notes_section(rows, first, report.month, current_language(),
                               _("The notes of the year to date, of the area, the areas below it and the exporters "
                                 "whose sales you may see in detail."))


# The report's parts in order, each a function of the AreaMonth.
SECTIONS: list[Callable[[AreaMonth], Section | None]] = [visitors_section, exports_section, reporting_section,
                                                          affiliations_section, notes_section]
