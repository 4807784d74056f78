"""Municipalities from the list of local-government codes: the CSV layout and the Ministry's xlsx."""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass, field
from typing import BinaryIO

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from tracker.areas.codes import InvalidAreaCode, normalise_area_code, prefecture_code_of
from tracker.extensions import db
from tracker.imports.quoting import excerpt
from tracker.imports.readers import FileFormatError, open_table
from tracker.models import Area
from tracker.reference import municipality_english_name
from tracker.text import halfwidth

# The Ministry of Internal Affairs' xlsx headers, mapped onto the CSV layout's names.
ALIASES = {
    "団体コード": "lg_code",
    "都道府県名（漢字）": "pref_name_ja",
    "市区町村名（漢字）": "name_ja",
    "都道府県名（カナ）": "pref_name_kana",
    "市区町村名（カナ）": "name_kana",
}
OPTIONAL = {"name_en", "is_basic_municipality", "is_current", "pref_name_ja", "pref_name_kana", "type", "office_lat",
            "office_lng"}
# (column, lowest, highest): where an office may stand; the database checks the globe, this the file's columns
COORDINATES = (("office_lat", -90.0, 90.0), ("office_lng", -180.0, 180.0))


class AreaImportError(ValueError):
    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("; ".join(errors))


@dataclass
class AreaImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Row:
    line: int
    code: str
    name_ja: str
    name_kana: str
    name_en: str
    office: tuple[float, float] | None


def import_areas(stream: BinaryIO, filename: str, encoding: str | None = None) -> AreaImportResult:
    """Create or update the municipalities of the file; areas are never deleted. All or nothing."""
    rows, errors = _read(stream, filename, encoding)
    if errors:
        raise AreaImportError(errors)
    existing = {area.code: area for area in db.session.scalars(select(Area))}
    result = AreaImportResult()
    for row in rows:
        area = existing.get(row.code)
        parent = existing.get(prefecture_code_of(row.code))
        if parent is None:
            raise AreaImportError([str(_l("line %(line)d: no prefecture for %(code)s", line=row.line, code=row.code))])
        # a file without English names or offices (the Ministry's xlsx) keeps those the areas have
        office = row.office or ((area.office_lat, area.office_lng) if area else (None, None))
        values = (row.name_ja, row.name_kana, row.name_en or (area.name_en if area else ""), *office)
        if area is None:
            area = Area(code=row.code, level="municipality", parent=parent)
            db.session.add(area)
            existing[row.code] = area
            result.created += 1
        elif _values(area) == values:
            result.unchanged += 1
            continue
        else:
            result.updated += 1
        area.name_ja, area.name_kana, area.name_en, area.office_lat, area.office_lng = values
    db.session.flush()
    return result


def _read(stream: BinaryIO, filename: str, encoding: str | None) -> tuple[list[_Row], list[str]]:
    rows: list[_Row] = []
    errors: list[str] = []
    seen: dict[str, int] = {}
    try:
        table = open_table(stream, filename, required={"lg_code", "name_ja"}, optional=OPTIONAL | {"name_kana"},
                           aliases=ALIASES, encoding=encoding)
        for line, record in table:
            if not _is_municipality(record):
                continue
            try:
                code = normalise_area_code(record["lg_code"])
            except InvalidAreaCode:
                errors.append(str(_l("line %(line)d, lg_code: %(value)s is not a valid local-government code",
                                     line=line, value=excerpt(record["lg_code"]))))
                continue
            if code in seen:
                errors.append(str(_l("line %(line)d, lg_code: %(code)s is also on line %(other)d",
                                     line=line, code=code, other=seen[code])))
                continue
            seen[code] = line
            name_ja = record["name_ja"].strip()
            if not name_ja:
                errors.append(str(_l("line %(line)d, name_ja: the name is empty", line=line)))
                continue
            names = {"name_ja": name_ja, "name_kana": unicodedata.normalize("NFKC", record.get("name_kana") or ""),
                     "name_en": municipality_english_name(name_ja, (record.get("name_en") or "").strip())}
            too_long = next((column for column, text in names.items()
                             if len(text) > Area.__table__.c[column].type.length), None)
            if too_long:
                errors.append(str(_l("line %(line)d, %(column)s: longer than %(most)d characters: %(value)s",
                                     line=line, column=too_long, most=Area.__table__.c[too_long].type.length,
                                     value=excerpt(names[too_long]))))
                continue
            office, problem = _office(record)
            if problem:
                errors.append(str(_l("line %(line)d, %(column)s: %(reason)s", line=line, column=problem[0],
                                     reason=problem[1])))
                continue
            rows.append(_Row(line, code, *names.values(), office))
    except FileFormatError as error:
        errors.append(str(error))
    if not rows and not errors:
        errors.append(str(_l("the file holds no municipality")))
    return rows, errors


def _values(area: Area) -> tuple:
    return area.name_ja, area.name_kana, area.name_en, area.office_lat, area.office_lng


def _office(record: dict[str, str]) -> tuple[tuple[float, float] | None, tuple[str, str] | None]:
    """The office's (latitude, longitude), or None when the row has neither; else the column and what is wrong."""
    texts = [halfwidth(record.get(column) or "").strip() for column, _low, _high in COORDINATES]
    if not any(texts):
        return None, None
    values = []
    for text, (column, low, high) in zip(texts, COORDINATES, strict=True):
        if not text:
            return None, (column, str(_l("the other coordinate is given, this one is empty")))
        try:
            value = float(text)
        except ValueError:
            value = math.nan
        if not low <= value <= high:
            return None, (column, str(_l("%(value)s is not a number from %(low)g to %(high)g",
                                         value=excerpt(text), low=low, high=high)))
        values.append(value)
    return (values[0], values[1]), None


def _is_municipality(record: dict[str, str]) -> bool:
    """Municipalities only: prefecture rows (code ending 000x...) and designated-city wards are skipped."""
    code = record.get("lg_code", "").strip()
    if len(code) >= 5 and code[2:5] == "000":
        return False
    if record.get("is_basic_municipality", "1").strip() == "0":
        return False
    return record.get("is_current", "1").strip() != "0"
