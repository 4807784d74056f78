import csv
import os
from datetime import date

from sqlalchemy import func, select

from tests import factories
from tracker.affiliations.demo_data import DEMO_AFFILIATIONS, EXTRA_MUNICIPALITIES
from tracker.affiliations.values import check
from tracker.demo import DEMO_MUNICIPALITIES, load_demo
from tracker.extensions import db
from tracker.models import Affiliation
from tracker.reference import PREFECTURES


def test_the_demo_loads_its_ties_once_with_nagasaki_and_saint_paul_of_1955(app):
    load_demo(date.today())
    db.session.commit()
    first = db.session.scalars(select(Affiliation).order_by(Affiliation.established_year).limit(1)).one()
    assert (first.area.code, first.partner_name_en, first.country, first.established) == (
        "422011", "Saint Paul", "US", "1955")
    assert first.note.startswith("source: Wikipedia")
    load_demo(date.today())
    assert db.session.scalar(select(func.count()).select_from(Affiliation)) == len(DEMO_AFFILIATIONS)


def test_every_demo_tie_passes_the_registers_own_checks_and_names_its_source():
    for _code, name, name_en, country, level, kind, year, ended, source in DEMO_AFFILIATIONS:
        _values, errors = check({"partner_name": name, "partner_name_en": name_en, "country": country,
                                "partner_level": level, "kind": kind, "established": str(year),
                                "ended": str(ended or "")}, date(2024, 1, 1))
        assert not errors, (name_en, errors)
        assert source


def test_the_demo_ties_areas_are_on_the_official_list(shared_data):
    with open(os.path.join(shared_data, "jp_municipalities_lgcode.csv"), encoding="utf-8") as file:
        official = {row["lg_code"]: row for row in csv.DictReader(file)}
    for code, name_ja, kana, _name_en in EXTRA_MUNICIPALITIES:
        assert (official[code]["name_ja"], official[code]["name_kana"]) == (name_ja, kana)
    # every tie's area is a prefecture or a municipality the demo creates
    known = {code for code, *_ in (*DEMO_MUNICIPALITIES, *EXTRA_MUNICIPALITIES, *PREFECTURES)}
    assert {code for code, *_ in DEMO_AFFILIATIONS} <= known


def test_the_home_page_shows_leadership_the_active_ties_and_those_added_this_year(client, auth):
    city = factories.area("422011")
    factories.affiliation(city, "Saint Paul", established_year=1955)
    factories.affiliation(city, "Santos", country="BR", established_year=date.today().year)
    factories.affiliation(city, "Middelburg", country="NL", established_year=1978, ended_year=2000)
    viewer, exporter = factories.user("viewer", language="en"), factories.user("exporter", language="en")
    db.session.commit()
    auth.login(viewer.email)
    page = client.get("/").get_data(as_text=True)
    assert "<strong>2</strong> active affiliations</a>, 1 added this year" in page
    auth.logout()
    auth.login(exporter.email)
    assert 'id="home-affiliations"' not in client.get("/").get_data(as_text=True)
