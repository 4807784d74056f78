from flask import Blueprint, render_template
from flask_login import current_user, login_required
from sqlalchemy import select

from tracker.extensions import db
from tracker.home import queries
from tracker.models import Area
from tracker.reference import NATION_CODE

bp = Blueprint("home", __name__)


@bp.get("/")
@login_required
def index():
    nation = db.session.scalar(select(Area).where(Area.code == NATION_CODE))
    areas = [nation, *current_user.areas] if current_user.role == "officer" else [nation]
    series = [(area, queries.annual_totals(area)) for area in areas if area is not None]
    return render_template(
        "home/index.html", series=series, counts=queries.counts(), demo=queries.demo_loaded()
    )
