"""The register over the API: the ties of a scope (also by field of exchange, `field=`), their counts by year, country
or prefecture, and a tie's before/after visitors."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from flask import jsonify
from flask_babel import gettext as _
from pydantic import BaseModel, ConfigDict, Field, PlainValidator, WithJsonSchema

from tracker import policy
from tracker.affiliations import queries
from tracker.affiliations.summary import active_by, by_year
from tracker.affiliations.values import countries
from tracker.api.blueprint import bp
from tracker.api.contract import endpoint
from tracker.api.errors import not_found
from tracker.api.fields import OptionalAreaCode, left_out
from tracker.extensions import db
from tracker.models import AFFILIATION_KINDS, EXCHANGE_FIELDS, PARTNER_LEVELS, Affiliation
from tracker.templating import current_language
from tracker.text import halfwidth


def _country(text: Any) -> str | None:
    code = halfwidth(text).strip().upper() if isinstance(text, str) else ""
    if not code:
        return None
    if code not in countries():
        raise ValueError(_("Unknown country code (ISO 3166-1 alpha-2, such as US or KR): %(code)s.", code=code[:50]))
    return code


def _field(text: Any) -> str | None:
    field = text.strip().lower() if isinstance(text, str) else ""
    if not field:
        return None
    if field not in EXCHANGE_FIELDS:
        raise ValueError(_("Unknown fields of exchange: %(fields)s (known: %(known)s).", fields=field[:50],
                           known=", ".join(EXCHANGE_FIELDS)))
    return field


class AffiliationQuery(BaseModel):
    area: OptionalAreaCode = left_out("The area whose ties are listed; every area's when left out. The nation (JP) "
                                      "has no ties of its own: with include_subareas=1 it lists every tie.")
    include_subareas: bool = Field(False, description="The ties of the areas below the area too.")
    country: Annotated[str | None, PlainValidator(_country), WithJsonSchema(
        {"type": "string", "examples": ["US", "CN"]})] = left_out("The partner's country, ISO 3166-1 alpha-2.")
    active: bool = Field(False, description="Only the ties that have not ended (active=1).")
    field: Annotated[str | None, PlainValidator(_field), WithJsonSchema(
        {"type": "string", "enum": list(EXCHANGE_FIELDS)})] = left_out("Only the ties with this field of exchange.")


class AffiliationRow(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: int
    area_code: str
    area_name: str = Field(description="In the language of Accept-Language.")
    partner_name: str = Field(description="As written locally.")
    partner_name_en: str
    country: str = Field(description="ISO 3166-1 alpha-2.")
    partner_level: Literal[PARTNER_LEVELS]
    kind: Literal[AFFILIATION_KINDS]
    established: str = Field(description="As written: a year (1955) or a day (1955-12-07).")
    ended: str | None = Field(description="As written; null while the tie is active.")
    fields: list[Literal[EXCHANGE_FIELDS]]
    note: str


class AffiliationList(BaseModel):
    rows: list[AffiliationRow] = Field(description="Oldest first.")


class SummaryQuery(BaseModel):
    group_by: Literal["year", "country", "prefecture"]
    area: OptionalAreaCode = left_out("Count the ties of this area and the areas below it; the nation's when left "
                                      "out.")


class YearCount(BaseModel):
    model_config = ConfigDict(extra="forbid")

    year: int
    added: int
    ended: int
    active: int = Field(description="Active at the end of the year.")


class CountryCount(BaseModel):
    model_config = ConfigDict(extra="forbid")

    country: str
    active: int


class PrefectureCount(BaseModel):
    model_config = ConfigDict(extra="forbid")

    prefecture: str = Field(description="The prefecture's code; a municipality's ties count for its prefecture.")
    active: int


class AffiliationSummary(BaseModel):
    rows: list[YearCount | CountryCount | PrefectureCount] = Field(
        description="By year: every year from the first tie's through this one. By country or prefecture: the "
                    "active ties, the most first.")


class BeforeAfterYear(BaseModel):
    model_config = ConfigDict(extra="forbid")

    year: int
    partner: int = Field(description="Visitors from the partner's country.")
    others: int = Field(description="Visitors from every other market.")
    partner_index: float | None = Field(description="The base year = 100; null where the base is 0 or missing.")
    others_index: float | None = Field(description="The base year = 100; null where the base is 0 or missing.")


class BeforeAfter(BaseModel):
    base_year: int = Field(description="The year before the tie was established.")
    rows: list[BeforeAfterYear] = Field(description="The years with figures, from 3 before the tie to 3 after.")
    source: Literal["own", "subareas"] = Field(
        description="The area's own figures, or (a prefecture without them) the sum of its municipalities'.")


@bp.get("/affiliations")
@endpoint(tags=["affiliations"], allow=policy.can_read_affiliations, query=AffiliationQuery,
          ok={200: AffiliationList})
def list_affiliations(query: AffiliationQuery):
    """The ties of an area (and of the areas below it), or of every area, by country, field and whether active."""
    records = queries.affiliations(query.area, include_subareas=query.include_subareas, country=query.country,
                                   active=query.active, field=query.field)
    language = current_language()
    return jsonify(rows=[queries.as_json(record, language) for record in records])


@bp.get("/affiliations/summary")
@endpoint(tags=["affiliations"], allow=policy.can_read_affiliations, query=SummaryQuery,
          ok={200: AffiliationSummary})
def affiliations_summary(query: SummaryQuery):
    """The ties counted by year (added, ended, active), or the active ones by country or by prefecture."""
    ties = queries.ties(query.area)
    if query.group_by == "year":
        return jsonify(rows=by_year(ties, date.today().year))
    return jsonify(rows=[{query.group_by: key, "active": count} for key, count in active_by(ties, query.group_by)])


@bp.get("/affiliations/<int:affiliation_id>/visitors")
@endpoint(tags=["affiliations"], allow=policy.can_read_affiliations, ok={200: BeforeAfter}, refusals=(404,))
def affiliation_visitors(affiliation_id: int):
    """The area's visitors from the partner's country beside every other market's, around the year of the tie,
    indexed to the year before it. A comparison, not proof of cause."""
    record = db.session.get(Affiliation, affiliation_id)
    if record is None:
        raise not_found(_("No such affiliation."))
    return jsonify(queries.visitors_comparison(record))
