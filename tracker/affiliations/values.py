"""One affiliation's values as people write them, checked: the entry form and the import refuse the same things with
the same words (an unknown country, kind, level or field of exchange, a date in the future, an end before its start).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _

from tracker.imports.quoting import excerpt
from tracker.models import AFFILIATION_KINDS, EXCHANGE_FIELDS, PARTNER_LEVELS
from tracker.reference import UNSPECIFIED_MARKET, market_codes
from tracker.text import halfwidth

# Japan's first tie (Nagasaki and Saint Paul) is of 1955; a year before this one is a typing slip.
EARLIEST_YEAR = 1900
NAME_LENGTH = 200
NOTE_LENGTH = 2000
_DATE = re.compile(r"(\d{4})(?:-(\d{1,2})-(\d{1,2}))?", re.ASCII)
# the words of CLAIR's register and of Japanese files, besides the English values
KIND_WORDS = {"姉妹": "sister", "姉妹都市": "sister", "友好": "friendship", "友好都市": "friendship", "その他": "other"}
LEVEL_WORDS = {"都市": "city", "市": "city", "州": "state", "省": "state", "州・省": "state", "その他": "other"}
FIELD_WORDS = {"教育": "education", "文化": "culture", "経済": "economy", "観光": "tourism", "スポーツ": "sports",
               "行政": "administration"}


@dataclass(frozen=True)
class Written:
    """A year, or a day when it is known: the text the register gives back is the one written."""

    year: int
    on: date | None = None

    def __str__(self) -> str:
        return self.on.isoformat() if self.on else str(self.year)

    def before(self, other: Written) -> bool:
        """Certainly earlier: a year alone is not earlier than a day of that same year."""
        if self.on is not None and other.on is not None:
            return self.on < other.on
        return self.year < other.year


@dataclass(frozen=True)
class AffiliationValues:
    partner_name: str
    partner_name_en: str
    country: str
    partner_level: str
    kind: str
    established: Written
    ended: Written | None
    fields: str  # EXCHANGE_FIELDS joined by ";" in their order
    note: str


def countries() -> frozenset[str]:
    """ISO 3166-1 alpha-2 codes (the markets' codes, without ZZ for "unspecified")."""
    return frozenset(market_codes()) - {UNSPECIFIED_MARKET}


def check(raw: dict[str, str], today: date, known_countries: frozenset[str] | None = None
          ) -> tuple[AffiliationValues | None, dict[str, str]]:
    """The values of the cells named as in the file (`partner_name` ... `note`), or the reason per cell."""
    errors: dict[str, str] = {}
    partner_name = _name(raw.get("partner_name", ""), "partner_name", errors)
    partner_name_en = _name(raw.get("partner_name_en", ""), "partner_name_en", errors)
    country = _country(raw.get("country", ""), known_countries or countries(), errors)
    level = _word(raw.get("partner_level", ""), PARTNER_LEVELS, LEVEL_WORDS, "partner_level", errors)
    kind = _word(raw.get("kind", ""), AFFILIATION_KINDS, KIND_WORDS, "kind", errors)
    established = _written(raw.get("established", ""), "established", today, errors, required=True)
    ended = _written(raw.get("ended", ""), "ended", today, errors, required=False)
    if established is not None and ended is not None and ended.before(established):
        errors["ended"] = _("The end (%(ended)s) comes before the start (%(established)s).", ended=str(ended),
                            established=str(established))
    fields = _fields(raw.get("fields", ""), errors)
    note = raw.get("note", "").strip()
    if len(note) > NOTE_LENGTH:
        errors["note"] = _("Longer than %(most)d characters: %(value)s.", most=NOTE_LENGTH, value=excerpt(note))
    if errors:
        return None, errors
    return AffiliationValues(partner_name, partner_name_en, country, level, kind, established, ended, fields,
                             note), {}


def _name(text: str, column: str, errors: dict[str, str]) -> str:
    name = " ".join(text.split())
    if not name:
        errors[column] = _("This cell is empty.")
    elif len(name) > NAME_LENGTH:
        errors[column] = _("Longer than %(most)d characters: %(value)s.", most=NAME_LENGTH, value=excerpt(name))
    return name


def _country(text: str, known: frozenset[str], errors: dict[str, str]) -> str:
    code = halfwidth(text).strip().upper()
    if code not in known:
        errors["country"] = _("Unknown country code (ISO 3166-1 alpha-2, such as US or KR): %(code)s.",
                              code=excerpt(text))
    return code


def _word(text: str, allowed: tuple[str, ...], words: dict[str, str], column: str, errors: dict[str, str]) -> str:
    cleaned = halfwidth(text).strip()
    value = words.get(cleaned, cleaned.lower())
    if value not in allowed:
        errors[column] = _("Must be one of %(allowed)s, not %(value)s.", allowed=", ".join(allowed),
                           value=excerpt(text) or '""')
    return value


def _written(text: str, column: str, today: date, errors: dict[str, str], *, required: bool) -> Written | None:
    """`YYYY` or `YYYY-MM-DD`, from EARLIEST_YEAR up to today."""
    cleaned = halfwidth(text).strip().replace("/", "-")
    if not cleaned:
        if required:
            errors[column] = _("This cell is empty.")
        return None
    match = _DATE.fullmatch(cleaned)
    written = None
    if match:
        year = int(match.group(1))
        try:
            written = Written(year, date(year, int(match.group(2)), int(match.group(3))) if match.group(2) else None)
        except ValueError:
            written = None
    if written is None:
        errors[column] = _("Write a year (YYYY) or a day (YYYY-MM-DD), not %(value)s.", value=excerpt(text))
    elif written.year < EARLIEST_YEAR:
        errors[column] = _("The year %(year)d is out of range.", year=written.year)
    elif (written.on or date(written.year, 1, 1)) > today:
        errors[column] = _("%(date)s is in the future.", date=str(written))
    else:
        return written
    return None


def _fields(text: str, errors: dict[str, str]) -> str:
    """`;`-separated (a Japanese 、 or ； too) fields of exchange, stored in EXCHANGE_FIELDS order."""
    words = [word.strip() for word in halfwidth(text).replace("、", ";").split(";") if word.strip()]
    chosen, unknown = set(), []
    for word in words:
        field = FIELD_WORDS.get(word, word.lower())
        if field in EXCHANGE_FIELDS:
            chosen.add(field)
        else:
            unknown.append(word)
    if unknown:
        errors["fields"] = _("Unknown fields of exchange: %(fields)s (known: %(known)s).",
                             fields=excerpt(", ".join(unknown)), known=", ".join(EXCHANGE_FIELDS))
    return join_fields(chosen)


def join_fields(chosen) -> str:
    return ";".join(field for field in EXCHANGE_FIELDS if field in chosen)
