"""Reads for targets: the list, and the monthly figures a target's progress is computed from."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from tracker.extensions import db
from tracker.models import Target
from tracker.periods import Month, months_of_year
from tracker.targets import scope as scopes
from tracker.targets.progress import Plan, Progress, progress
from tracker.targets.scope import Scope


def all_targets() -> list[Target]:
    """Every target, the nearest deadline first, with what its page and card show loaded."""
    query = (
        select(Target)
        .options(joinedload(Target.area), joinedload(Target.market), joinedload(Target.destination),
                 joinedload(Target.product))
        .order_by(Target.target_year, Target.name, Target.id)
    )
    return list(db.session.scalars(query))


def monthly_totals(scope: Scope) -> dict[Month, int]:
    """The scope's figure for each reported month; a month is reported when any row exists for it."""
    source = scopes.rows(scope).subquery()
    query = select(source.c.year, source.c.month, func.sum(source.c.value)).group_by(source.c.year, source.c.month)
    return {Month(year, month): int(total) for year, month, total in db.session.execute(query)}


def plan_of(target: Target) -> Plan:
    return Plan(baseline_year=target.baseline_year, baseline_value=target.baseline_value,
                target_year=target.target_year, target_value=target.target_value, year_basis=target.year_basis)


def all_progress(today: date) -> list[tuple[Target, Progress]]:
    """Each target with its progress: the cards of the dashboard and of leadership's home page."""
    return [(target, target_progress(target, today)) for target in all_targets()]


def target_progress(target: Target, today: date) -> Progress:
    return progress(plan_of(target), monthly_totals(Scope.of(target)), today)


def recorded_year(scope: Scope, year: int, basis: str) -> tuple[int, int]:
    """(sum, months reported) of one calendar or fiscal year of the scope."""
    months = months_of_year(year, basis)
    totals = monthly_totals(scope)
    reported = [totals[m] for m in months if m in totals]
    return sum(reported), len(reported)
