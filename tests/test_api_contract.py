"""Schemathesis sends requests drawn from the OpenAPI document to every operation, as an admin and as an officer on
seeded data: no answer is a 5xx, and every answer's status, content type and body match the document.

The examples are few and derandomized (seeded, no example database) so that CI runs the same requests each time."""

from __future__ import annotations

import io

import pytest
import schemathesis
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests import factories
from tracker import create_app
from tracker.api.contract import document
from tracker.auth.services import issue_token
from tracker.extensions import db
from tracker.jobs.services import create_job

CONFIG = SchemathesisConfig.from_dict({
    "seed": 20261202,
    "generation": {"max-examples": 8, "deterministic": True, "database": "none", "mode": "positive"},
})
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]

_APP = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
with _APP.test_request_context():
    schema = schemathesis.openapi.from_dict(document(), config=CONFIG)


@pytest.fixture(params=["admin", "officer"])
def bearer(request, app) -> dict[str, str]:
    """Seeded figures, sales, a target and a job, and the token of the account the test runs as."""
    tokyo = factories.area("130001")
    chuo = factories.area("131016")
    exporter = factories.new_exporter(chuo)
    factories.export_sale(factories.product(exporter), 2024, 1, "US", 1000)
    factories.visitor_count(chuo, 2024, 1, "CN", 10)
    factories.target(tokyo)
    user = factories.user(request.param, **({"areas": [tokyo]} if request.param == "officer" else {}))
    create_job(user, "visitors", "import", "v.csv", io.BytesIO(b"area_code\n"),
               upload_dir=app.config["TRACKER_UPLOAD_DIR"], language="en")
    token = issue_token(user)
    db.session.commit()
    return {"Authorization": f"Bearer {token}", "Accept-Language": "en"}


@schema.parametrize()
def test_every_answer_matches_the_document(case, app, bearer):
    case.call_and_validate(app=app, headers=bearer, checks=CHECKS)
