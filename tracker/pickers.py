"""Destinations, markets and areas picked from a list by name: each option reads "香港 (HK)", and what comes back
(an option, a bare code, or a name typed in either language) is read as the code the services take."""

from __future__ import annotations

import re
from functools import cache

from babel import Locale
from wtforms import StringField

from tracker.areas.queries import area_by_code, area_code_named, area_options
from tracker.formatting import SHORT_TERRITORY_NAMES, area_name, market_name
from tracker.reference import NATION_CODE, market_codes
from tracker.text import halfwidth

LANGUAGES = ("ja", "en")
_CODE_IN_BRACKETS = re.compile(r"\(\s*([A-Za-z0-9]+)\s*\)$")
_MARKET_CODE = re.compile(r"[A-Za-z]{2}")


def option(name: str, code: str) -> str:
    return f"{name} ({code})"


def market_options() -> list[str]:
    """Every market as an option in the active language, by name."""
    return sorted(option(market_name(code), code) for code in market_codes())


def area_picker_options(language: str, level: str | None = None) -> list[str]:
    """Every area (or every area of `level`) as an option in the page's language, in code order (the nation, then
    the prefectures...)."""
    return [option(name, code) for code, name in area_options(language, level)]


@cache
def _known_markets() -> frozenset[str]:
    return frozenset(market_codes())


@cache
def _market_codes_by_name() -> dict[str, str]:
    """Markets by their names folded for comparison: CLDR's names and the short ones, in both languages."""
    names = {}
    for language in LANGUAGES:
        territories = Locale(language).territories
        for code in market_codes():
            for name in (territories.get(code), SHORT_TERRITORY_NAMES[language].get(code)):
                if name:
                    names[name.casefold()] = code
    return names


def market_code(text: str | None) -> str:
    """The market code in what was typed or picked ("香港 (HK)", "hk", "香港", "Hong Kong"); else the text as typed,
    for the caller to refuse."""
    folded = halfwidth(text or "")
    bracketed = _CODE_IN_BRACKETS.search(folded)
    if bracketed:
        return bracketed.group(1).upper()
    if _MARKET_CODE.fullmatch(folded):
        return folded.upper()
    return _market_codes_by_name().get(folded.casefold(), folded)


def area_code(text: str | None) -> str:
    """The area code in what was typed or picked ("京都市, 京都府 (261009)", "261009", "京都市"); else the text."""
    folded = halfwidth(text or "")
    bracketed = _CODE_IN_BRACKETS.search(folded)
    if bracketed:
        return bracketed.group(1).upper()
    if folded.upper() == NATION_CODE:
        return NATION_CODE
    if not folded or folded.isascii() and any(c.isdigit() for c in folded):
        return folded
    return area_code_named(folded) or folded


class MarketField(StringField):
    """A destination or market: shown by name with its code, read back as the code (field.data)."""

    def process_formdata(self, valuelist):
        self.data = market_code(valuelist[0]) if valuelist else ""

    def _value(self):
        code = self.data or ""
        return option(market_name(code), code) if code in _known_markets() else code


class AreaField(StringField):
    """An area: picked from the list of names with codes, read back as the code (field.data)."""

    def process_formdata(self, valuelist):
        self.data = area_code(valuelist[0]) if valuelist else ""

    def _value(self):
        area = area_by_code(self.data) if self.data else None
        return option(area_name(area), area.code) if area is not None else self.data or ""
