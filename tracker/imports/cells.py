"""Checks of the cells every import file has: whole numbers and local-government codes, with the reasons the
report gives, so that the visitor and export imports word them alike."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from flask_babel import gettext as _

from tracker.areas.codes import InvalidAreaCode, area_code_readings, check_digit
from tracker.imports.pipeline import Issue
from tracker.imports.quoting import excerpt
from tracker.text import halfwidth

MAX_DIGITS = 18  # a cell of at most this many digits is a whole number within LARGEST_WHOLE


def plain(text: str) -> str:
    """halfwidth() for cells typed with a Japanese input method; most cells are ASCII and skip NFKC."""
    return text.strip() if text.isascii() else halfwidth(text)


# The largest BIGINT of both databases; a longer number is refused before it is parsed at all.
LARGEST_WHOLE = 2**63 - 1


def whole(line: int, column: str, text: str, issues: list[Issue]) -> int | None:
    """A whole number from 0 to LARGEST_WHOLE (full-width digits and thousands separators accepted), or None
    with the issue."""
    if text.isdigit() and text.isascii() and len(text) <= MAX_DIGITS:  # the common cell, without the checks below
        return int(text)
    cleaned = plain(text).replace(",", "")
    if not cleaned:
        issues.append(Issue(line, column, _("This cell is empty.")))
        return None
    if not cleaned.lstrip("-").isdigit() or not cleaned.isascii():
        issues.append(Issue(line, column, _("Not a whole number: %(value)s.", value=excerpt(text))))
        return None
    if len(cleaned.lstrip("-0")) > len(str(LARGEST_WHOLE)) or int(cleaned) > LARGEST_WHOLE:
        issues.append(Issue(line, column, _("Too large: %(value)s (at most %(most)s).", value=excerpt(text),
                                            most=f"{LARGEST_WHOLE:,}")))
        return None
    value = int(cleaned)
    if value < 0:
        issues.append(Issue(line, column, _("Must not be negative: %(value)s.", value=excerpt(text))))
        return None
    return value


def digits_only(cells: Sequence[str], longest: int) -> list[int | None]:
    """The cells of plain ASCII digits, at most `longest` of them, as numbers (what a row's fast check takes); None
    for any other cell."""
    if all(map(str.isdigit, cells)) and all(map(str.isascii, cells)) and max(map(len, cells), default=0) <= longest:
        return list(map(int, cells))
    return [int(cell) if cell.isdigit() and cell.isascii() and len(cell) <= longest else None for cell in cells]


def too_long(line: int, column: str, text: str, most: int, issues: list[Issue]) -> bool:
    """Whether a name is longer than its column holds (with the issue): the database would refuse it later."""
    if len(text) <= most:
        return False
    issues.append(Issue(line, column, _("Longer than %(most)d characters: %(value)s.", most=most,
                                        value=excerpt(text))))
    return True


def area_code(text: str, exists: Callable[[str], bool]) -> tuple[str | None, str | None]:
    """`JP` or the 6-digit local-government code (5 digits get their check digit, or their leading zero back when
    only that reading names an area: `exists`), or why the cell is not one."""
    code = plain(text).upper()
    if not code:
        return None, _("The area code is empty.")
    try:
        readings = area_code_readings(code)
    except InvalidAreaCode:
        if len(code) == 6 and code.isascii() and code.isdigit():
            return None, _("Wrong check digit in %(code)s: expected %(digit)d.", code=code,
                           digit=check_digit(code[:5]))
        return None, _("Not a local-government code: %(code)s.", code=excerpt(text))
    return next((reading for reading in readings if exists(reading)), readings[0]), None
