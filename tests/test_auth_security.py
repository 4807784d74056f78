"""Log-in throttling, sessions and tokens that end, the password rules, and CSRF on API writes."""

import io
import re
import time
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from tests import factories
from tracker import create_app
from tracker.auth import services
from tracker.auth.services import AccountError, create_user, issue_token
from tracker.extensions import db
from tracker.models import ApiToken, User, VisitorCount
from tracker.reporting.deadlines import JST

EN = {"Accept-Language": "en"}


def _wrong(client, email, times):
    for _ in range(times):
        response = client.post("/login", data={"email": email, "password": "not-the-password"}, headers=EN)
        assert response.status_code == 200


def test_an_account_is_throttled_after_five_failed_log_ins_even_with_the_right_password(client):
    admin = factories.user("admin", email="admin@example.jp")
    db.session.commit()
    _wrong(client, admin.email, 5)
    response = client.post("/login", data={"email": admin.email, "password": factories.PASSWORD}, headers=EN)
    assert response.status_code == 429
    page = response.get_data(as_text=True)
    assert "Too many failed log-ins for this account or from this address. Wait 15 minutes" in page
    assert 'class="brand"' in page and 'action="/language/ja"' in page  # the app's own page, not a bare error
    assert client.get("/").status_code == 302


def test_a_successful_log_in_does_not_count_against_the_limit(client, auth):
    user = factories.user("viewer")
    db.session.commit()
    for _ in range(7):
        assert auth.login(user.email).status_code == 302
        auth.logout()


def test_one_address_trying_many_accounts_is_throttled(app, client):
    user = factories.user("viewer")
    db.session.commit()
    app.config["TRACKER_LOGIN_LIMIT_PER_ADDRESS"] = "4 per 15 minutes"
    for number in range(4):
        _wrong(client, f"nobody{number}@example.jp", 1)
    response = client.post("/login", data={"email": user.email, "password": factories.PASSWORD}, headers=EN)
    assert response.status_code == 429
    elsewhere = client.post("/login", data={"email": user.email, "password": factories.PASSWORD},
                            environ_overrides={"REMOTE_ADDR": "192.0.2.7"})
    assert elsewhere.status_code == 302


def test_an_unknown_email_costs_a_hash_check_and_gets_the_same_message(client, monkeypatch):
    factories.user("viewer", email="known@example.jp")
    db.session.commit()
    checks = []
    original = services.check_password_hash
    monkeypatch.setattr(services, "check_password_hash", lambda *args: checks.append(args) or original(*args))
    unknown = client.post("/login", data={"email": "unknown@example.jp", "password": "whatever-it-is"}, headers=EN)
    known = client.post("/login", data={"email": "known@example.jp", "password": "whatever-it-is"}, headers=EN)
    assert len(checks) == 1
    assert "Wrong email or password." in unknown.get_data(as_text=True)
    assert "Wrong email or password." in known.get_data(as_text=True)


def _bearer(token):
    return {"Authorization": f"Bearer {token}"}


def test_a_password_change_ends_the_other_sessions_and_revokes_the_tokens_but_keeps_this_one(app, auth, client):
    user = factories.user("viewer")
    token = issue_token(user)
    db.session.commit()
    other = app.test_client()
    other.post("/login", data={"email": user.email, "password": factories.PASSWORD})
    auth.login(user.email)
    assert other.get("/dashboard/").status_code == 200
    client.post("/account/password", data={"current": factories.PASSWORD, "new": "a brand new passphrase",
                                           "repeat": "a brand new passphrase"})
    assert client.get("/dashboard/").status_code == 200
    assert other.get("/dashboard/").status_code == 302
    assert app.test_client().get("/api/v1/targets", headers=_bearer(token)).status_code == 401
    assert db.session.scalar(select(func.count()).select_from(ApiToken)) == 0


def test_a_cookie_copied_before_log_out_opens_nothing_afterwards_and_its_tokens_end(app, auth, client):
    user = factories.user("viewer")
    token = issue_token(user)
    db.session.commit()
    auth.login(user.email)
    copy = app.test_client()
    copy.set_cookie("session", client.get_cookie("session").value)
    assert copy.get("/dashboard/").status_code == 200
    auth.logout()
    assert copy.get("/dashboard/").status_code == 302
    assert copy.get("/api/v1/targets").status_code == 401
    assert client.get("/api/v1/targets", headers={"Authorization": f"Bearer {token}"}).status_code == 401


@pytest.mark.parametrize("change", [{"password": "reset by the admin"}, {"active": ""}])
def test_an_admin_reset_or_deactivation_ends_the_accounts_sessions_and_tokens(app, auth, client, change):
    admin = factories.user("admin")
    user = factories.user("viewer")
    token = issue_token(user)
    db.session.commit()
    theirs = app.test_client()
    theirs.post("/login", data={"email": user.email, "password": factories.PASSWORD})
    auth.login(admin.email)
    form = {"email": user.email, "name": user.name, "role": "viewer", "area_codes": "", "active": "y", **change}
    assert client.post(f"/admin/users/{user.id}", data={k: v for k, v in form.items() if v}).status_code == 302
    assert theirs.get("/dashboard/").status_code == 302
    assert app.test_client().get("/api/v1/targets", headers=_bearer(token)).status_code == 401
    assert client.get("/admin/users").status_code == 200


def test_log_in_starts_a_fresh_session_that_keeps_only_the_language(client):
    user = factories.user("viewer")
    db.session.commit()
    with client.session_transaction() as session:
        session.update({"csrf_token": "chosen-by-an-attacker", "language": "en", "stale": 1})
    client.post("/login", data={"email": user.email, "password": factories.PASSWORD})
    with client.session_transaction() as session:
        assert (session.get("csrf_token"), session.get("stale"), session["language"]) == (None, None, "en")
        assert session.permanent


def test_sessions_last_twelve_hours_by_default_and_end_when_idle_longer(app, auth, client):
    assert app.permanent_session_lifetime == timedelta(hours=12)
    user = factories.user("viewer")
    db.session.commit()
    app.permanent_session_lifetime = timedelta(seconds=1)
    auth.login(user.email)
    assert client.get("/").status_code == 200
    time.sleep(2.1)
    assert client.get("/").status_code == 302


def test_tokens_expire_after_ninety_days_shown_on_the_account_page(client, auth):
    user = factories.user("viewer")
    token = issue_token(user)
    db.session.commit()
    stored = db.session.scalar(select(ApiToken))
    assert abs(stored.expires_at.replace(tzinfo=UTC) - datetime.now(UTC) - timedelta(days=90)) < timedelta(minutes=1)
    auth.login(user.email)
    page = client.get("/account", headers=EN).get_data(as_text=True)
    assert "Expires" in page and "valid for 90 days" in page
    # the page writes times in Japan: after 15:00 UTC the expiry falls on the next Japanese day
    assert stored.expires_at.replace(tzinfo=UTC).astimezone(JST).strftime("%Y-%m-%d") in page
    assert client.application.test_client().get("/api/v1/targets", headers=_bearer(token)).status_code == 200
    stored.expires_at = datetime.now(UTC) - timedelta(seconds=1)
    db.session.commit()
    assert client.application.test_client().get("/api/v1/targets", headers=_bearer(token)).status_code == 401


def test_a_bearer_token_is_never_read_from_the_query_string(client):
    user = factories.user("viewer")
    token = issue_token(user)
    db.session.commit()
    for name in ("access_token", "token", "bearer"):
        assert client.get(f"/api/v1/targets?{name}={token}").status_code == 401


@pytest.mark.parametrize("password", ["12345678", "password", "q1w2e3r4t5y6", "PASSWORD12345", "short pass"])
def test_short_and_common_passwords_are_refused(app, password):
    with pytest.raises(AccountError):
        create_user("new@example.jp", password, "viewer")


def test_the_account_page_names_the_password_rule_broken(client, auth):
    user = factories.user("viewer")
    db.session.commit()
    auth.login(user.email)
    page = client.post("/account/password", data={"current": factories.PASSWORD, "new": "1qaz2wsx3edc",
                                                  "repeat": "1qaz2wsx3edc"}, headers=EN).get_data(as_text=True)
    assert "This password is one of the most common ones: choose another." in page
    assert db.session.get(User, user.id).check_password(factories.PASSWORD)


@pytest.fixture
def csrf_app(database_url, app):
    """The app as it runs in production: CSRF checks on."""
    production = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "test-secret"})
    yield production
    with production.app_context():
        db.engine.dispose()


def _csrf_token(client, path="/login"):
    page = client.get(path).get_data(as_text=True)
    return re.search(r'<input[^>]*name="csrf_token"[^>]*value="([^"]+)"', page)[1]


def _upload():
    return {"file": (io.BytesIO(b"area_code,year,month,market,visitors\n130001,2015,4,CN,123\n"), "v.csv")}


def test_api_writes_with_the_session_cookie_need_the_csrf_header(csrf_app):
    officer = factories.user("officer", areas=[factories.area("130001")])
    token = issue_token(officer)
    db.session.commit()
    browser = csrf_app.test_client()
    browser.post("/login", data={"email": officer.email, "password": factories.PASSWORD,
                                 "csrf_token": _csrf_token(browser)})
    forged = browser.post("/api/v1/imports/visitors", data=_upload(), headers={"Origin": "http://evil.example"})
    assert forged.status_code == 403
    assert "X-CSRFToken" in forged.get_json()["errors"][0]["message"]
    assert db.session.scalar(select(func.count()).select_from(VisitorCount)) == 0
    sent = browser.post("/api/v1/imports/visitors", data=_upload(), headers={"X-CSRFToken": _csrf_token(browser, "/")})
    assert sent.status_code == 200
    program = csrf_app.test_client().post("/api/v1/imports/visitors", data=_upload(), headers=_bearer(token))
    assert program.status_code == 200 and program.get_json()["unchanged"] == 1
