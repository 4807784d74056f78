"""Pages of the reporting cycle: the buttons of a unit's month, the approvers' queue, completeness, the rules."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import format_date, ngettext
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from tracker import policy
from tracker.areas.queries import area_by_code
from tracker.charts.completeness import completeness_figure
from tracker.charts.table import Table
from tracker.charts.toolbar import toolbar_dictionary
from tracker.extensions import db
from tracker.form_errors import apply_errors
from tracker.formatting import month_label
from tracker.models import Area, DueException, Exporter, ReportingUnitArea
from tracker.periods import Month
from tracker.reference import NATION_CODE
from tracker.reporting import queries, rates, services, units
from tracker.reporting.deadlines import due_date, latest_due_month, today
from tracker.reporting.forms import ExceptionForm, QueueForm, RuleForm, TransitionForm
from tracker.reporting.services import CommentRequired, RuleError, TransitionRefused, state_heading, state_label
from tracker.reporting.units import Unit

bp = Blueprint("reporting", __name__, url_prefix="/reporting")
METRICS = ("visitors", "exports")
# A heatmap of more rows than this is unreadable: the page asks for a prefecture instead.
HEATMAP_ROWS = 300


@bp.before_request
@login_required
def require_login():
    return None


def _unit(metric: str, key: str) -> Unit | None:
    """The unit a URL or a form names: an area's code (visitor figures) or an exporter's id (export sales)."""
    if metric == "visitors":
        area = area_by_code(key)
        return Unit.of(area) if area is not None else None
    # isdigit() alone lets "²" through, which int() refuses
    exporter = db.session.get(Exporter, int(key)) if key.isascii() and key.isdigit() else None
    return Unit.of(exporter) if exporter is not None else None


def _month(text: str) -> Month:
    try:
        return Month.parse(text)
    except ValueError:
        abort(404)


@bp.post("/<metric>/<key>/<month>/<action>")
def act(metric: str, key: str, month: str, action: str):
    """A button of a unit's month (on the grid, the sales form or the queue), then back where it was pressed."""
    if metric not in METRICS or action not in services.states.ACTIONS:
        abort(404)
    unit, period = _unit(metric, key) or abort(404), _month(month)
    form = TransitionForm()
    back = form.next.data if (form.next.data or "").startswith("/") and not form.next.data.startswith("//") \
        else url_for("home.index")
    if not form.validate_on_submit():
        abort(400)
    try:
        services.transition(current_user, unit, period, action, form.comment.data or "")
    except PermissionError:
        db.session.rollback()
        abort(403)
    except (CommentRequired, TransitionRefused) as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(back)
    db.session.commit()
    flash(_("%(unit)s, %(month)s: %(done)s.", unit=unit.name(), month=month_label(period.year, period.month),
            done=services.done_label(action)), "success")
    return redirect(back)


@bp.route("/queue", methods=["GET", "POST"])
def queue():
    """Submitted months waiting for the user's approval; checked ones approved or returned at once."""
    if not policy.can_approve_months(current_user):
        abort(403)
    metric = _metric()
    form = QueueForm()
    if form.validate_on_submit():
        # "approve all of a prefecture" names its months in the button's value
        group = request.form.get("all", "").split()
        action = "return" if form.send_back.data and not group else "approve"
        done = _bulk(metric, group or request.form.getlist("selected"), action, form.comment.data or "")
        if done is not None:
            db.session.commit()
            flash(ngettext("%(num)d month %(done)s.", "%(num)d months %(done)s.", done,
                           done=services.done_label(action)), "success")
            return redirect(url_for("reporting.queue", metric=metric))
    rows = queries.queue(current_user, metric)
    groups: dict[str, list[queries.QueueRow]] = {}
    for row in rows:
        groups.setdefault(row.prefecture_name, []).append(row)
    return render_template("reporting/queue.html", metric=metric, form=form, groups=groups, total=len(rows))


def _bulk(metric: str, selected: list[str], action: str, comment: str) -> int | None:
    """Take the action on every "unit key/YYYY-MM" selected, all or none: None (and a flash) when one fails."""
    if not selected:
        flash(_("Tick the months first."), "error")
        return None
    try:
        for item in selected:
            key, _sep, month = item.partition("/")
            services.transition(current_user, _unit(metric, key) or abort(404), _month(month), action, comment)
    except (PermissionError, CommentRequired, TransitionRefused) as error:
        db.session.rollback()
        flash(str(error) or _("You may not do this."), "error")
        return None
    return len(selected)


@bp.get("/")
def completeness():
    """Leadership's view: who reported which month, the rates per prefecture and nationally, and who is late."""
    if not policy.can_see_completeness(current_user):
        abort(403)
    metric = _metric()
    area = _scope_area(request.args.get("area", NATION_CODE))
    on = today()
    month = _month(request.args["month"]) if request.args.get("month") else latest_due_month(units.rule(metric), on)
    unit_rows = queries.units_in(metric, area)
    months = [month.shift(-i) for i in range(11, -1, -1)]
    window = queries.month_states(metric, unit_rows, months, on)
    current = [row for row in window if row.month == month]
    labels = {state: state_label(state) for state in services.states.STATES}
    figure = states_table = None
    if unit_rows and len(unit_rows) <= HEATMAP_ROWS:
        cells: dict[int, list] = {}
        for row in window:
            cells.setdefault(row.unit.id, []).append((row.state, row.late))
        table = Table(("unit", "code", *(str(m) for m in months)),
                      tuple((u.name, u.key, *cells[u.id]) for u in unit_rows))
        figure = completeness_figure(table, labels)
        # the heatmap's text alternative: each cell's state in words
        states_table = Table(table.columns, tuple((*row[:2], *(labels[state] + (f" ({_('late')})" if late else "")
                                                               for state, late in row[2:])) for row in table.rows))
    prefectures = _prefecture_rates(area, current, on)
    late = [row for row in current if row.late]
    return render_template(
        "reporting/completeness.html", metric=metric, area=area, month=month, due=due_date(month, units.rule(metric)),
        figure=figure, states_table=states_table, too_many=len(unit_rows) > HEATMAP_ROWS,
        summary=rates.summarize(current, on),
        prefectures=prefectures, late=late, contacts=queries.contacts(metric, [row.unit.id for row in late]),
        labels=labels, headings={state: state_heading(state) for state in services.states.STATES},
        toolbar=toolbar_dictionary(), previous=month.shift(-1), following=month.shift(1),
        areas=_prefectures())


def _scope_area(code: str) -> Area:
    area = area_by_code(code)
    return area if area is not None and area.level != "municipality" else abort(404)


def _prefectures() -> list[Area]:
    return list(db.session.scalars(select(Area).where(Area.level == "prefecture").order_by(Area.code)))


def _prefecture_rates(area: Area, current: list[rates.MonthState], on) -> list[tuple[Area, rates.Summary]]:
    """Each prefecture's rates for the month (the nation's page), or the one prefecture's."""
    grouped = rates.by_prefecture(current, on)
    prefectures = _prefectures() if area.level == "nation" else [area]
    return [(prefecture, grouped[prefecture.id]) for prefecture in prefectures if prefecture.id in grouped]


@bp.route("/rules", methods=["GET", "POST"])
def rules():
    """Due-date rules per metric, exceptions per unit, and the set of areas that report visitor figures."""
    if not policy.can_manage_reporting(current_user):
        abort(403)
    metric = _metric()
    rule_form = RuleForm(prefix="rule")
    exception_form = ExceptionForm(prefix="exception")
    if rule_form.save_rule.data and rule_form.validate_on_submit() and _save_rule(metric, rule_form):
        return redirect(url_for("reporting.rules", metric=metric))
    if exception_form.add_exception.data and exception_form.validate_on_submit() and _save_exception(exception_form):
        return redirect(url_for("reporting.rules", metric=metric))
    if not rule_form.save_rule.data:
        current = units.rule(metric)
        rule_form.months_after.data, rule_form.day.data = current.months_after, current.day
        rule_form.listed_units.data = units.lists_units(metric)
        rule_form.unit_areas.data = " ".join(db.session.scalars(
            select(Area.code).join(ReportingUnitArea, ReportingUnitArea.area_id == Area.id).order_by(Area.code)))
    exceptions = db.session.scalars(select(DueException).order_by(DueException.metric, DueException.id)).all()
    return render_template("reporting/rules.html", metric=metric, rule_form=rule_form,
                           exception_form=exception_form, exceptions=exceptions)


def _save_rule(metric: str, form: RuleForm) -> bool:
    listed = bool(form.listed_units.data) and metric == "visitors"
    areas, unknown = [], []
    for code in (form.unit_areas.data or "").split():
        area = area_by_code(code)
        (areas if area is not None else unknown).append(area or code)
    if unknown:
        form.unit_areas.errors.append(_("Unknown area codes: %(codes)s.", codes=", ".join(unknown)))
        return False
    if listed and not areas:
        form.unit_areas.errors.append(_("List the areas that report."))
        return False
    try:
        services.set_rule(metric, form.months_after.data, form.day.data, listed_units=listed)
        if metric == "visitors":
            services.set_unit_areas(areas)
    except RuleError as error:
        db.session.rollback()
        apply_errors(form, error.errors)
        return False
    db.session.commit()
    flash(_("The rule is saved."), "success")
    return True


def _save_exception(form: ExceptionForm) -> bool:
    unit = _unit(form.metric.data, form.unit.data.strip())
    if unit is None:
        form.unit.errors.append(_("No such area or exporter."))
        return False
    try:
        services.set_exception(unit, form.months_after.data, form.day.data)
    except RuleError as error:
        db.session.rollback()
        apply_errors(form, error.errors)
        return False
    db.session.commit()
    flash(_("The exception for %(unit)s is saved.", unit=unit.name()), "success")
    return True


@bp.post("/rules/exceptions/<int:exception_id>/delete")
def delete_exception(exception_id: int):
    if not policy.can_manage_reporting(current_user):
        abort(403)
    TransitionForm().validate_on_submit() or abort(400)
    services.remove_exception(exception_id)
    db.session.commit()
    flash(_("The exception is removed."), "success")
    return redirect(url_for("reporting.rules"))


@bp.app_context_processor
def inject_helpers():
    return {"reporting_state": state_label, "reporting_action": services.action_label}


@bp.app_template_filter("date_label")
def date_label(value) -> str:
    """A due date in the page's language: 2015年5月15日 / May 15, 2015."""
    return format_date(value, format="long")


def _metric() -> str:
    """The page's metric (?metric=visitors or exports); 404 for any other."""
    metric = request.args.get("metric", "visitors")
    if metric not in METRICS:
        abort(404)
    return metric
