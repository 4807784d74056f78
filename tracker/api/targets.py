"""Targets and their progress over the API: read by dashboard readers, written by admins."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from flask import jsonify, url_for
from flask_login import current_user
from pydantic import BaseModel, ConfigDict, Field

from tracker import policy
from tracker.api.blueprint import bp
from tracker.api.contract import endpoint
from tracker.api.errors import invalid, not_found
from tracker.extensions import db
from tracker.models import METRICS, YEAR_BASES, Target
from tracker.periods import FIRST_YEAR, LAST_YEAR
from tracker.targets.progress import Progress
from tracker.targets.queries import all_targets, target_progress
from tracker.targets.services import TargetError, TargetInput, create_target, update_target


class TargetBody(BaseModel):
    """A target as written; null in an optional field is the same as leaving it out."""

    model_config = ConfigDict(strict=True, extra="forbid")

    name: str
    metric: Literal[METRICS]
    area: str = Field(examples=["JP", "130001"])
    baseline_year: int = Field(ge=FIRST_YEAR, le=LAST_YEAR)
    target_year: int = Field(ge=FIRST_YEAR, le=LAST_YEAR)
    target_value: int = Field(ge=1)
    baseline_value: int | None = Field(None, ge=1, description="The baseline year's recorded actual when left out.")
    year_basis: Literal[YEAR_BASES] | None = Field(None, description="calendar when left out.")
    include_subareas: bool | None = None
    market: str | None = Field(None, description="Visitors from one country only (ISO 3166-1 alpha-2).")
    product: int | None = Field(None, description="Sales of one product only (its id).")
    destination: str | None = Field(None, description="Sales to one country only (ISO 3166-1 alpha-2).")
    id: int | None = Field(None, description="Ignored: a target read with GET may be sent back as it is.")

    def input(self) -> TargetInput:
        return TargetInput(**self.model_dump(exclude_none=True, exclude={"id"}))


class TargetOut(BaseModel):
    id: int
    name: str
    metric: str
    area: str
    market: str | None
    product: int | None
    destination: str | None
    baseline_year: int
    baseline_value: int | None
    target_year: int
    target_value: int
    year_basis: str
    include_subareas: bool


class TargetList(BaseModel):
    targets: list[TargetOut]


class YearProgress(BaseModel):
    year: int
    actual: int | None
    required: int | None
    complete: bool


class TargetProgress(BaseModel):
    target: TargetOut
    required_cagr: float
    years: list[YearProgress]
    current_year: int
    ytd: int | None
    ytd_months: int
    projected: int | None
    needed_monthly: int | None
    met_year: int | None
    status: str
    headline_year: int | None
    overdue_months: list[str]


class ProgressQuery(BaseModel):
    approved: bool = Field(False, description="Count only the figures of approved months (approved=1).")


@bp.get("/targets")
@endpoint(tags=["targets"], allow=policy.can_read_public, ok={200: TargetList})
def list_targets():
    """Every target."""
    return jsonify(targets=[target_json(t) for t in all_targets()])


@bp.get("/targets/<int:target_id>")
@endpoint(tags=["targets"], allow=policy.can_read_public, ok={200: TargetOut}, refusals=(404,))
def get_target(target_id: int):
    """One target."""
    return jsonify(target_json(_target(target_id)))


@bp.get("/targets/<int:target_id>/progress")
@endpoint(tags=["targets"], allow=policy.can_read_public, query=ProgressQuery, ok={200: TargetProgress},
          refusals=(404,))
def get_progress(target_id: int, query: ProgressQuery):
    """A target's progress: each year's actual against the path to it, this year so far and its projection."""
    target = _target(target_id)
    return jsonify(progress_json(target, target_progress(target, date.today(), query.approved)))


@bp.post("/targets")
@endpoint(tags=["targets"], allow=policy.can_manage, json=TargetBody, ok={201: TargetOut})
def post_target(json: TargetBody):
    """Create a target; the baseline value is resolved from the figures when left out."""
    saved = _save(json, None)
    response = jsonify(target_json(saved))
    response.status_code = 201
    response.headers["Location"] = url_for("api.get_target", target_id=saved.id)
    return response


@bp.put("/targets/<int:target_id>")
@endpoint(tags=["targets"], allow=policy.can_manage, json=TargetBody, ok={200: TargetOut}, refusals=(404,))
def put_target(target_id: int, json: TargetBody):
    """Replace a target's fields."""
    return jsonify(target_json(_save(json, _target(target_id))))


def _target(target_id: int) -> Target:
    target = db.session.get(Target, target_id)
    if target is None:
        raise not_found()
    return target


def _save(body: TargetBody, target: Target | None) -> Target:
    try:
        saved = (create_target(body.input(), by=current_user, source="api") if target is None
                 else update_target(target, body.input(), by=current_user, source="api"))
    except TargetError as error:
        db.session.rollback()
        raise invalid(error.errors) from None
    db.session.commit()
    return saved


def target_json(target: Target) -> dict[str, Any]:
    return {
        "id": target.id,
        "name": target.name,
        "metric": target.metric,
        "area": target.area.code,
        "market": target.market.code if target.market else None,
        "product": target.product_id,
        "destination": target.destination.code if target.destination else None,
        "baseline_year": target.baseline_year,
        "baseline_value": target.baseline_value,
        "target_year": target.target_year,
        "target_value": target.target_value,
        "year_basis": target.year_basis,
        "include_subareas": target.include_subareas,
    }


def progress_json(target: Target, progress: Progress) -> dict[str, Any]:
    return {
        "target": target_json(target),
        "required_cagr": round(progress.required_cagr, 4),
        "years": [{"year": f.year, "actual": f.actual, "required": _round(f.required), "complete": f.complete}
                  for f in progress.years],
        "current_year": progress.current_year,
        "ytd": progress.ytd,
        "ytd_months": progress.ytd_months,
        "projected": _round(progress.projected),
        "needed_monthly": _round(progress.needed_monthly),
        "met_year": progress.met_year,
        "status": progress.status,
        "headline_year": progress.headline_year,
        "overdue_months": [str(month) for month in progress.overdue_months],
    }


def _round(value: float | None) -> int | None:
    return None if value is None else round(value)
