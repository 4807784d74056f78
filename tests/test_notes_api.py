"""GET and POST /api/v1/notes: the figures' permissions, and every refusal as {"errors": [{field, message}]}."""

from datetime import datetime

import pytest
from sqlalchemy import select

from tests import factories
from tracker.auth.services import issue_token
from tracker.extensions import db
from tracker.models import Note, Revision
from tracker.periods import current_month

LAST_MONTH = current_month().shift(-1)


def _token(role, **fields):
    user = factories.user(role, **fields)
    token = issue_token(user)
    db.session.commit()
    return {"Authorization": f"Bearer {token}", "Accept-Language": "en"}


@pytest.fixture
def notes(app):
    tokyo, shinjuku, osaka = factories.area("130001"), factories.area("131041"), factories.area("270008")
    officer = factories.user("officer", areas=[tokyo])
    factories.note("2024-07", "Tokyo in July", area=tokyo, author=officer)
    factories.note("2024-08", "Shinjuku in August", area=shinjuku, author=officer)
    factories.note("2024-09", "Tokyo in September", area=tokyo, author=officer)
    factories.note("2024-08", "Osaka in August", area=osaka)
    factories.note("2024-08", "A brewer's", exporter=factories.new_exporter(shinjuku))
    db.session.commit()
    return officer


def test_readers_get_an_areas_notes_between_two_months(client, notes):
    response = client.get("/api/v1/notes?area=130001&from=2024-08&to=2024-12", headers=_token("viewer"))
    assert response.status_code == 200
    (row,) = response.get_json()["rows"]
    assert set(row) == {"id", "area_code", "month", "text", "author", "created_at"}
    assert (row["area_code"], row["month"], row["text"], row["author"]) == ("130001", "2024-09",
                                                                           "Tokyo in September", "officer user")
    assert datetime.fromisoformat(row["created_at"]).tzinfo is not None


def test_include_subareas_adds_the_notes_of_the_areas_below_but_never_an_exporters(client, notes):
    response = client.get("/api/v1/notes?area=130001&from=2024-08&to=2024-08&include_subareas=1",
                          headers=_token("officer", areas=[factories.area("270008")]))
    assert [(row["area_code"], row["text"]) for row in response.get_json()["rows"]] == [
        ("131041", "Shinjuku in August")]
    every = client.get("/api/v1/notes?area=JP&include_subareas=1", headers=_token("admin")).get_json()["rows"]
    assert [row["month"] for row in every] == ["2024-07", "2024-08", "2024-08", "2024-09"]


@pytest.mark.parametrize(("query", "field"), [
    ("", "area"),
    ("area=130001&from=2024-13", "from"),
    ("area=130001&to=soon", "to"),
    ("area=130001&from=2024-09&to=2024-08", "to"),
    ("area=130001&include_subareas=maybe", "include_subareas"),
    ("area=999999", "area"),
    ("area=<b>", "area"),
])
def test_a_bad_query_is_refused_naming_the_argument(client, notes, query, field):
    response = client.get(f"/api/v1/notes?{query}", headers=_token("viewer"))
    assert response.status_code == 422
    (error,) = response.get_json()["errors"]
    assert error["field"] == field and error["message"]


def test_exporters_may_not_read_area_notes(client, notes):
    brewer = factories.user("exporter")
    token = issue_token(brewer)
    db.session.commit()
    response = client.get("/api/v1/notes?area=130001", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 403 and response.get_json()["errors"][0]["field"] is None


def test_an_officer_posts_a_note_on_a_month_of_its_area_and_gets_it_back(client, app):
    factories.area("131041")
    officer = _token("officer", areas=[factories.area("130001")])
    response = client.post("/api/v1/notes", headers=officer,
                           json={"area": "131041", "month": str(LAST_MONTH), "text": " 台風で欠航 "})
    assert response.status_code == 201
    body = response.get_json()
    assert (body["area_code"], body["month"], body["text"]) == ("131041", str(LAST_MONTH), "台風で欠航")
    db.session.rollback()
    note = db.session.get(Note, body["id"])
    assert note.text == "台風で欠航"
    revision = db.session.scalar(select(Revision).where(Revision.table_name == "notes"))
    assert (revision.record_key, revision.source, revision.new_value) == (
        f"area/131041/{LAST_MONTH}/{note.id}", "api", "台風で欠航")


@pytest.mark.parametrize(("body", "status", "fields"), [
    (None, 422, ["area", "month", "text"]),
    ([1, 2], 400, [None]),
    ("not json", 400, [None]),
    ({"area": "130001", "month": "2024-08"}, 422, ["text"]),
    ({"area": "130001", "month": 202408, "text": "x"}, 422, ["month"]),
    ({"area": "130001", "month": "", "text": "x"}, 422, ["month"]),
    ({"area": "130001", "month": "2024-08", "text": "x", "mood": "sad"}, 422, ["mood"]),
    ({"area": "130001", "month": "August", "text": "x"}, 422, ["month"]),
    ({"area": "999999", "month": "2024-08", "text": "x"}, 422, ["area"]),
    ({"area": "270008", "month": "2024-08", "text": "x"}, 403, ["area"]),
    ({"area": "130001", "month": "2024-08", "text": "   "}, 422, ["text"]),
    ({"area": "130001", "month": str(current_month().shift(2)), "text": "x"}, 422, ["month"]),
])
def test_a_bad_or_forbidden_note_is_refused_naming_the_field_and_nothing_is_written(client, app, body, status,
                                                                                     fields):
    officer = _token("officer", areas=[factories.area("130001")])
    sent = {"data": body, "content_type": "application/json"} if isinstance(body, str) else {"json": body}
    response = client.post("/api/v1/notes", headers=officer, **sent)
    assert response.status_code == status
    assert [error["field"] for error in response.get_json()["errors"]] == fields
    db.session.rollback()
    assert db.session.scalars(select(Note)).all() == []


@pytest.mark.parametrize("role", ["viewer", "exporter"])
def test_readers_and_exporters_may_not_post_area_notes(client, app, role):
    response = client.post("/api/v1/notes", headers=_token(role),
                           json={"area": "130001", "month": "2024-08", "text": "x"})
    assert response.status_code == 403
    assert response.get_json() == {"errors": [{"field": None, "message": "Your account does not have permission to "
                                                                  "see or change this."}]}
