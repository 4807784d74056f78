from datetime import UTC, datetime

import pytest

from tests import factories
from tracker.auth.services import issue_token
from tracker.extensions import db
from tracker.periods import Month
from tracker.reporting.services import transition
from tracker.reporting.units import Unit

APRIL = Month(2015, 4)


def _fields(response) -> set[str]:
    return {error["field"] for error in response.get_json()["errors"]}


def _headers(user):
    token = issue_token(user)
    db.session.commit()
    return {"Authorization": f"Bearer {token}", "Accept-Language": "en"}


@pytest.fixture
def tokyo(app):
    """Three Tokyo municipalities in April 2015: one approved on time, one submitted late, one missing."""
    chuo, minato, shibuya = (factories.area(code) for code in ("131016", "131032", "131130"))
    admin = factories.user("admin")
    for area in (chuo, minato):
        factories.visitor_count(area, 2015, 4, "CN", 10)
    transition(admin, Unit.of(chuo), APRIL, "submit", now=datetime(2015, 5, 14, 3, 0, tzinfo=UTC))
    transition(admin, Unit.of(chuo), APRIL, "approve", now=datetime(2015, 5, 16, 3, 0, tzinfo=UTC))
    transition(admin, Unit.of(minato), APRIL, "submit", now=datetime(2015, 5, 20, 3, 0, tzinfo=UTC))
    factories.area("271004")  # Osaka: outside the area asked for
    db.session.commit()
    return {"chuo": chuo, "minato": minato, "shibuya": shibuya, "admin": admin}


def test_a_months_states_rates_and_rows_for_every_unit_in_the_area(client, tokyo):
    response = client.get("/api/v1/reporting?metric=visitors&area=130001&month=2015-04",
                          headers=_headers(factories.user("viewer")))
    assert response.status_code == 200
    assert response.get_json() == {
        "metric": "visitors", "area": "130001", "month": "2015-04", "due": "2015-05-15", "expected": 3,
        "counts": {"missing": 1, "entered": 0, "submitted": 1, "approved": 1},
        "reporting_rate": 2 / 3, "on_time_rate": 1 / 3, "late": 2,
        "rows": [
            {"area_code": "131016", "name": "Test City 131016", "state": "approved",
             "submitted_at": "2015-05-14T03:00:00+00:00", "approved_at": "2015-05-16T03:00:00+00:00", "late": False,
             "due": "2015-05-15"},
            {"area_code": "131032", "name": "Test City 131032", "state": "submitted",
             "submitted_at": "2015-05-20T03:00:00+00:00", "approved_at": None, "late": True, "due": "2015-05-15"},
            {"area_code": "131130", "name": "Test City 131130", "state": "missing", "submitted_at": None,
             "approved_at": None, "late": True, "due": "2015-05-15"},
        ],
    }
    nation = client.get("/api/v1/reporting?area=JP&month=2015-04", headers=_headers(tokyo["admin"])).get_json()
    assert nation["expected"] == 4 and nation["counts"]["missing"] == 2


def test_export_rows_name_the_exporter(client, app):
    exporter = factories.new_exporter(factories.area("131016"), name="東京酒造")
    factories.export_sale(factories.product(exporter), 2015, 1, "HK", 100)
    db.session.commit()
    body = client.get("/api/v1/reporting?metric=exports&month=2015-01", headers=_headers(factories.user("admin")))
    assert body.get_json()["due"] == "2015-02-28"
    assert body.get_json()["rows"] == [{"exporter": exporter.id, "area_code": "131016", "name": "東京酒造",
                                        "state": "entered", "submitted_at": None, "approved_at": None, "late": True,
                                        "due": "2015-02-28"}]


def test_bad_parameters_and_readers_only(client, app):
    headers = _headers(factories.user("viewer"))
    bad = client.get("/api/v1/reporting?metric=trees&area=999999&month=April", headers=headers)
    assert bad.status_code == 422 and _fields(bad) == {"metric", "area", "month"}
    exporter = factories.user("exporter")
    assert client.get("/api/v1/reporting", headers=_headers(exporter)).status_code == 403
    assert client.get("/api/v1/reporting").status_code == 401


def test_transitions_answer_the_new_state_403_409_and_422(client, tokyo):
    shibuya, minato = tokyo["shibuya"], tokyo["minato"]
    officer = _headers(factories.user("officer", areas=[shibuya]))
    approver = _headers(factories.user("officer", areas=[shibuya.parent]))
    url = "/api/v1/reporting/visitors/131130/2015-04/"
    assert client.post(url + "submit", headers=officer).status_code == 409  # no figures yet
    factories.visitor_count(shibuya, 2015, 4, "KR", 5)
    db.session.commit()
    assert client.post(url + "submit", headers=officer).get_json() == {"state": "submitted"}
    assert client.post(url + "approve", headers=officer).status_code == 403
    missing = client.post(url + "return", headers=approver, json={})
    assert missing.status_code == 422 and _fields(missing) == {"comment"}
    assert client.post(url + "return", headers=approver, json={"comment": "KR?"}).get_json() == {"state": "entered"}
    assert client.post(url + "submit", headers=officer).status_code == 200
    assert client.post(url + "approve", headers=approver).get_json() == {"state": "approved"}
    assert client.post(url + "approve", headers=approver).status_code == 409
    assert client.post(url + "reopen", headers=approver, json={"comment": ""}).status_code == 422
    reopened = client.post(url + "reopen", headers=approver, json={"comment": "typo in KR"})
    assert reopened.get_json() == {"state": "entered"}
    assert client.post(url + "publish", headers=approver).status_code == 404
    assert client.post("/api/v1/reporting/visitors/130001/2015-04/submit", headers=approver).status_code == 404
    assert client.post("/api/v1/reporting/visitors/131032/2015-04/approve",
                       headers=approver).get_json() == {"state": "approved"}
    assert minato.id


def test_an_exporter_submits_its_own_month_over_the_api(client, app):
    exporter = factories.new_exporter(factories.area("131016"))
    factories.export_sale(factories.product(exporter), 2015, 4, "HK", 100)
    own = _headers(factories.user("exporter", exporter=exporter))
    other = _headers(factories.user("exporter"))
    url = f"/api/v1/reporting/exports/{exporter.id}/2015-04/submit"
    assert client.post(url, headers=other).status_code == 403
    assert client.post(url, headers=own).get_json() == {"state": "submitted"}
    assert client.post("/api/v1/reporting/exports/99999/2015-04/submit", headers=own).status_code == 404
