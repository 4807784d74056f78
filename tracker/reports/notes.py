"""The notes of a report's months, printed as a table: what explains a spike sits beside the figures on paper,
where a chart's hover text cannot be read."""

from __future__ import annotations

from collections.abc import Sequence

from flask_babel import gettext as _

from tracker.formatting import moment, month_label
from tracker.notes.queries import NoteRow
from tracker.periods import Month
from tracker.reports.sections import PrintedTable, Section


def period_label(first: Month, last: Month) -> str:
    """"March 2024", or "January 2024–March 2024"."""
    if first == last:
        return month_label(first.year, first.month)
    return f"{month_label(first.year, first.month)}–{month_label(last.year, last.month)}"


def notes_section(rows: Sequence[NoteRow], first: Month, last: Month, language: str, note: str = "") -> Section:
    """The notes on the months from `first` to `last`, oldest month first: the month, what the note is on (an area
    or an exporter), its text and who wrote it when."""
    title = _("Notes, %(period)s", period=period_label(first, last))
    if not rows:
        return Section("notes", title, note, empty=_("No notes in these months."))
    columns = (_("Month"), _("Area or exporter"), _("Note"), _("Written by"))
    table = tuple((month_label(row.month.year, row.month.month), row.subject(language), row.text,
                   f"{row.author or _('command line')} · {moment(row.created_at)}") for row in rows)
    return Section("notes", title, note, table=PrintedTable(columns, table, (False,) * len(columns)))
