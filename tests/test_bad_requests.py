"""Every bad request a 4xx with a message: the 500s found by trying the app as a new user would."""

import configparser
import io
import logging
import os

import pytest
from packaging.requirements import Requirement
from packaging.version import Version
from sqlalchemy import event, func, select
from sqlalchemy.exc import DataError

from tests import factories
from tracker.auth.services import issue_token
from tracker.errors import value_out_of_range
from tracker.extensions import db
from tracker.models import ExportSale, User, VisitorCount

EN = {"Accept-Language": "en"}
TOO_LONG = "9" * 5000


def _bearer(role, **fields):
    token = issue_token(factories.user(role, **fields))
    db.session.commit()
    return {"Authorization": f"Bearer {token}", **EN}


def test_a_next_with_control_characters_after_log_in_goes_home(client):
    user = factories.user("viewer")
    db.session.commit()
    response = client.post("/login?next=/%0D%0ASet-Cookie:%20x=1", data={"email": user.email,
                                                                      "password": factories.PASSWORD})
    assert (response.status_code, response.headers["Location"]) == (302, "/")


def test_a_five_thousand_digit_cell_is_a_reported_error(client):
    headers = _bearer("admin")
    body = f"area_code,year,month,market,visitors\n130001,2015,4,CN,{TOO_LONG}\n130001,{TOO_LONG},4,CN,1\n"
    response = client.post("/api/v1/imports/visitors", headers=headers,
                           data={"file": (io.BytesIO(body.encode()), "v.csv")})
    assert response.status_code == 422
    messages = [error["message"] for error in response.get_json()["errors"]]
    assert len(messages) == 2 and all(message.startswith("Too large: 999") for message in messages)
    assert db.session.scalar(select(func.count()).select_from(VisitorCount)) == 0


def test_a_yen_value_beyond_bigint_is_a_reported_error(client):
    factories.area("131016")
    headers = _bearer("admin")
    body = ("exporter,area_code,year,month,product,hs_code,destination,quantity,unit,value_jpy\n"
            f"蔵元,131016,2015,4,清酒,,CN,,,{2**63}\n")
    response = client.post("/api/v1/imports/exports", headers=headers,
                           data={"file": (io.BytesIO(body.encode()), "e.csv")})
    assert response.status_code == 422
    assert [error["column"] for error in response.get_json()["errors"]] == ["value_jpy"]
    assert db.session.scalar(select(func.count()).select_from(ExportSale)) == 0


@pytest.mark.parametrize("path", ["/api/v1/visitors?to=2730-12", "/api/v1/visitors?from=0001-01",
                                  "/api/v1/exports?to=2730-12", f"/api/v1/exports?from={TOO_LONG}-01"])
def test_months_beyond_the_stored_years_are_refused(client, path):
    response = client.get(path, headers=_bearer("viewer"))
    assert response.status_code in (400, 422)
    assert "YYYY-MM" in response.get_data(as_text=True)


@pytest.mark.parametrize("path", ["/api/v1/targets/{big}", "/api/v1/targets/{big}/progress",
                                  "/exports/exporters/{big}", "/exports/exporters/{big}/sales",
                                  "/dashboard/targets/{big}"])
def test_ids_beyond_the_id_columns_are_not_found(client, auth, path):
    admin = factories.user("admin")
    db.session.commit()
    auth.login(admin.email)
    for big in (2**31, 2**63, 10**30):
        assert client.get(path.format(big=big), headers=EN).status_code == 404


def test_a_huge_year_on_the_visitor_overview_falls_back_to_the_latest(client, auth):
    viewer = factories.user("viewer")
    db.session.commit()
    auth.login(viewer.email)
    for year in ("99999999999999999999", "40000", "-5", TOO_LONG):
        assert client.get(f"/visitors/?year={year}").status_code == 200


def test_a_new_account_form_without_the_areas_field_is_answered(client, auth):
    admin = factories.user("admin")
    db.session.commit()
    auth.login(admin.email)
    response = client.post("/admin/users/new", data={"email": "new@example.jp", "name": "新人", "role": "viewer",
                                                      "password": "a long enough passphrase", "active": "y"})
    assert response.status_code == 302
    assert db.session.scalar(select(User).where(User.email == "new@example.jp")).role == "viewer"


def test_a_value_the_database_refuses_is_a_422_and_rolls_back(app):
    factories.user("viewer", email="pending@example.jp")
    with app.test_request_context("/visitors/", headers=EN):
        response, status = value_out_of_range(DataError("INSERT", {}, Exception("smallint out of range")))
    assert status == 422
    assert "out of the range" in response
    assert db.session.scalar(select(User).where(User.email == "pending@example.jp")) is None


def test_the_database_down_page_needs_neither_the_database_nor_the_account(app, auth, client, caplog):
    viewer = factories.user("viewer", language="en")
    db.session.commit()
    auth.login(viewer.email)
    db.session.remove()
    db.engine.dispose()

    def refuse(dialect, connection_record, cargs, cparams):
        raise dialect.loaded_dbapi.OperationalError("connection refused by the test")

    event.listen(db.engine, "do_connect", refuse)
    try:
        with caplog.at_level(logging.ERROR, logger=app.logger.name):
            page = client.get("/dashboard/", headers=EN)
            api = client.get("/api/v1/targets", headers=EN)
    finally:
        event.remove(db.engine, "do_connect", refuse)
    assert page.status_code == 503 and "The database cannot be reached" in page.get_data(as_text=True)
    assert api.status_code == 503 and api.get_json() == {"errors": [
        {"field": None, "message": "The database cannot be reached at the moment. Please try again in a few minutes."}]}
    assert "connection refused by the test" in caplog.text


def test_pages_answers_and_downloads_of_an_account_are_never_stored(client, auth):
    viewer = factories.user("viewer")
    token = issue_token(viewer)
    db.session.commit()
    assert "no-store" not in client.get("/login").headers.get("Cache-Control", "")
    auth.login(viewer.email)
    assert client.get("/").headers["Cache-Control"] == "no-store"
    assert client.get("/visitors/export.csv?area=JP").headers["Cache-Control"] == "no-store"
    api = client.application.test_client().get("/api/v1/targets", headers={"Authorization": f"Bearer {token}"})
    assert api.headers["Cache-Control"] == "no-store"
    assert client.application.test_client().get("/api/v1/targets").headers["Cache-Control"] == "no-store"


def test_dependency_floors_exclude_releases_with_known_flaws():
    setup = configparser.ConfigParser()
    setup.read(os.path.join(os.path.dirname(__file__), "..", "setup.cfg"))
    floors = {}
    for line in setup["options"]["install_requires"].split("\n"):
        if line.strip() and not line.strip().startswith("#"):
            requirement = Requirement(line.strip())
            floors[requirement.name.lower()] = min((Version(s.version) for s in requirement.specifier
                                                    if s.operator == ">="), default=None)
    assert floors["gunicorn"] >= Version("23")
    assert floors["flask"] >= Version("3.1.1")
    assert floors["werkzeug"] >= Version("3.1.4")
    assert floors["jinja2"] >= Version("3.1.6")


@pytest.mark.parametrize(("language", "message"), [
    ("ja", "短時間に試行が多すぎます。"), ("en", "Too many attempts in a short time.")])
def test_a_429_without_a_message_of_its_own_is_explained_in_the_page_s_language(app, language, message):
    from werkzeug.exceptions import TooManyRequests

    from tracker.errors import render_http_error

    with app.test_request_context("/login", headers={"Accept-Language": language}):
        body, status = render_http_error(TooManyRequests())
    assert status == 429 and message in body
    assert "allotted request count" not in body


@pytest.mark.parametrize(("language", "unprocessable", "conflict"), [
    ("ja", "値を確認して", "再読み込み"), ("en", "Check the values and try again.", "Reload the page and try again.")])
def test_a_422_and_a_409_without_a_message_of_their_own_are_explained_in_the_page_s_language(app, language,
                                                                                               unprocessable,
                                                                                               conflict):
    from werkzeug.exceptions import Conflict, UnprocessableEntity

    from tracker.errors import render_http_error

    with app.test_request_context("/", headers={"Accept-Language": language}):
        body, status = render_http_error(UnprocessableEntity())
        assert status == 422 and unprocessable in body and "semantic errors" not in body
        body, status = render_http_error(Conflict())
        assert status == 409 and conflict in body and "conflict with the current state" not in body
        body, status = render_http_error(Conflict("The month is approved."))
        assert "The month is approved." in body
