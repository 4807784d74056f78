import csv
import os

import pytest
from sqlalchemy import func, select

from tests import factories
from tracker.auth.services import issue_token
from tracker.demo import split_by_weights
from tracker.extensions import db
from tracker.models import Target

BODY = {"name": "18 million by 2016", "metric": "visitors", "area": "JP", "baseline_year": 2011,
        "target_year": 2016, "target_value": 18_000_000}


def _fields(response) -> set[str]:
    return {error["field"] for error in response.get_json()["errors"]}


def _token(role):
    user = factories.user(role)
    token = issue_token(user)
    db.session.commit()
    return {"Authorization": f"Bearer {token}", "Accept-Language": "en"}


@pytest.fixture
def jnto_target(app, shared_data):
    """The national series from JNTO's published annual totals, each year split evenly over its months."""
    path = os.path.join(shared_data, "jnto", "jnto_visitor_arrivals_annual_total_1990-2024.csv")
    with open(path, encoding="utf-8") as file:
        annual = {int(r["year"]): int(r["visitors"]) for r in csv.DictReader(file)}
    nation = factories.area("JP")
    for year in range(2010, 2017):
        for month, visitors in enumerate(split_by_weights(annual[year], [1] * 12), start=1):
            factories.visitor_count(nation, year, month, "ZZ", visitors)
    target = factories.target(nation, name="18 million by 2016")
    db.session.commit()
    return target


def test_the_progress_of_the_18_million_target_as_the_api_gives_it(client, jnto_target):
    response = client.get(f"/api/v1/targets/{jnto_target.id}/progress", headers=_token("viewer"))
    body = response.get_json()
    assert response.status_code == 200
    assert body["target"]["id"] == jnto_target.id and body["target"]["area"] == "JP"
    assert body["required_cagr"] == 0.2368
    assert (body["met_year"], body["status"]) == (2015, "met")
    years = {y["year"]: y for y in body["years"]}
    assert years[2015] == {"year": 2015, "actual": 19_737_409, "required": 14_553_205, "complete": True}
    assert years[2010] == {"year": 2010, "actual": 8_611_175, "required": None, "complete": True}
    assert set(years[2011]) == {"year", "actual", "required", "complete"}
    assert {"ytd", "projected"} <= set(body)


@pytest.mark.parametrize("role", ["admin", "officer", "viewer"])
def test_every_reader_gets_the_list_a_target_and_its_progress(client, jnto_target, role):
    headers = _token(role)
    assert [t["id"] for t in client.get("/api/v1/targets", headers=headers).get_json()["targets"]] == [jnto_target.id]
    assert client.get(f"/api/v1/targets/{jnto_target.id}", headers=headers).get_json()["baseline_value"] == 6_218_752
    progress = client.get(f"/api/v1/targets/{jnto_target.id}/progress", headers=headers).get_json()
    assert (progress["required_cagr"], progress["met_year"], progress["status"]) == (0.2368, 2015, "met")


def test_readers_list_targets_and_exporters_or_strangers_cannot(client, jnto_target):
    listing = client.get("/api/v1/targets", headers=_token("officer")).get_json()
    assert [t["name"] for t in listing["targets"]] == ["18 million by 2016"]
    one = client.get(f"/api/v1/targets/{jnto_target.id}", headers=_token("viewer")).get_json()
    assert one == {"id": jnto_target.id, "name": "18 million by 2016", "metric": "visitors", "area": "JP",
                   "market": None, "product": None, "destination": None, "baseline_year": 2011,
                   "baseline_value": 6_218_752, "target_year": 2016, "target_value": 18_000_000,
                   "year_basis": "calendar", "include_subareas": False}
    assert client.get("/api/v1/targets", headers=_token("exporter")).status_code == 403
    assert client.get(f"/api/v1/targets/{jnto_target.id}/progress", headers=_token("exporter")).status_code == 403
    assert client.get("/api/v1/targets").status_code == 401
    assert client.get("/api/v1/targets/999", headers=_token("viewer")).status_code == 404


def test_an_admin_creates_a_target_and_gets_the_resolved_baseline(client, jnto_target):
    response = client.post("/api/v1/targets", json={**BODY, "name": "again"}, headers=_token("admin"))
    assert response.status_code == 201
    body = response.get_json()
    assert body["baseline_value"] == 6_218_752
    assert response.headers["Location"] == f"/api/v1/targets/{body['id']}"


def test_bad_input_gets_422_with_a_message_per_field_and_writes_nothing(client, app):
    headers = _token("admin")
    body = {**BODY, "area": "12", "target_year": "2016", "include_subareas": "yes", "colour": "red"}
    response = client.post("/api/v1/targets", json=body, headers=headers)
    assert response.status_code == 422
    assert response.get_json() == {"errors": [{"field": "target_year", "message": "Must be a whole number."},
                                              {"field": "include_subareas", "message": "Must be true or false."},
                                              {"field": "colour", "message": "Unknown field."}]}
    response = client.post("/api/v1/targets", json={**BODY, "area": "12", "market": "QQ"}, headers=headers)
    assert response.status_code == 422 and _fields(response) == {"area", "market"}
    missing = client.post("/api/v1/targets", json={"name": "x"}, headers=headers)
    assert _fields(missing) == {"metric", "area", "baseline_year", "target_year", "target_value"}
    assert client.post("/api/v1/targets", data="not json", headers=headers).status_code == 400
    assert db.session.scalar(select(func.count(Target.id))) == 0


def test_an_admin_replaces_a_target_with_put(client, jnto_target):
    headers = _token("admin")
    body = {**BODY, "name": "revised", "baseline_value": 6_000_000, "year_basis": "fiscal", "market": "cn"}
    response = client.put(f"/api/v1/targets/{jnto_target.id}", json=body, headers=headers)
    assert response.status_code == 200
    saved = response.get_json()
    assert (saved["name"], saved["baseline_value"], saved["year_basis"], saved["market"]) == (
        "revised", 6_000_000, "fiscal", "CN")
    refused = client.put(f"/api/v1/targets/{jnto_target.id}", json={**body, "target_year": 2000}, headers=headers)
    assert refused.status_code == 422
    assert db.session.get(Target, jnto_target.id).target_year == 2016
    assert client.put("/api/v1/targets/999", json=body, headers=headers).status_code == 404


def test_only_admins_write_targets(client, jnto_target):
    for role in ("viewer", "officer", "exporter"):
        headers = _token(role)
        assert client.post("/api/v1/targets", json=BODY, headers=headers).status_code == 403
        assert client.put(f"/api/v1/targets/{jnto_target.id}", json=BODY, headers=headers).status_code == 403
