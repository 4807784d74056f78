"""Reads for targets: the list, and the monthly figures a target's progress is computed from."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from tracker.extensions import db
from tracker.models import Target
from tracker.periods import Month, months_of_year
from tracker.reporting import units
from tracker.reporting.deadlines import overdue_months
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


def plan_overdue(plan: Plan, metric: str, monthly: dict[Month, int], today: date) -> list[Month]:
    """The plan's months whose figures were due by `today` (the metric's due-date rule) and are missing."""
    rule = units.rule("visitors" if metric == "visitors" else "exports")
    return overdue_months(plan.months(), monthly, rule, today)


def all_progress(today: date, approved_only: bool = False) -> list[tuple[Target, Progress]]:
    """Each target with its progress: the cards of the dashboard and of leadership's home page."""
    return [(target, target_progress(target, today, approved_only)) for target in all_targets()]


def target_progress(target: Target, today: date, approved_only: bool = False) -> Progress:
    """`approved_only`: read the approved months alone, as if the others were not reported yet."""
    plan, monthly = plan_of(target), monthly_totals(Scope.of(target, approved_only=approved_only))
    return progress(plan, monthly, today, plan_overdue(plan, target.metric, monthly, today))


def recorded_year(scope: Scope, year: int, basis: str) -> tuple[int, int]:
    """(sum, months reported) of one calendar or fiscal year of the scope."""
    months = months_of_year(year, basis)
    totals = monthly_totals(scope)
    reported = [totals[m] for m in months if m in totals]
    return sum(reported), len(reported)
