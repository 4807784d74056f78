"""Who may read and write what: the one place that decides it.

admin: everything. officer: reads everything public, writes the visitor figures of its areas (and of the
areas below them). exporter: writes its own sales and sees only its own detail. viewer: reads dashboards
and aggregates, and the detail of exporters in the areas it oversees.
"""

from __future__ import annotations

from collections.abc import Iterable

from tracker.models import ADMIN, EXPORTER, OFFICER, VIEWER, Area, Exporter, ImportJob, Note, User


def has_role(user: User, *roles: str) -> bool:
    return user.is_authenticated and user.role in roles


def is_admin(user: User) -> bool:
    return has_role(user, ADMIN)


def own_exporter_id(user: User) -> int | None:
    """The exporter an exporter's account speaks for (its own sales only); None for every other role."""
    return user.exporter_id if has_role(user, EXPORTER) else None


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
    return has_role(user, ADMIN, OFFICER, VIEWER)


def entry_areas(user: User) -> list[Area]:
    """The areas an officer enters figures for, where its pages start; none for the other roles, who start from
    the nation."""
    if has_role(user, OFFICER):
        return sorted(user.areas, key=lambda area: area.code)
    return []


def oversees(user: User, area: Area) -> bool:
    """An admin, or an officer of the area or of an area above it."""
    return is_admin(user) or (has_role(user, OFFICER) and area_within(area, user.areas))


def can_write_visitors(user: User, area: Area) -> bool:
    return oversees(user, area)


def can_write_sales(user: User, exporter: Exporter) -> bool:
    return is_admin(user) or (has_role(user, EXPORTER) and user.exporter_id == exporter.id)


def can_see_exporter_detail(user: User, exporter: Exporter) -> bool:
    if is_admin(user):
        return True
    if not user.is_authenticated:
        return False
    if has_role(user, EXPORTER):
        return user.exporter_id == exporter.id
    return area_within(exporter.area, user.areas)


def can_create_exporter(user: User) -> bool:
    """The new-exporter page: admins and officers (each for the areas it oversees)."""
    return has_role(user, ADMIN, OFFICER)


def can_add_exporter(user: User, area: Area) -> bool:
    return oversees(user, area)


def can_place_exporter(user: User, exporter: Exporter | None, area: Area) -> bool:
    """A new exporter, or one moved to another area, goes only where the user may add exporters; an exporter left
    where it is stays editable by whoever may edit it."""
    if exporter is not None and area.id == exporter.area_id:
        return True
    return can_add_exporter(user, area)


def can_edit_exporter(user: User, exporter: Exporter) -> bool:
    """The exporter's profile and products: its own account, an admin, or an officer of its area."""
    if not user.is_authenticated:
        return False
    if has_role(user, EXPORTER):
        return user.exporter_id == exporter.id
    return can_add_exporter(user, exporter.area)


def can_list_exporters(user: User) -> bool:
    """The list of exporters: admins, officers, and viewers who oversee areas (each sees the exporters of its
    areas); a viewer without areas would only find an empty list."""
    return has_role(user, ADMIN, OFFICER) or (has_role(user, VIEWER) and bool(user.areas))


def can_read_exports(user: User) -> bool:
    """Export figures at all: aggregates for readers of public figures, its own sales for an exporter."""
    return can_read_public(user) or has_role(user, EXPORTER)


def exporter_detail_scope(user: User) -> tuple[bool, set[int], int | None]:
    """Whose sales detail the user may see: (every exporter, the areas overseen, its own exporter id).

    Queries turn this into SQL with the same rule as `can_see_exporter_detail`: exporters in an overseen
    area or in any area below it."""
    if is_admin(user):
        return True, set(), None
    if not user.is_authenticated:
        return False, set(), None
    if has_role(user, EXPORTER):
        return False, set(), user.exporter_id
    return False, {area.id for area in user.areas}, None


# A sum of export sales backed by fewer exporters than this would let a reader work out one exporter's sales.
MIN_EXPORTERS_PER_GROUP = 3


def export_group_shown(exporters: int, hidden: int) -> bool:
    """Whether a group of export sales (a product, HS code, destination, area or month) may be shown apart to a
    user: when at least MIN_EXPORTERS_PER_GROUP exporters are behind it, or when the user may see the detail of
    every one of them (`hidden` counts those it may not). Admins and an exporter reading its own sales have none
    hidden; other groups are merged into "other" or withheld."""
    return hidden == 0 or exporters >= MIN_EXPORTERS_PER_GROUP


def can_import_exports(user: User) -> bool:
    """An admin (whose file may create exporters and products) or an exporter (its own rows only)."""
    return has_role(user, ADMIN, EXPORTER)


def can_import_visitors(user: User) -> bool:
    """Upload visitor files (web, API): admins, and officers for the areas they may write."""
    return has_role(user, ADMIN, OFFICER)


def can_import(user: User) -> bool:
    """Any upload page at all, and so the list of one's own import jobs."""
    return can_import_visitors(user) or can_import_exports(user)


def can_read_job(user: User, job: ImportJob) -> bool:
    """An import job's state and report: its owner and admins."""
    return is_admin(user) or (user.is_authenticated and user.id == job.user_id)


def sees_every_job(user: User) -> bool:
    """The Imports page lists every user's jobs for admins, one's own for everyone else."""
    return is_admin(user)


def visitor_write_roots(user: User | None) -> set[int] | None:
    """The areas whose figures (and those of the areas below them) the user may write; None means all.

    `user` None is the command line, which runs with admin rights. Same rule as `can_write_visitors`."""
    return None if user is None else _officer_roots(user)


def _officer_roots(user: User) -> set[int] | None:
    """None (everywhere) for an admin, an officer's own areas, none for the other roles."""
    if is_admin(user):
        return None
    return {area.id for area in user.areas} if has_role(user, OFFICER) else set()


def can_submit_visitor_month(user: User, area: Area) -> bool:
    """The unit's officers (those who may enter its figures) and admins submit a month of visitor figures."""
    return can_write_visitors(user, area)


def can_submit_sales_month(user: User, exporter: Exporter) -> bool:
    """The exporter itself, for its own sales, and admins."""
    return can_write_sales(user, exporter)


def can_approve_visitor_month(user: User, area: Area) -> bool:
    """Admins, and the officers of an area above the unit (a prefecture's officer for its municipalities);
    approvers also return and reopen."""
    return is_admin(user) or (area.parent is not None and oversees(user, area.parent))


def can_approve_sales_month(user: User, exporter: Exporter) -> bool:
    """Admins, and the officers of the exporter's municipality or of an area above it."""
    return oversees(user, exporter.area)


def approval_roots(user: User) -> set[int] | None:
    """The areas below which (strictly, for visitor figures; at or below, for exporters' areas) the user approves
    months; None means everywhere. Same rule as the two `can_approve_*` functions, for the queue's SQL."""
    return _officer_roots(user)


def can_approve_months(user: User) -> bool:
    """Who sees the approval queue."""
    return has_role(user, ADMIN, OFFICER)


def can_see_completeness(user: User) -> bool:
    """The completeness page (with the late units' officers' contacts): leadership (viewers) and admins."""
    return has_role(user, ADMIN, VIEWER)


def can_read_reporting(user: User) -> bool:
    """The reporting states over the API: the readers of public figures."""
    return can_read_public(user)


def can_read_outbox(user: User) -> bool:
    """The reminders and alerts queued for every account (kept there when no mail server is set)."""
    return is_admin(user)


def can_manage_reporting(user: User) -> bool:
    """Due-date rules, exceptions and the set of reporting units."""
    return is_admin(user)


def can_read_audit(user: User) -> bool:
    """The audit of every change and log-in (emails, addresses, every account's actions): admins only."""
    return is_admin(user)


def reporter_role(metric: str) -> str:
    """Whose accounts report a unit's months, are reminded of them and asked about them when late: the officers
    given the area (visitor figures), the exporter's own accounts (export sales)."""
    return OFFICER if metric == "visitors" else EXPORTER


def receives_target_alerts(user: User) -> bool:
    """A target turning at risk or off track is told to admins, who set the targets."""
    return is_admin(user)


def can_read_target_report(user: User) -> bool:
    """A target's printable report (HTML and PDF): whoever reads the target's page on the dashboard."""
    return can_read_public(user)


def can_read_area_report(user: User) -> bool:
    """An area's month for its council (HTML and PDF): whoever reads the area's visitor and export pages."""
    return can_read_public(user)


def can_read_affiliations(user: User) -> bool:
    """The register of sister-city and friendship ties, its charts and its API: the readers of public figures."""
    return can_read_public(user)


def can_add_affiliations(user: User) -> bool:
    """The register's import page and "add" links at all: admins, and officers (for the areas they oversee)."""
    return has_role(user, ADMIN, OFFICER)


def can_write_affiliations(user: User, area: Area) -> bool:
    """An area's ties: admins, and the officers of the area or of an area above it."""
    return oversees(user, area)


def affiliation_write_roots(user: User | None) -> set[int] | None:
    """The areas whose ties (and those of the areas below them) the user may write; None means all. `user` None is
    the command line, with admin rights. Same rule as `can_write_affiliations`."""
    return None if user is None else _officer_roots(user)


def can_enter_visitors(user: User) -> bool:
    """The entry grid's month picker: admins and officers, the roles that write visitor figures."""
    return has_role(user, ADMIN, OFFICER)


def can_read_area_notes(user: User) -> bool:
    """The notes on an area's months: whoever reads its figures."""
    return can_read_public(user)


def can_read_exporter_notes(user: User, exporter: Exporter) -> bool:
    """The notes on an exporter's months: whoever may see its sales in detail."""
    return can_see_exporter_detail(user, exporter)


def can_write_area_notes(user: User, area: Area) -> bool:
    """Who writes an area's figures writes the notes that explain them: its officers (and those of the areas
    above it) and admins."""
    return can_write_visitors(user, area)


def writes_area_notes(user: User) -> bool:
    """Whether the user writes notes on any area's months at all: admins and officers (each for its areas)."""
    return has_role(user, ADMIN, OFFICER)


def can_write_exporter_notes(user: User, exporter: Exporter) -> bool:
    """The exporter itself, on its own sales' months, and admins."""
    return can_write_sales(user, exporter)


def can_write_note(user: User, note: Note) -> bool:
    """Edit or delete a note: whoever may write notes on its area's or exporter's months, not only its author, so
    that a note stays mendable when its author moves on."""
    if note.exporter is not None:
        return can_write_exporter_notes(user, note.exporter)
    return can_write_area_notes(user, note.area)


def can_list_notes(user: User) -> bool:
    """The list of notes: every role reads some (an exporter those on its own sales)."""
    return has_role(user, ADMIN, OFFICER, EXPORTER, VIEWER)
