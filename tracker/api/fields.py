"""Field types the API's request schemas share: each parses the text a client sends into the domain's value (an
`Area`, a `Month`, an uploaded file) and describes itself to the OpenAPI document, so that the check and its
description are one piece of code. A refusal is a `ValueError` whose text is the translated message."""

from __future__ import annotations

from typing import Annotated, Any

from flask_babel import gettext as _
from pydantic import Field, PlainValidator, WithJsonSchema
from werkzeug.datastructures import FileStorage

from tracker.areas.queries import area_by_code
from tracker.models import Area
from tracker.periods import Month

MONTH_SCHEMA = {"type": "string", "pattern": r"^\d{4}-\d{1,2}$", "examples": ["2024-04"],
                "description": "A month written YYYY-MM."}


def _area(text: Any) -> Area:
    area = area_by_code(text) if isinstance(text, str) else None
    if area is None:
        raise ValueError(_("Unknown area code."))
    return area


def _optional_area(text: Any) -> Area | None:
    if isinstance(text, str) and not text.strip():
        return None  # `?area=` as a blank form field sends it: every area
    return _area(text)


def _month(text: Any) -> Month | None:
    if not isinstance(text, str):
        raise ValueError(_("A month as YYYY-MM."))
    if not text.strip():
        return None  # `?from=` as a blank form field sends it: no bound
    try:
        return Month.parse(text)
    except ValueError:
        raise ValueError(_("A month as YYYY-MM.")) from None


def _upload(value: Any) -> FileStorage:
    if not isinstance(value, FileStorage):
        raise ValueError(_("Send the file as the multipart field 'file'."))
    return value


AREA_SCHEMA = {"type": "string", "examples": ["JP", "130001", "131130"],
               "description": "JP for the nation, or a local-government code (6 digits, or 5 without the check digit)."}

AreaCode = Annotated[Area, PlainValidator(_area), WithJsonSchema(AREA_SCHEMA)]
OptionalAreaCode = Annotated[Area | None, PlainValidator(_optional_area), WithJsonSchema(AREA_SCHEMA)]
OptionalMonth = Annotated[Month | None, PlainValidator(_month), WithJsonSchema(MONTH_SCHEMA)]
Upload = Annotated[FileStorage, PlainValidator(_upload), WithJsonSchema({
    "type": "string", "format": "binary", "description": "A CSV (UTF-8 or CP932) or xlsx file."})]


def left_out(description: str, *, alias: str | None = None) -> Any:
    """A parameter that may be left out (None in the model): the document shows it optional, without the null
    default that a query string cannot send."""
    return Field(None, alias=alias, description=description, json_schema_extra=_without_default)


def _without_default(schema: dict[str, Any]) -> None:
    schema.pop("default", None)


def _required_month(text: Any) -> Month:
    month = _month(text)
    if month is None:
        raise ValueError(_("A month as YYYY-MM."))  # a blank month is no bound in a query, but a body needs one
    return month


RequiredMonth = Annotated[Month, PlainValidator(_required_month), WithJsonSchema(MONTH_SCHEMA)]
