import pytest
from sqlalchemy import select

from tests import factories
from tracker import create_app
from tracker.extensions import db
from tracker.models import User


def test_an_anonymous_visitor_lands_on_the_login_page(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_logging_in_and_out(client, auth):
    factories.user("viewer", email="viewer@example.jp")
    db.session.commit()
    response = auth.login("viewer@example.jp")
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    auth.logout()
    assert client.get("/").status_code == 302


def test_the_email_is_case_insensitive_and_a_wrong_password_is_refused(client, auth):
    factories.user("viewer", email="viewer@example.jp")
    db.session.commit()
    response = client.post("/login", data={"email": "viewer@example.jp", "password": "wrong"},
                           headers={"Accept-Language": "en"})
    assert response.status_code == 200
    assert "Wrong email or password." in response.get_data(as_text=True)
    assert auth.login("VIEWER@example.jp").status_code == 302


def test_an_inactive_account_cannot_log_in(client, auth):
    factories.user("viewer", email="gone@example.jp", active=False)
    db.session.commit()
    auth.login("gone@example.jp")
    assert client.get("/").status_code == 302


def test_login_only_redirects_to_paths_of_this_site(client):
    factories.user("viewer", email="viewer@example.jp")
    db.session.commit()
    response = client.post("/login?next=https://evil.example/", data={"email": "viewer@example.jp",
                                                                       "password": factories.PASSWORD})
    assert response.headers["Location"] == "/"


@pytest.mark.parametrize("role, status", [("admin", 200), ("officer", 403), ("exporter", 403), ("viewer", 403)])
def test_only_admins_reach_the_admin_pages(client, auth, role, status):
    user = factories.user(role, areas=[factories.area("130001")] if role == "officer" else [])
    db.session.commit()
    auth.login(user.email)
    assert client.get("/admin/users").status_code == status
    assert client.get("/admin/areas").status_code == status


def test_an_admin_creates_an_officer_for_an_area(client, auth):
    admin = factories.user("admin")
    db.session.commit()
    auth.login(admin.email)
    response = client.post("/admin/users/new", data={"email": "new@example.jp", "name": "新人", "role": "officer",
                                                      "area_codes": "130001", "password": "long enough pw",
                                                      "active": "y"})
    assert response.status_code == 302
    created = db.session.scalar(select(User).where(User.email == "new@example.jp"))
    assert (created.role, [a.code for a in created.areas]) == ("officer", ["130001"])


def test_creating_an_officer_without_an_area_names_the_problem_and_writes_nothing(client, auth):
    admin = factories.user("admin")
    db.session.commit()
    auth.login(admin.email)
    response = client.post("/admin/users/new", data={"email": "new@example.jp", "name": "x", "role": "officer",
                                                      "area_codes": "", "password": "long enough pw"},
                           headers={"Accept-Language": "en"})
    assert response.status_code == 200
    assert "An officer needs at least one area." in response.get_data(as_text=True)
    assert db.session.scalar(select(User).where(User.email == "new@example.jp")) is None


def test_forms_refuse_a_post_without_csrf_token(database_url):
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "x"})
    with app.app_context():
        response = app.test_client().post("/login", data={"email": "a@example.jp", "password": "x"})
        db.engine.dispose()
    assert response.status_code == 400


def test_a_bearer_token_authenticates_and_a_wrong_one_does_not(client):
    from tracker.auth.services import issue_token

    user = factories.user("viewer")
    token = issue_token(user)
    db.session.commit()
    assert client.get("/", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    assert client.get("/", headers={"Authorization": "Bearer nope"}).status_code == 302
    assert token not in {t.token_hash for t in user.tokens}


def test_the_language_switcher_saves_the_preference(client, auth):
    user = factories.user("viewer")
    db.session.commit()
    auth.login(user.email)
    client.post("/language/en", data={"next": "/"})
    assert db.session.get(User, user.id).language == "en"
    assert "Home" in client.get("/").get_data(as_text=True)


def test_a_user_changes_the_password_only_with_the_current_one(client, auth):
    user = factories.user("viewer")
    db.session.commit()
    auth.login(user.email)
    refused = client.post("/account/password", data={"current": "wrong", "new": "another-password",
                                                     "repeat": "another-password"},
                          headers={"Accept-Language": "en"})
    assert "The current password is wrong." in refused.get_data(as_text=True)
    assert db.session.get(User, user.id).check_password(factories.PASSWORD)
    client.post("/account/password", data={"current": factories.PASSWORD, "new": "another-password",
                                           "repeat": "another-password"})
    assert db.session.get(User, user.id).check_password("another-password")


def test_a_user_issues_and_revokes_an_api_token_from_the_account_page(client, auth):
    user = factories.user("viewer")
    other = factories.user("viewer")
    from tracker.auth.services import issue_token

    issue_token(other)
    db.session.commit()
    auth.login(user.email)
    page = client.post("/account/tokens").get_data(as_text=True)
    token = page.split('<code class="token">')[1].split("</code>")[0]
    fresh = client.application.test_client()
    assert fresh.get("/", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    token_id = db.session.get(User, user.id).tokens[0].id
    other_token_id = db.session.get(User, other.id).tokens[0].id
    client.post(f"/account/tokens/{other_token_id}/revoke")
    assert len(db.session.get(User, other.id).tokens) == 1
    client.post(f"/account/tokens/{token_id}/revoke")
    assert fresh.get("/", headers={"Authorization": f"Bearer {token}"}).status_code == 302
