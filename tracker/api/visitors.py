"""Visitor figures over the API: series by month, year, market or area; file imports."""

from __future__ import annotations

from typing import Literal

from flask import jsonify
from flask_login import current_user
from pydantic import BaseModel, ConfigDict, Field

from tracker import policy
from tracker.api.blueprint import bp
from tracker.api.contract import endpoint
from tracker.api.fields import AreaCode, OptionalMonth, left_out
from tracker.api.imports import ImportCounts, ImportQuery, ImportUpload, Queued, queued, refusal, should_queue
from tracker.extensions import db
from tracker.visitors.importer import import_visitors
from tracker.visitors.queries import GROUPS, series


class VisitorQuery(BaseModel):
    area: AreaCode = Field("JP", validate_default=True)
    group_by: Literal[GROUPS] = "month"
    first: OptionalMonth = left_out("The first month, YYYY-MM.", alias="from")
    last: OptionalMonth = left_out("The last month, YYYY-MM.", alias="to")
    include_subareas: bool = Field(False, description="The sum of the areas below instead of the area's own figure.")
    market: str = Field("", description="The visitors' country, ISO 3166-1 alpha-2.", examples=["CN"])


class _Row(BaseModel):
    model_config = ConfigDict(extra="forbid")

    visitors: int


class MonthRow(_Row):
    month: str


class YearRow(_Row):
    year: int


class MarketRow(_Row):
    market: str


class AreaRow(_Row):
    area: str


class VisitorRows(BaseModel):
    rows: list[MonthRow | YearRow | MarketRow | AreaRow] = Field(description="One row per `group_by` value.")


@bp.get("/visitors")
@endpoint(tags=["visitors"], allow=policy.can_read_public, query=VisitorQuery, ok={200: VisitorRows})
def get_visitors(query: VisitorQuery):
    """Visitor figures of an area, grouped by month, year, market or area."""
    return jsonify(rows=series(query.area, query.group_by, first=query.first, last=query.last,
                               market=query.market.strip().upper() or None, include_subareas=query.include_subareas))


@bp.post("/imports/visitors")
@endpoint(tags=["imports"], allow=policy.can_import_visitors, query=ImportQuery, form=ImportUpload,
          ok={200: ImportCounts, 202: Queued}, refusals=(409, 422))
def post_visitor_import(query: ImportQuery, form: ImportUpload):
    """Import a file of visitor figures: all of it or, with errors by line and column, none of it.

    A file over 1 MB (or any file with `?async=1`) becomes a job, answered 202 with its address."""
    if should_queue(form, query):
        return queued(form, "visitors")
    result = import_visitors(form.file.stream, form.file.filename or "upload", current_user, source="api")
    if not result.ok:
        db.session.rollback()
        raise refusal(result)
    db.session.commit()
    return jsonify(result.counts_json())
