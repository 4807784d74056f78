"""Every route and method of the URL map, asked by each kind of account, against `permission_matrix.txt`.

The table beside this file has one line per route and method: the method, the rule as the URL map writes it,
then what each column's account gets. A route added without a line fails `test_every_route_has_a_line`.
Outcomes: `ok` (answered: 2xx, 3xx other than to the log-in page, or 400/422 for the empty body sent),
`login` (sent to the log-in page, or 401 from the API), `deny` (403), `missing` (404: the record is not there
for this account).
"""

from __future__ import annotations

import io
import os

import pytest
from flask import current_app

from tests import factories
from tracker.auth.services import issue_token
from tracker.extensions import db
from tracker.jobs.services import create_job
from tracker.models import User
from tracker.reports.pdf import can_render

MATRIX = os.path.join(os.path.dirname(__file__), "permission_matrix.txt")
ROLES = ("anonymous", "admin", "officer_a", "officer_b", "exporter_x", "exporter_y", "viewer")
OUTCOMES = {"ok", "login", "deny", "missing"}


def _read_matrix() -> dict[tuple[str, str], dict[str, str]]:
    expected = {}
    with open(MATRIX, encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            if not line.strip() or line.startswith("#"):
                continue
            words = line.split()
            method, rule, outcomes = words[0], " ".join(words[1:-len(ROLES)]), words[-len(ROLES):]
            assert len(outcomes) == len(ROLES) and set(outcomes) <= OUTCOMES, f"{MATRIX}:{number}: {line!r}"
            assert (method, rule) not in expected, f"{MATRIX}:{number}: {method} {rule} twice"
            expected[(method, rule)] = dict(zip(ROLES, outcomes, strict=True))
    return expected


EXPECTED = _read_matrix()


def _routes(app) -> set[tuple[str, str]]:
    return {(method, rule.rule) for rule in app.url_map.iter_rules() if rule.endpoint != "static"
            for method in rule.methods - {"HEAD", "OPTIONS"}}


def test_every_route_has_a_line(app):
    routes = _routes(app)
    missing = sorted(routes - set(EXPECTED))
    assert not missing, "add a line to tests/permission_matrix.txt for: " + ", ".join(" ".join(r) for r in missing)
    assert not sorted(set(EXPECTED) - routes), "lines for routes that are gone"


@pytest.fixture
def accounts(app):
    """Area A (Tokyo) and B (Osaka), an exporter in each, a target of area A, one account per column."""
    area_a, area_b = factories.area("130001"), factories.area("270008")
    exporter_x = factories.new_exporter(factories.area("131016"), name="輸出者X")
    exporter_y = factories.new_exporter(factories.area("271004"), name="輸出者Y")
    product = factories.product(exporter_x)
    factories.export_sale(product, 2024, 1, "US", 1000)
    factories.visitor_count(factories.area("131016"), 2024, 1, "CN", 10)
    target = factories.target(area_a)
    tie = factories.affiliation(factories.area("131016"))
    users = {
        "admin": factories.user("admin"),
        "officer_a": factories.user("officer", areas=[area_a]),
        "officer_b": factories.user("officer", areas=[area_b]),
        "exporter_x": factories.user("exporter", exporter=exporter_x),
        "exporter_y": factories.user("exporter", exporter=exporter_y),
        "viewer": factories.user("viewer"),
    }
    issue_token(users["exporter_x"])
    note = factories.note("2024-01", "台風で空港が閉鎖", area=factories.area("131016"), author=users["officer_a"])
    job = create_job(users["officer_a"], "visitors", "import", "v.csv", io.BytesIO(b"area_code\n"),
                     upload_dir=app.config["TRACKER_UPLOAD_DIR"], language="en")
    db.session.commit()
    values = {"target_id": target.id, "exporter_id": exporter_x.id, "product_id": product.id,
              "user_id": users["officer_b"].id, "token_id": users["exporter_x"].tokens[0].id, "code": "131016",
              "month": "2024-01", "fmt": "csv", "key": "annual", "language": "en",
              "job_id": job.id, "metric": "visitors", "action": "submit", "exception_id": 1,
              "affiliation_id": tie.id,
              "note_id": note.id}
    return {role: user.id for role, user in users.items()}, values


def _outcome(response) -> str:
    location = response.headers.get("Location", "")
    if response.status_code == 401 or (response.status_code in (302, 303) and location.startswith("/login")):
        return "login"
    if response.status_code == 403:
        return "deny"
    if response.status_code == 404:
        return "missing"
    if response.status_code == 503 and not can_render(current_app.config):
        return "ok"  # a report's PDF where Chromium is not installed: answered, saying so
    assert response.status_code < 500
    return "ok"


def _ask(app, role, user_ids, method, url) -> str:
    client = app.test_client()
    if role != "anonymous":
        user = db.session.get(User, user_ids[role])
        db.session.refresh(user)  # a log-out asked before raised its session version
        with client.session_transaction() as session:
            session["_user_id"] = user.get_id()
            session["_fresh"] = True
    response = client.open(url, method=method, data={} if method != "GET" else None)
    response.close()
    return _outcome(response)


def test_each_account_gets_what_the_matrix_says_on_every_route(app, accounts):
    user_ids, values = accounts
    adapter = app.url_map.bind("localhost")
    wrong = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if rule.endpoint == "static":
            continue
        url = adapter.build(rule.endpoint, {name: values[name] for name in rule.arguments})
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            for role, expected in EXPECTED[(method, rule.rule)].items():
                got = _ask(app, role, user_ids, method, url)
                if got != expected:
                    wrong.append(f"{method} {rule.rule} as {role}: {got}, the matrix says {expected}")
    assert not wrong, "\n".join(wrong)
