"""Who may read and write what: the one place that decides it.

admin: everything. officer: reads everything public, writes the visitor figures of its areas (and of the
areas below them). exporter: writes its own sales and sees only its own detail. viewer: reads dashboards
and aggregates, and the detail of exporters in the areas it oversees.
"""

from __future__ import annotations

from collections.abc import Iterable

from tracker.models import Area, Exporter, User


def is_admin(user: User) -> bool:
    return user.is_authenticated and user.role == "admin"


def area_within(area: Area, scope: Iterable[Area]) -> bool:
    """True when the area is one of the scope's areas or lies below one of them."""
    scope_ids = {a.id for a in scope}
    node: Area | None = area
    while node is not None:
        if node.id in scope_ids:
            return True
        node = node.parent
    return False


def can_manage(user: User) -> bool:
    """Admin pages: users, areas, exporters, products, targets."""
    return is_admin(user)


def can_read_public(user: User) -> bool:
    """Visitor figures, aggregates and dashboards."""
    return user.is_authenticated and user.role in ("admin", "officer", "viewer")


def can_write_visitors(user: User, area: Area) -> bool:
    if is_admin(user):
        return True
    return user.is_authenticated and user.role == "officer" and area_within(area, user.areas)


def can_write_sales(user: User, exporter: Exporter) -> bool:
    if is_admin(user):
        return True
    return user.is_authenticated and user.role == "exporter" and user.exporter_id == exporter.id


def can_see_exporter_detail(user: User, exporter: Exporter) -> bool:
    if is_admin(user):
        return True
    if not user.is_authenticated:
        return False
    if user.role == "exporter":
        return user.exporter_id == exporter.id
    return area_within(exporter.area, user.areas)


def can_add_exporter(user: User, area: Area) -> bool:
    if is_admin(user):
        return True
    return user.is_authenticated and user.role == "officer" and area_within(area, user.areas)
