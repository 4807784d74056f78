"""Printable reports: a target's page and an area's month on A4, as HTML to print and as a PDF made here."""

from __future__ import annotations

import os
from datetime import date
from typing import NamedTuple

from flask import Blueprint, Response, abort, current_app, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from tracker import policy
from tracker.areas.queries import area_by_code
from tracker.dashboard import maps
from tracker.dashboard.filters import parse_filters
from tracker.dashboard.page import chart_for
from tracker.dashboard.tables import TargetView
from tracker.extensions import db
from tracker.formatting import YEAR_BASIS_LABELS
from tracker.models import LANGUAGES, YEAR_BASES, Target
from tracker.periods import Month
from tracker.reporting import units
from tracker.reporting.deadlines import latest_due_month
from tracker.reporting.deadlines import today as reporting_today
from tracker.reports import area as area_report
from tracker.reports import target as target_report
from tracker.reports.pdf import PrintPage, RendererUnavailable, chromium_path, render_pdf
from tracker.reports.sections import build
from tracker.templating import current_language

bp = Blueprint("reports", __name__, url_prefix="/reports")


class Printed(NamedTuple):
    """A report's HTML, the day its figures were read on, and the name its PDF is saved under."""

    html: str
    day: date
    name: str


@bp.app_context_processor
def inject_helpers():
    return {"area_report_month": area_report_month}


def area_report_month(year: int | None = None) -> str:
    """The month an area's "Print / PDF" link opens: the latest whose visitor figures are due (in `year`, when a
    page shows one)."""
    due = latest_due_month(units.rule("visitors"), reporting_today())
    return str(due if year is None or due.year <= year else Month(year, 12))


@bp.get("/targets/<int:target_id>")
@login_required
def target(target_id: int):
    return _target(target_id).html


@bp.get("/targets/<int:target_id>.pdf")
@login_required
def target_pdf(target_id: int):
    return _as_pdf(_target(target_id))


@bp.get("/areas/<code>/<month>")
@login_required
def area(code: str, month: str):
    return _area(code, month).html


@bp.get("/areas/<code>/<month>.pdf")
@login_required
def area_pdf(code: str, month: str):
    return _as_pdf(_area(code, month))


def _target(target_id: int) -> Printed:
    if not policy.can_read_target_report(current_user):
        abort(403)
    found = db.session.get(Target, target_id) or abort(404)
    with force_locale(_language()):
        view = TargetView(found, parse_filters(request.args), today=date.today(), language=current_language(),
                          user=current_user._get_current_object())
        sections = build(target_report.SECTIONS, view)
        # a chart printed without its rows links to them, as on the target's page: its text alternative
        def chart_csv(key: str) -> str | None:
            return url_for("dashboard.chart_csv", target_id=target_id, key=key, **view.filters.query_args()) \
                if chart_for(view, key) else None
        html = render_template("reports/target.html", view=view, sections=sections, chart_csv=chart_csv,
                               problems=[*_language_problems(), *view.filters.problems],
                               **_links("reports.target", view.filters.query_args(), target_id=target_id))
    return Printed(html, view.today, f"target-{found.id}")


def _area(code: str, month: str) -> Printed:
    if not policy.can_read_area_report(current_user):
        abort(403)
    where = area_by_code(code) or abort(404)
    try:
        period = Month.parse(month)
    except ValueError:
        abort(404)
    place = {"code": where.code, "month": str(period)}
    with force_locale(_language()):
        report = area_report.AreaMonth(where, period, current_user._get_current_object(), reporting_today(),
                                       _basis())
        sections = build(area_report.SECTIONS, report)
        # the switch between the bases keeps the language asked for
        bases = [(basis, YEAR_BASIS_LABELS[basis], url_for("reports.area", **place, **_basis_args(basis),
                                                            **_language_args())) for basis in YEAR_BASES]
        html = render_template("reports/area.html", report=report, sections=sections, bases=bases,
                               problems=[*_language_problems(), *_basis_problems()],
                               **_links("reports.area", _basis_args(report.basis), **place))
    return Printed(html, report.today, f"area-{where.code}-{period}")


def _language() -> str:
    """`?lang=ja|en`, else the reader's own language."""
    asked = request.args.get("lang", "")
    return asked if asked in LANGUAGES else current_language()


def _refused(name: str, choices) -> str | None:
    """The query parameter `name` when it is given but is none of `choices` (cut short, for the page to name)."""
    asked = request.args.get(name, "")
    return asked[:20] if asked and asked not in choices else None


def _language_problems() -> list[str]:
    if (asked := _refused("lang", LANGUAGES)) is None:
        return []
    return [_("Language: %(value)s is neither ja nor en; the report is in your own language.", value=asked)]


def _language_args() -> dict[str, str]:
    asked = request.args.get("lang", "")
    return {"lang": asked} if asked in LANGUAGES else {}


def _basis() -> str:
    """`?basis=calendar|fiscal`: the years an area's year to date runs in, by default calendar years."""
    asked = request.args.get("basis", "")
    return asked if asked in YEAR_BASES else "calendar"


def _basis_args(basis: str) -> dict[str, str]:
    """The basis as a link gives it: calendar years, the default, left out."""
    return {"basis": basis} if basis != "calendar" else {}


def _basis_problems() -> list[str]:
    if (asked := _refused("basis", YEAR_BASES)) is None:
        return []
    return [_("Years: %(value)s is neither calendar nor fiscal; the year to date runs in calendar years.",
              value=asked)]


def _links(endpoint: str, args: dict[str, str], **values) -> dict:
    """The report as a PDF, in the language asked for (else, like the page, in the reader's), and the report in the
    reader's language (where the language switch comes back to); both keep `args`, a target page's filters as
    parsed or an area report's basis."""
    return {"pdf_url": url_for(endpoint + "_pdf", **values, **args, **_language_args()),
            "readers_url": url_for(endpoint, **values, **args)}


def _as_pdf(printed: Printed) -> Response:
    with force_locale(_language()):
        footer = render_template("reports/_pdf_footer.html", day=printed.day)
    page = PrintPage(html=printed.html, footer=footer,
                     static_url_path=current_app.static_url_path,
                     static_folder=current_app.config["TRACKER_ASSET_DIR"], files=_topojson_files())
    try:
        pdf = render_pdf(page, chromium_path(current_app.config))
    except RendererUnavailable as error:
        current_app.logger.warning("no PDF for %s: %s", request.path, error)
        with force_locale(_language()):
            return Response(render_template("reports/unavailable.html"), status=503)
    return Response(pdf, mimetype="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="{printed.name}.pdf"'})


def _topojson_files() -> dict[str, str]:
    """The topojson plotly loads for a map (by the name it builds, not a hashed one) at the URL the page gives
    plotly, from the app's own folder."""
    folder = os.path.join(current_app.static_folder, maps.TOPOJSON)
    return {maps.topojson_url() + name: os.path.join(folder, name) for name in os.listdir(folder)}
