from datetime import date

from flask import Blueprint, render_template
from flask_login import current_user, login_required

from tracker import policy
from tracker.affiliations.queries import counts_for_home as affiliation_counts
from tracker.areas.queries import area_by_code
from tracker.home import queries
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
    nation = area_by_code(NATION_CODE)
    areas = [nation, *policy.entry_areas(current_user)]
    series = [(area, queries.annual_totals(area)) for area in areas if area is not None]
    # leadership opens the tracker to see where each target stands: the dashboard's cards come first
    cards = all_progress(date.today()) if policy.can_read_public(current_user) else []
    on = reporting_today()
    return render_template(
        "home/index.html", cards=cards, series=series, counts=queries.counts(),
        reporting=reported_for(latest_due_month(units.rule("visitors"), on)), demo=queries.demo_loaded(),
        strips=home_strips(current_user, on),
        affiliations=affiliation_counts(date.today().year) if policy.can_read_affiliations(current_user) else None,
    )
