from datetime import date

from flask import Blueprint, render_template
from flask_login import current_user, login_required

from tracker import policy
from tracker.affiliations.queries import counts_for_home as affiliation_counts
from tracker.areas.queries import area_by_code
from tracker.charts.sales import sales_trend_figure
from tracker.charts.toolbar import toolbar_dictionary
from tracker.home import queries
from tracker.periods import Month
from tracker.reference import NATION_CODE
from tracker.reporting import units
from tracker.reporting.counts import reported_for
from tracker.reporting.deadlines import latest_due_month
from tracker.reporting.deadlines import today as reporting_today
from tracker.reporting.queries import home_strips
from tracker.targets.queries import all_progress

bp = Blueprint("home", __name__)


@bp.get("/")
@login_required
def index():
    on = reporting_today()
    own = policy.own_exporter_id(current_user)
    if own is not None:
        # an exporter's day is its own sales and months, not the nation's visitors
        sales = queries.own_sales(own, Month.of(on).shift(-1))
        return render_template("home/exporter.html", exporter=current_user.exporter, sales=sales,
                               figure=sales_trend_figure(sales), toolbar=toolbar_dictionary(),
                               strips=home_strips(current_user, on), demo=queries.demo_loaded())
    nation = area_by_code(NATION_CODE)
    areas = [nation, *policy.entry_areas(current_user)]
    series = [(area, queries.annual_totals(area)) for area in areas if area is not None]
    # leadership opens the tracker to see where each target stands: the dashboard's cards come first
    cards = all_progress(date.today()) if policy.can_read_public(current_user) else []
    return render_template(
        "home/index.html", cards=cards, series=series, counts=queries.counts(),
        reporting=reported_for(latest_due_month(units.rule("visitors"), on)), demo=queries.demo_loaded(),
        strips=home_strips(current_user, on),
        affiliations=affiliation_counts(date.today().year) if policy.can_read_affiliations(current_user) else None,
    )
