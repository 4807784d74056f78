"""Creating and changing targets: plain values in, a Target or a TargetError naming each bad field out."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select

from tracker import policy
from tracker.areas.queries import UnknownArea, find_area
from tracker.extensions import db
from tracker.form_errors import FieldErrors
from tracker.formatting import number
from tracker.models import METRICS, YEAR_BASES, Area, Market, Product, Target, User
from tracker.periods import FIRST_YEAR, LAST_YEAR
from tracker.revisions import Change, record_changes
from tracker.targets.queries import recorded_year
from tracker.targets.scope import Scope

TABLE = "targets"  # the revisions' table name, keyed by the target's id
MAX_VALUE = 10**15
NAME_LENGTH = 200


@dataclass(frozen=True)
class TargetInput:
    name: str
    metric: str
    area: str
    baseline_year: int
    target_year: int
    target_value: int
    baseline_value: int | None = None  # None: the recorded actual of the baseline year
    year_basis: str = "calendar"
    include_subareas: bool = False
    market: str | None = None
    product: int | None = None
    destination: str | None = None
    name_en: str = ""


class TargetError(FieldErrors):
    """Bad input: `errors` maps each field name to what is wrong with it."""


def create_target(data: TargetInput, *, by: User | None = None, source: str = "cli") -> Target:
    """A new target; `by` (None: the command line) is who set it, for the revision."""
    target = Target()
    _apply(target, data)
    db.session.add(target)
    db.session.flush()
    _record(target, None, by, source)
    return target


def update_target(target: Target, data: TargetInput, *, by: User | None = None, source: str = "cli") -> Target:
    before = target_text(target)
    _apply(target, data)
    db.session.flush()
    if target_text(target) != before:
        _record(target, before, by, source)
    return target


def target_text(target: Target) -> str:
    """A target as its revisions show it: "18 million; visitors 130001; calendar 2012: 8358105 -> 2016: 18000000"."""
    scope = f"{target.metric} {target.area.code}" + (" and below" if target.include_subareas else "")
    for label, value in (("market", target.market and target.market.code), ("product", target.product_id),
                         ("destination", target.destination and target.destination.code)):
        if value:
            scope += f" {label} {value}"
    name = f"{target.name} / {target.name_en}" if target.name_en else target.name
    return (f"{name}; {scope}; {target.year_basis} {target.baseline_year}: {target.baseline_value} -> "
            f"{target.target_year}: {target.target_value}")


def _record(target: Target, before: str | None, by: User | None, source: str) -> None:
    record_changes(TABLE, [Change(str(target.id), before, target_text(target))], source=source,
                   user_id=by.id if by else None, area_id=target.area.id)


def _apply(target: Target, data: TargetInput) -> None:
    errors: dict[str, str] = {}
    name = data.name.strip()
    if not name or len(name) > NAME_LENGTH:
        errors["name"] = _("Give a name of 1 to %(n)d characters.", n=NAME_LENGTH)
    if len(data.name_en.strip()) > NAME_LENGTH:
        errors["name_en"] = _("Give a name of 1 to %(n)d characters.", n=NAME_LENGTH)
    if data.metric not in METRICS:
        errors["metric"] = _("Choose one of: %(choices)s.", choices=", ".join(METRICS))
    if data.year_basis not in YEAR_BASES:
        errors["year_basis"] = _("Choose one of: %(choices)s.", choices=", ".join(YEAR_BASES))
    area = _area(data.area, errors)
    market = _market("market", data.market, errors, allowed=data.metric == "visitors")
    destination = _market("destination", data.destination, errors, allowed=data.metric == "export_value")
    product = _product(data.product, area, errors, allowed=data.metric == "export_value")
    _check_years_and_values(data, errors)
    if errors:
        raise TargetError(errors)
    scope = Scope(metric=data.metric, area_id=area.id, area_level=area.level,
                  include_subareas=data.include_subareas, market_id=market.id if market else None,
                  product_id=product.id if product else None, destination_id=destination.id if destination else None)
    baseline_value = data.baseline_value
    if baseline_value is None:
        baseline_value = _recorded_baseline(scope, data.baseline_year, data.year_basis, data.target_value)
    target.name, target.metric, target.area, target.year_basis = name, data.metric, area, data.year_basis
    target.name_en = data.name_en.strip()
    target.market, target.product, target.destination = market, product, destination
    target.include_subareas = data.include_subareas
    target.baseline_year, target.baseline_value = data.baseline_year, baseline_value
    target.target_year, target.target_value = data.target_year, data.target_value


def _area(code: str, errors: dict[str, str]) -> Area | None:
    try:
        return find_area(code or "")
    except UnknownArea as error:
        errors["area"] = str(error)
        return None


def _market(field: str, code: str | None, errors: dict[str, str], *, allowed: bool) -> Market | None:
    if not code:
        return None
    if not allowed:
        errors[field] = _("Only %(metric)s targets can have this filter.",
                               metric="visitors" if field == "market" else "export_value")
        return None
    market = db.session.scalar(select(Market).where(Market.code == code.strip().upper()))
    if market is None:
        errors[field] = _("Unknown country or region code: %(code)s", code=code)
    return market


def _product(product_id: int | None, area: Area | None, errors: dict[str, str], *, allowed: bool) -> Product | None:
    if product_id is None:
        return None
    if not allowed:
        errors["product"] = _("Only %(metric)s targets can have this filter.", metric="export_value")
        return None
    product = db.session.get(Product, product_id)
    if product is None:
        errors["product"] = _("Unknown product: %(id)s", id=product_id)
    elif area is not None and not policy.area_within(product.exporter.area, [area]):
        errors["product"] = _("The product's exporter is not in %(area)s.", area=area.code)
    return product


def _check_years_and_values(data: TargetInput, errors: dict[str, str]) -> None:
    for field in ("baseline_year", "target_year"):
        if not FIRST_YEAR <= getattr(data, field) <= LAST_YEAR:
            errors[field] = _("Give a year from %(first)d to %(last)d.", first=FIRST_YEAR, last=LAST_YEAR)
    if "target_year" not in errors and data.target_year <= data.baseline_year:
        errors["target_year"] = _("The target year must come after the baseline year.")
    for field in ("baseline_value", "target_value"):
        value = getattr(data, field)
        if value is not None and not 0 < value < MAX_VALUE:
            errors[field] = _("Give a whole number above zero.")
    if "target_value" not in errors and data.baseline_value is not None and data.target_value <= data.baseline_value:
        errors["target_value"] = _("The target value must be above the baseline value.")


def _recorded_baseline(scope: Scope, year: int, basis: str, target_value: int) -> int:
    total, months = recorded_year(scope, year, basis)
    if months < 12:
        raise TargetError({"baseline_value": _(
            "Only %(months)d months of the baseline year are recorded: enter the baseline value.", months=months)})
    if total <= 0:
        raise TargetError({"baseline_value": _("The recorded baseline year is zero: enter the baseline value.")})
    if total >= target_value:
        raise TargetError({"target_value": _("The target value must be above the baseline value (%(value)s).",
                                             value=number(total))})
    return total
