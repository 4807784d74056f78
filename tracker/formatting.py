"""Numbers, periods and labels in the active language (Japanese and English conventions)."""

from __future__ import annotations

from babel import Locale
from babel.dates import get_month_names
from babel.numbers import format_decimal
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

ROLE_LABELS = {
    "admin": _l("Administrator"),
    "officer": _l("Tourism officer"),
    "exporter": _l("Exporter"),
    "viewer": _l("Viewer"),
}

STATUS_LABELS = {
    "estimate": _l("Estimate"),
    "provisional": _l("Provisional"),
    "final": _l("Final"),
}


def _locale() -> Locale:
    return get_locale() or Locale("ja")


def number(value: int | float | None) -> str:
    """Grouped digits: 19,737,409."""
    if value is None:
        return ""
    return format_decimal(value, locale=_locale())


def year_label(year: int, basis: str = "calendar") -> str:
    """2015年 / 2015; fiscal years 2015年度 / FY2015."""
    if basis == "fiscal":
        return _("FY%(year)d", year=year)
    return _("%(year)d", year=year)


def month_label(year: int, month: int) -> str:
    """2015年4月 / April 2015."""
    locale = _locale()
    if locale.language == "ja":
        return f"{year}年{month}月"
    return f"{get_month_names('wide', locale=locale)[month]} {year}"


def role_label(role: str) -> str:
    return str(ROLE_LABELS.get(role, role))


def status_label(status: str) -> str:
    return str(STATUS_LABELS.get(status, status))
