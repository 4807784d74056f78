"""Numbers, periods and labels in the active language (Japanese and English conventions)."""

from __future__ import annotations

from babel import Locale
from babel.dates import get_month_names
from babel.numbers import format_currency, format_decimal, format_percent
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from tracker.reference import UNSPECIFIED_MARKET

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

METRIC_LABELS = {
    "visitors": _l("Foreign visitors"),
    "export_value": _l("Export value"),
}

YEAR_BASIS_LABELS = {
    "calendar": _l("Calendar years"),
    "fiscal": _l("Fiscal years (April to March)"),
}

PROGRESS_LABELS = {
    "met": _l("Met"),
    "missed": _l("Missed"),
    "on_track": _l("On track"),
    "at_risk": _l("At risk"),
    "off_track": _l("Off track"),
    "no_data": _l("No figures yet"),
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


def percent(value: float | None, digits: int = 1) -> str:
    """23.7% / 23.7%: a fraction shown as a percentage."""
    if value is None:
        return ""
    return format_percent(value, format="#,##0." + "0" * digits + "%" if digits else "#,##0%", locale=_locale())


def amount(value: int | float | None, metric: str) -> str:
    """A figure of a metric: visitors as a count, export values in yen."""
    if value is None:
        return ""
    if metric == "export_value":
        return format_currency(round(value), "JPY", locale=_locale())
    return number(round(value))


def market_name(code: str) -> str:
    """The country or region in the active language; ZZ stands for "unspecified"."""
    if code == UNSPECIFIED_MARKET:
        return _("Unspecified")
    return _locale().territories.get(code, code)


def metric_label(metric: str) -> str:
    return str(METRIC_LABELS.get(metric, metric))


def progress_label(status: str) -> str:
    return str(PROGRESS_LABELS.get(status, status))
