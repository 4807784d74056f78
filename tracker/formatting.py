"""Numbers, periods and labels in the active language (Japanese and English conventions).

Each formatter takes an optional `locale` ("ja", "en" or a babel Locale); without one it uses the active language
(the request's), so the same functions serve pages, charts and exports, and are tested without a request.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from babel import Locale
from babel.dates import get_month_names
from babel.numbers import format_decimal, format_percent
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from tracker.models.users import LANGUAGES
from tracker.reference import UNSPECIFIED_MARKET

ROLE_LABELS = {
    "admin": _l("Administrator"),
    "officer": _l("Tourism officer"),
    "exporter": _l("Exporter"),
    "viewer": _l("Viewer"),
}

# A visitor figure's status in JNTO's own terms (推計値, 暫定値, 確定値): the one source of the words that screens,
# templates and downloads show, and that imports accept back (`status_words`).
STATUS_LABELS = {
    "estimate": _l("Estimate"),
    "provisional": _l("Provisional"),
    "final": _l("Final"),
}
# Words that files written before JNTO's terms may hold: 速報(値) is how the screens named an estimate, and the
# press still calls JNTO's first release of a month.
FORMER_STATUS_WORDS = {"推計": "estimate", "速報": "estimate", "速報値": "estimate", "暫定": "provisional",
                       "確定": "final"}

# Where a change came from (a revision's `source`).
SOURCE_LABELS = {"form": _l("Entry form"), "import": _l("Import"), "api": "API", "cli": _l("Command line")}

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

DEFAULT_LANGUAGE = "ja"
LANGUAGE_CODES = ("ja", "en")
# Times are stored in UTC and shown in Japan's time (which keeps no daylight saving), whatever the server's zone.
JAPAN = timezone(timedelta(hours=9), "JST")
MAN = 10_000  # 万
OKU = 100_000_000  # 億
# Babel ships CLDR's long names for the two Special Administrative Regions ("中華人民共和国香港特別行政区",
# "Hong Kong SAR China"); tourism statistics (JNTO) and trade statistics use CLDR's short names.
SHORT_TERRITORY_NAMES = {
    "ja": {"HK": "香港", "MO": "マカオ"},
    "en": {"HK": "Hong Kong", "MO": "Macao"},
}


def _locale(locale: Locale | str | None = None) -> Locale:
    if isinstance(locale, Locale):
        return locale
    if locale:
        return Locale.parse(locale)
    # Outside a request the app's locale selector answers (the command line's language); without an app, Japanese.
    return get_locale() or Locale(DEFAULT_LANGUAGE)


def _japanese(locale: Locale | str | None) -> bool:
    return _locale(locale).language == "ja"


def uses_man_oku(locale: Locale | str | None = None) -> bool:
    """Whether the language writes large figures in 万 and 億 units (Japanese) rather than M and B (English)."""
    return _japanese(locale)


def number(value: int | float | None, locale: Locale | str | None = None) -> str:
    """Grouped digits: 19,737,409."""
    if value is None:
        return ""
    return format_decimal(value, locale=_locale(locale))


def man_oku(value: int | float) -> str:
    """A whole amount in 億 and 万 units, rounded down as Japanese statistics headlines do:
    19,737,409 -> 1,973万; 123,456,789 -> 1億2,345万; 745,100,000,000 -> 7,451億; 9,999 -> 9,999."""
    whole = int(value)
    sign, whole = ("-", -whole) if whole < 0 else ("", whole)
    oku, man = divmod(whole // MAN, OKU // MAN)
    if whole < MAN:
        return f"{sign}{whole:,}"
    parts = [f"{oku:,}億"] if oku else []
    if man:
        parts.append(f"{man:,}万")
    return sign + "".join(parts)


def _english_compact(value: int | float, prefix: str = "", scale: int | float | None = None) -> str:
    """Three significant figures in the unit of `scale` (by default the value's own): 19,737,409 -> 19.7 M;
    3,970,000 -> 3.97 M; 18,000,000 -> 18.0 M; 166,667 beside a scale of millions -> 0.167 M; below a million
    of scale, grouped in full. A value past a thousand of the scale's unit keeps its separator (1,050 M)."""
    sign, value = ("-", -value) if value < 0 else ("", value)
    reference = abs(scale) if scale is not None else value
    for size, suffix in ((1_000_000_000_000, "T"), (1_000_000_000, "B"), (1_000_000, "M")):
        if reference >= size:
            units = value / size
            digits = format_decimal(round(units) if units >= 1000 else units, format="#,##0" if units >= 1000
                                    else "@@@", locale="en") if value else "0"
            return f"{sign}{prefix}{digits} {suffix}"
    return sign + prefix + format_decimal(round(value), locale="en")


def compact_count(value: int | float | None, locale: Locale | str | None = None,
                  scale: int | float | None = None) -> str:
    """A head count on a card: 1,973万人 / 19.7 M (in the unit of `scale`, the card's target value, when given)."""
    if value is None:
        return ""
    if _japanese(locale):
        return man_oku(value) + "人"
    return _english_compact(value, scale=scale)


def yen(value: int | float | None, locale: Locale | str | None = None) -> str:
    """Yen in full: ¥1,234,567 (the half-width sign in both languages)."""
    if value is None:
        return ""
    text = format_decimal(round(value), locale=_locale(locale))
    return f"-¥{text[1:]}" if text.startswith("-") else f"¥{text}"


def compact_yen(value: int | float | None, locale: Locale | str | None = None,
                scale: int | float | None = None) -> str:
    """Yen on a card: large sums in Japanese as 7,451億円 or 12億3,456万円; in English ¥745 B; small sums in full.
    Large or small is the `scale`'s (the card's target value) when given, so a card writes all its sums alike."""
    if value is None:
        return ""
    reference = abs(scale if scale is not None else value)
    if _japanese(locale):
        return man_oku(value) + "円" if reference >= OKU else yen(value, locale)
    return _english_compact(value, prefix="¥", scale=reference) if reference >= 1_000_000 else yen(value, locale)


def card_figure(value: int | float | None, metric: str, locale: Locale | str | None = None,
                scale: int | float | None = None) -> str:
    """A headline figure of a metric: visitors in 万/億 or M, export values in 億円 or ¥ M/B; every figure of a card
    given the card's `scale` (its target value) is written in the same unit."""
    if metric == "export_value":
        return compact_yen(value, locale, scale)
    return compact_count(value, locale, scale)


def year_label(year: int, basis: str = "calendar", locale: Locale | str | None = None) -> str:
    """2015年 / 2015; fiscal years 2015年度 / FY2015."""
    if basis == "fiscal":
        return f"{year}年度" if _japanese(locale) else f"FY{year}"
    return f"{year}年" if _japanese(locale) else str(year)


def month_label(year: int, month: int, locale: Locale | str | None = None) -> str:
    """2015年4月 / April 2015."""
    active = _locale(locale)
    if active.language == "ja":
        return f"{year}年{month}月"
    return f"{get_month_names('wide', locale=active)[month]} {year}"


def month_abbreviation(month: int, locale: Locale | str | None = None) -> str:
    """A month in a table's heading: 4月 / Apr."""
    return get_month_names("abbreviated", locale=_locale(locale))[month]


def month_text(month: str, locale: Locale | str | None = None) -> str:
    """A "YYYY-MM" month as month_label writes it."""
    year, number_ = (int(part) for part in month.split("-"))
    return month_label(year, number_, locale)


def chart_month_format(locale: Locale | str | None = None) -> str:
    """Plotly (d3) tick and hover format for months: 2015年4月 / Apr 2015."""
    return "%Y年%-m月" if _japanese(locale) else "%b %Y"


def moment(value: datetime | None, *, seconds: bool = False) -> str:
    """A stored time in Japan's time with its zone, in every language: 2024-05-01 12:39 JST."""
    if value is None:
        return ""
    return value.astimezone(JAPAN).strftime("%Y-%m-%d %H:%M:%S %Z" if seconds else "%Y-%m-%d %H:%M %Z")


def role_label(role: str) -> str:
    return str(ROLE_LABELS.get(role, role))


def status_label(status: str, language: str | None = None) -> str:
    """推計値 / Estimate, in the active language or in `language` (a download's)."""
    if language is None:
        return str(STATUS_LABELS.get(status, status))
    with force_locale(language):
        return str(STATUS_LABELS.get(status, status))


def status_words() -> dict[str, str]:
    """Every word an import reads as a status, case-folded: the codes, the labels the screens show in each language
    and the former words."""
    words = {status: status for status in STATUS_LABELS}
    for language in LANGUAGES:
        words.update({status_label(status, language).casefold(): status for status in STATUS_LABELS})
    words.update(FORMER_STATUS_WORDS)
    return words


def percent(value: float | None, digits: int = 1, locale: Locale | str | None = None) -> str:
    """23.7% / 23.7%: a fraction shown as a percentage."""
    if value is None:
        return ""
    pattern = "#,##0." + "0" * digits + "%" if digits else "#,##0%"
    return format_percent(value, format=pattern, locale=_locale(locale))


def amount(value: int | float | None, metric: str, locale: Locale | str | None = None) -> str:
    """A figure of a metric in full: visitors as a grouped count, export values in yen."""
    if value is None:
        return ""
    if metric == "export_value":
        return yen(value, locale)
    return number(round(value), locale)


def market_name(code: str, locale: Locale | str | None = None) -> str:
    """The country or region in the active language (韓国 / South Korea); ZZ stands for "unspecified"."""
    if code == UNSPECIFIED_MARKET:
        return _("Unspecified")
    active = _locale(locale)
    short = SHORT_TERRITORY_NAMES.get(active.language, {})
    return short.get(code) or active.territories.get(code, code)


def area_name(area, locale: Locale | str | None = None) -> str:
    """Kanji in Japanese (東京都), romaji/English in English (Tokyo)."""
    return area.name_in(_locale(locale).language) if area is not None else ""


def own_name(named, locale: Locale | str | None = None) -> str:
    """An exporter's or a target's name in the active language (English when it has one)."""
    return named.name_in(_locale(locale).language)


def metric_label(metric: str) -> str:
    return str(METRIC_LABELS.get(metric, metric))


def progress_label(status: str) -> str:
    return str(PROGRESS_LABELS.get(status, status))


def table_figure(value: int | float | None, locale: Locale | str | None = None) -> str:
    """A count in a table of many columns, to three significant figures: 321万 / 25.2万 / 1.23億 in Japanese,
    3.21M / 25.2K in English; below 10,000 in full. The cell's title carries the exact figure."""
    if value is None:
        return ""
    sign, value = ("-", -value) if value < 0 else ("", value)
    if value < MAN:
        return sign + format_decimal(round(value), locale=_locale(locale))
    units = ((OKU, "億"), (MAN, "万")) if _japanese(locale) else ((1_000_000_000, "B"), (1_000_000, "M"), (1_000, "K"))
    size, suffix = next((size, suffix) for size, suffix in units if value >= size)
    scaled = value / size
    # three significant figures, and whole units from 1,000 up (1,234万, not 1.23千万)
    digits = 0 if scaled >= 100 else 1 if scaled >= 10 else 2
    text = format_decimal(round(scaled, digits), format="#,##0." + "#" * digits if digits else "#,##0",
                          locale=_locale(locale))
    return f"{sign}{text}{suffix}"
