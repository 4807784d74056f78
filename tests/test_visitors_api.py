import csv
import io
import os

import pytest
from sqlalchemy import func, select

from tests import factories
from tracker.auth.services import issue_token
from tracker.extensions import db
from tracker.models import ImportBatch, Revision, VisitorCount
from tracker.rollups import refresh_visitor_rollups


def _token(role, **fields):
    user = factories.user(role, **fields)
    token = issue_token(user)
    db.session.commit()
    return {"Authorization": f"Bearer {token}", "Accept-Language": "en"}


@pytest.fixture
def figures(app):
    """Tokyo's own prefectural figure, two of its municipalities, and one municipality of Osaka."""
    tokyo, osaka = factories.area("130001"), factories.area("270008")
    shibuya, chuo, osaka_city = factories.area("131130"), factories.area("131024"), factories.area("271004")
    for month, cn, kr in ((3, 100, 10), (4, 200, 20)):
        factories.visitor_count(tokyo, 2015, month, "CN", 10_000 + cn)
        factories.visitor_count(shibuya, 2015, month, "CN", cn)
        factories.visitor_count(chuo, 2015, month, "KR", kr)
        factories.visitor_count(osaka_city, 2015, month, "CN", 5)
    factories.visitor_count(shibuya, 2016, 1, "CN", 7)
    refresh_visitor_rollups([(2015, 3), (2015, 4), (2016, 1)])
    db.session.commit()
    return tokyo, osaka


def test_the_nation_total_of_2015_from_jnto_figures(client, shared_data):
    path = os.path.join(shared_data, "jnto", "jnto_visitor_arrivals_monthly_total_1996-2025.csv")
    with open(path, encoding="utf-8") as source:
        rows = [row for row in csv.DictReader(source) if row["year"] in ("2014", "2015")]
    lines = "".join(f"JP,{r['year']},{r['month']},ZZ,{r['visitors']}\n" for r in rows)
    headers = _token("admin")
    upload = client.post("/api/v1/imports/visitors", headers=headers, data={
        "file": (io.BytesIO(("area_code,year,month,market,visitors\n" + lines).encode()), "jnto.csv")})
    assert upload.status_code == 200 and upload.get_json() == {"created": 24, "updated": 0, "unchanged": 0}
    by_year = client.get("/api/v1/visitors?area=JP&group_by=year", headers=headers).get_json()
    assert by_year["rows"][1] == {"year": 2015, "visitors": 19_737_409}
    april = client.get("/api/v1/visitors?area=JP&from=2015-04&to=2015-04", headers=headers).get_json()
    assert april == {"rows": [{"month": "2015-04", "visitors": 1_764_691}]}


def test_a_prefectures_own_series_and_the_sum_of_its_municipalities_are_kept_apart(client, figures):
    headers = _token("viewer")
    own = client.get("/api/v1/visitors?area=130001&group_by=month", headers=headers).get_json()
    assert own["rows"] == [{"month": "2015-03", "visitors": 10_100}, {"month": "2015-04", "visitors": 10_200}]
    below = client.get("/api/v1/visitors?area=130001&group_by=month&include_subareas=1", headers=headers).get_json()
    assert below["rows"] == [{"month": "2015-03", "visitors": 110}, {"month": "2015-04", "visitors": 220},
                             {"month": "2016-01", "visitors": 7}]
    nation = client.get("/api/v1/visitors?area=JP&group_by=year&include_subareas=1", headers=headers).get_json()
    assert nation["rows"] == [{"year": 2015, "visitors": 340}, {"year": 2016, "visitors": 7}]


def test_filters_and_every_grouping(client, figures):
    headers = _token("viewer")

    def rows(query):
        response = client.get(f"/api/v1/visitors?{query}", headers=headers)
        assert response.status_code == 200
        return response.get_json()["rows"]

    assert rows("area=130001&include_subareas=1&group_by=market&from=2015-04&to=2015-12") == [
        {"market": "CN", "visitors": 200}, {"market": "KR", "visitors": 20}]
    assert rows("area=130001&include_subareas=1&group_by=area&market=CN") == [{"area": "131130", "visitors": 307}]
    assert rows("area=JP&include_subareas=1&group_by=area&from=2015-01&to=2015-12") == [
        {"area": "131024", "visitors": 30}, {"area": "131130", "visitors": 300}, {"area": "271004", "visitors": 10}]
    assert rows("area=131130&group_by=year&market=cn") == [{"year": 2015, "visitors": 300},
                                                          {"year": 2016, "visitors": 7}]
    assert rows("area=270008&group_by=month") == []


def test_bad_parameters_are_json_errors(client, figures):
    headers = _token("viewer")
    unknown = client.get("/api/v1/visitors?area=999997", headers=headers)
    assert unknown.status_code == 422
    assert unknown.get_json() == {"errors": [{"field": "area", "message": "Unknown area code."}]}
    week = client.get("/api/v1/visitors?area=JP&group_by=week&from=2015/04", headers=headers)
    assert week.status_code == 422
    assert week.get_json() == {"errors": [
        {"field": "group_by", "message": "One of 'month', 'year', 'market' or 'area'."},
        {"field": "from", "message": "A month as YYYY-MM."}]}
    assert client.get("/api/v1/visitors?area=JP").status_code == 401


def test_a_refused_import_returns_every_error_and_writes_nothing(client, app):
    factories.area("131130")
    headers = _token("admin")
    content = b"area_code,year,month,market,visitors\n131130,2015,4,CN,-1\n131130,2015,4,CN,5\n"
    response = client.post("/api/v1/imports/visitors", headers=headers,
                           data={"file": (io.BytesIO(content), "bad.csv")})
    assert response.status_code == 422
    assert response.get_json() == {"errors": [
        {"line": 2, "column": "visitors", "message": "Must not be negative: -1."}]}
    assert db.session.scalar(select(func.count()).select_from(VisitorCount)) == 0
    assert db.session.scalar(select(func.count()).select_from(Revision)) == 0
    assert db.session.scalar(select(func.count()).select_from(ImportBatch)) == 0
    missing = client.post("/api/v1/imports/visitors", headers=headers, data={})
    assert missing.status_code == 400 and missing.get_json()["errors"][0]["field"] == "file"


def test_api_imports_follow_the_same_permissions_as_the_pages(client, app):
    shibuya, osaka_city = factories.area("131130"), factories.area("271004")
    officer = _token("officer", areas=[shibuya])
    content = b"area_code,year,month,market,visitors\n271004,2015,4,CN,5\n"
    refused = client.post("/api/v1/imports/visitors", headers=officer, data={"file": (io.BytesIO(content), "v.csv")})
    assert refused.status_code == 422
    assert refused.get_json()["errors"] == [
        {"line": 2, "column": "area_code", "message": "The area 271004 is outside your areas."}]
    own = content.replace(b"271004", b"131130")
    accepted = client.post("/api/v1/imports/visitors", headers=officer, data={"file": (io.BytesIO(own), "v.csv")})
    assert accepted.status_code == 200 and accepted.get_json()["created"] == 1
    revision = db.session.scalar(select(Revision))
    assert revision.source == "api"
    viewer = _token("viewer")
    assert client.post("/api/v1/imports/visitors", headers=viewer,
                       data={"file": (io.BytesIO(own), "v.csv")}).status_code == 403
    assert osaka_city.code == "271004"
