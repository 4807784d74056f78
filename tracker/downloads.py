"""Downloads of figures in their import format, shared by visitors and exports: what a download asks for, read
from its URL parameters (months, area codes, record ids, the language of the column headers), and the file it
sends.

A selection that names an unknown area or a malformed month is refused with the reason (`SelectionError`):
read as "no selection" it would export everything the user may see."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from flask import Response, abort, send_file, stream_with_context
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from tracker.areas.queries import areas_by_codes
from tracker.imports.writers import write_csv, write_xlsx
from tracker.periods import Month
from tracker.text import halfwidth

# The largest id an integer column holds: a larger number in a URL names nothing, and the database would fail
# on it rather than find nothing.
MAX_ID = 2**31 - 1


class SelectionError(ValueError):
    """Why a selection cannot be exported, in words for the user."""


def listed(args: MultiDict, name: str) -> list[str]:
    """A parameter that may repeat and hold comma-separated values, full-width characters made half-width."""
    return [item.strip() for value in args.getlist(name) for item in halfwidth(value).split(",") if item.strip()]


def month(args: MultiDict, name: str) -> Month | None:
    text = halfwidth(args.get(name, "")).strip()
    try:
        return Month.parse(text) if text else None
    except ValueError:
        raise SelectionError(_("Months are written YYYY-MM, for example 2015-04.")) from None


def month_range(args: MultiDict) -> tuple[Month | None, Month | None]:
    """`from` and `to`, inclusive, either open."""
    first, last = month(args, "from"), month(args, "to")
    if first is not None and last is not None and first > last:
        raise SelectionError(_("The first month %(first)s comes after the last, %(last)s.", first=str(first),
                               last=str(last)))
    return first, last


def area_ids(codes: Sequence[str]) -> tuple[int, ...]:
    """The ids of the areas with these codes (as people write them: areas_by_codes), in their order; any unknown
    code refuses the selection."""
    found = areas_by_codes(codes)
    if unknown := [code for code in codes if found[code] is None]:
        raise SelectionError(_("Unknown area codes: %(codes)s.", codes=", ".join(unknown)))
    return tuple(found[code].id for code in codes)


def record_id(text: str) -> int | None:
    """A record id as typed in a URL, or None when it cannot name a record."""
    text = halfwidth(text).strip()
    return int(text) if text.isdigit() and int(text) <= MAX_ID else None


def language(args: MultiDict) -> str:
    """The language of a file's headers and words: Japanese with `lang=ja` (the imports read both); English by
    default, which tools expect."""
    return "ja" if args.get("lang") == "ja" else "en"


def header(args: MultiDict, columns: Sequence[str], japanese: Mapping[str, str]) -> list[str]:
    """The column names in the file's language."""
    return [japanese[column] for column in columns] if language(args) == "ja" else list(columns)


def file_response(fmt: str, header: Sequence[str], rows, name: str, sheet_title: str) -> Response:
    """The rows as a CSV streamed while they are read, or an xlsx written to a temporary file first."""
    if fmt == "csv":
        response = Response(stream_with_context(write_csv(header, rows)), mimetype="text/csv")
        response.headers["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return response
    if fmt == "xlsx":
        return send_file(write_xlsx(header, rows, sheet_title=sheet_title), as_attachment=True,
                         download_name=f"{name}.xlsx",
                         mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    abort(404)
