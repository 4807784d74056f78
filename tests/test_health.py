from tracker import create_app
from tracker.extensions import db


def test_healthz_answers_ok_without_logging_in(client):
    response = client.get("/healthz")
    assert (response.status_code, response.json) == (200, {"status": "ok"})


def test_healthz_answers_503_when_the_database_is_unreachable(tmp_path):
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/missing/dir/db.sqlite"})
    with app.app_context():
        response = app.test_client().get("/healthz")
        db.engine.dispose()
    assert response.status_code == 503
    assert response.json["status"] == "unavailable"


def test_unknown_pages_get_the_apps_404_page(client, auth):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert "404" in response.get_data(as_text=True)


def test_every_page_forbids_inline_scripts_and_framing(client):
    headers = client.get("/login").headers
    policy = headers["Content-Security-Policy"]
    script_src = next(part for part in policy.split(";") if part.strip().startswith("script-src"))
    assert "unsafe-inline" not in script_src
    assert headers["X-Frame-Options"] == "DENY"


def test_a_forbidden_page_renders_the_apps_403_page(client, auth):
    from tests import factories

    viewer = factories.user("viewer")
    db.session.commit()
    auth.login(viewer.email)
    response = client.get("/admin/users", headers={"Accept-Language": "en"})
    assert response.status_code == 403
    assert "Forbidden" in response.get_data(as_text=True)
