"""Leadership's dashboard: a card per target, a page of charts per target, and their data as CSV."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, Response, abort, render_template, request
from flask_login import current_user, login_required

from tracker import formatting, policy
from tracker.charts.toolbar import toolbar_dictionary
from tracker.dashboard import maps
from tracker.dashboard.filters import approved_only, parse_filters
from tracker.dashboard.page import chart_for, charts_for
from tracker.dashboard.tables import TargetView
from tracker.extensions import db
from tracker.imports.writers import write_csv
from tracker.models import Target
from tracker.periods import month_ranges
from tracker.targets.queries import all_progress
from tracker.templating import current_language

bp = Blueprint("dashboard", __name__, url_prefix="/dashboard")

@bp.app_context_processor
def inject_helpers():
    return {"progress_label": formatting.progress_label, "metric_label": formatting.metric_label,
            "percent": formatting.percent, "amount": formatting.amount, "market_name": formatting.market_name,
            "month_ranges": month_ranges, "map_link": maps.link, "map_metric_label": maps.metric_label,
            "topojson_url": maps.topojson_url}


def _require_reader() -> None:
    if not policy.can_read_public(current_user):
        abort(403)


@bp.get("/")
@login_required
def index():
    _require_reader()
    approved = approved_only(request.args)
    problems: list[str] = []
    area = maps.map_area(request.args, problems)
    map_panel = maps.dashboard_map(area, maps.chosen(request.args, maps.DASHBOARD_METRICS), approved=approved,
                                   today=date.today(), language=current_language(),
                                   user=current_user._get_current_object())
    return render_template("dashboard/index.html", cards=all_progress(date.today(), approved), approved=approved,
                           map_panel=map_panel, map_problems=problems, toolbar=toolbar_dictionary())


@bp.get("/targets/<int:target_id>")
@login_required
def target(target_id: int):
    _require_reader()
    view = _view(target_id)
    charts = []
    for chart in charts_for(view):
        table = chart.table(view)
        charts.append((chart, table, chart.figure(view, table) if table else None))
    return render_template("dashboard/target.html", view=view, charts=charts,
                           map_panel=maps.target_map(view, request.args), filter_args=view.filters.query_args(),
                           toolbar=toolbar_dictionary())


@bp.get("/targets/<int:target_id>/<key>.csv")
@login_required
def chart_csv(target_id: int, key: str):
    _require_reader()
    view = _view(target_id)
    chart = chart_for(view, key) or abort(404)
    table = chart.table(view)
    filename = f"target-{view.target.id}-{key}.csv"
    return Response(write_csv(table.columns, table.rows), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def _view(target_id: int) -> TargetView:
    found = db.session.get(Target, target_id) or abort(404)
    return TargetView(found, parse_filters(request.args), today=date.today(), language=current_language(),
                      user=current_user._get_current_object())
