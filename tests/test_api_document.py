"""The API's contract: the OpenAPI document covers every /api/v1 route and is valid OpenAPI 3.1, its page is served
by the app, and every refusal under /api/ (from a view, the blueprint or Flask itself) has the one error body."""

from __future__ import annotations

import io

import pytest
from openapi_spec_validator import validate
from openapi_spec_validator.validation import OpenAPIV31SpecValidator
from werkzeug.exceptions import TooManyRequests

from tests import factories
from tracker.api.errors import http_error_response
from tracker.api.reference import kind_of, read
from tracker.auth.services import issue_token
from tracker.extensions import db

EN = {"Accept-Language": "en"}


def _bearer(role: str) -> dict[str, str]:
    token = issue_token(factories.user(role))
    db.session.commit()
    return {"Authorization": f"Bearer {token}", **EN}


def _openapi_path(rule) -> str:
    path = rule.rule
    for argument in rule.arguments:
        path = path.replace(f"<int:{argument}>", f"{{{argument}}}").replace(f"<{argument}>", f"{{{argument}}}")
    return path


def test_every_api_route_and_method_is_in_the_document(app, client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    routes = {(_openapi_path(rule), method.lower()) for rule in app.url_map.iter_rules()
              if rule.rule.startswith("/api/v1/") for method in rule.methods - {"HEAD", "OPTIONS"}}
    documented = {(path, method) for path, operations in paths.items() for method in operations}
    assert routes - documented == set(), "declare these routes with @endpoint (README: the API contract)"
    assert documented - routes == set()
    assert len(routes) >= 14


def test_the_document_is_valid_openapi_3_1_with_bearer_tokens(client):
    response = client.get("/api/v1/openapi.json")
    document = response.get_json()
    assert response.status_code == 200 and response.mimetype == "application/json"
    validate(document, cls=OpenAPIV31SpecValidator)
    assert document["openapi"] == "3.1.0"
    assert document["components"]["securitySchemes"] == {"bearerAuth": {"type": "http", "scheme": "bearer"}}
    assert document["security"] == [{"bearerAuth": []}]
    assert document["paths"]["/api/v1/openapi.json"]["get"]["security"] == []


def test_the_document_describes_what_the_schemas_check(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    visitors = paths["/api/v1/visitors"]["get"]
    parameters = {parameter["name"]: parameter["schema"] for parameter in visitors["parameters"]}
    assert parameters["group_by"]["enum"] == ["month", "year", "market", "area"]
    assert parameters["from"]["pattern"] == r"^\d{4}-\d{1,2}$"
    assert set(visitors["responses"]) == {"200", "401", "403", "422", "503"}
    assert visitors["responses"]["422"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Errors"}
    imports = paths["/api/v1/imports/visitors"]["post"]
    assert set(imports["requestBody"]["content"]) == {"multipart/form-data"}
    assert {"200", "202", "400", "409", "413", "422"} <= set(imports["responses"])
    target = paths["/api/v1/targets/{target_id}"]["put"]["parameters"][0]["schema"]
    assert (target["minimum"], target["maximum"]) == (1, 2**31 - 1)


def test_the_reference_page_draws_the_document_and_the_account_page_links_it(client, auth):
    page = client.get("/api/docs", headers=EN)
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and page.mimetype == "text/html"
    assert "<code>GET /api/v1/visitors</code>" in text and 'id="schema-Errors"' in text
    assert '<script' not in text.split("<main", 1)[-1]
    user = factories.user("viewer")
    db.session.commit()
    auth.login(user.email)
    assert 'href="/api/docs"' in client.get("/account", headers=EN).get_data(as_text=True)


def test_the_page_reads_schemas_as_short_phrases():
    assert kind_of({"anyOf": [{"type": "integer"}, {"type": "null"}]}) == "integer or null"
    assert kind_of({"type": "array", "items": {"$ref": "#/components/schemas/MonthRow"}}) == "array of MonthRow"
    assert kind_of({"enum": ["month", "year"], "type": "string"}) == "one of: month, year"
    assert kind_of({"type": "string", "format": "binary"}) == "file"
    reference = read({"info": {"title": "T", "version": "1"}, "security": [{"bearer": []}], "paths": {"/a/{id}": {
        "get": {"tags": ["a"], "summary": "One a.", "parameters": [
            {"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}],
                "responses": {"200": {"description": "OK", "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/A"}}}}}}}},
        "components": {"schemas": {"A": {"properties": {"id": {"type": "integer"}}, "required": ["id"]}}}})
    (tag, (operation,)), = reference.tags
    assert (tag, operation.method, operation.path, operation.public) == ("a", "GET", "/a/{id}", False)
    assert [(f.name, f.where, f.kind, f.required) for f in operation.fields] == [("id", "path", "integer", True)]
    assert [(a.status, a.kind) for a in operation.answers] == [("200", "A")]
    assert [(f.name, f.kind, f.required) for f in reference.schemas[0].properties] == [("id", "integer", True)]


def test_refusals_before_any_view_have_the_one_body(client):
    missing = client.get("/api/v1/nowhere", headers=EN)
    assert (missing.status_code, missing.get_json()) == (404, {"errors": [
        {"field": None, "message": "There is nothing at this address."}]})
    wrong_method = client.delete("/api/v1/targets", headers=_bearer("admin"))
    assert wrong_method.status_code == 405 and set(wrong_method.headers["Allow"].split(", ")) >= {"GET", "POST"}
    assert wrong_method.get_json()["errors"][0]["field"] is None
    anonymous = client.get("/api/v1/targets", headers=EN)
    assert (anonymous.status_code, anonymous.headers["WWW-Authenticate"]) == (401, 'Bearer realm="tracker"')
    assert anonymous.get_json() == {"errors": [{"field": None, "message": "Send 'Authorization: Bearer <token>'."}]}


def test_a_file_over_the_size_limit_is_413_in_the_one_body(app, client):
    app.config["MAX_CONTENT_LENGTH"] = 1024
    response = client.post("/api/v1/imports/visitors", headers=_bearer("admin"),
                           data={"file": (io.BytesIO(b"x" * 4096), "big.csv")})
    assert response.status_code == 413
    assert response.get_json() == {"errors": [
        {"field": None, "message": "The uploaded file is larger than this server accepts."}]}


def test_throttling_keeps_its_retry_after(app):
    with app.test_request_context("/api/v1/visitors", headers=EN):
        response = http_error_response(TooManyRequests(retry_after=30))
    assert (response.status_code, response.headers["Retry-After"]) == (429, "30")
    assert response.get_json() == {"errors": [
        {"field": None, "message": "Too many requests: wait a little and try again."}]}


@pytest.fixture
def failing_app(app_config):
    """An app with one API route that fails, answered as production does (no exception propagated to the test)."""
    from tracker import create_app

    app = create_app({**app_config, "PROPAGATE_EXCEPTIONS": False})
    app.add_url_rule("/api/v1/failing", "failing", lambda: 1 / 0)
    return app


def test_a_failure_is_500_in_the_one_body(failing_app):
    response = failing_app.test_client().get("/api/v1/failing", headers=EN)
    assert response.status_code == 500
    assert response.get_json() == {"errors": [
        {"field": None, "message": "Something went wrong on our side. Nothing was saved; please try again later."}]}


def test_errors_speak_the_clients_language(client):
    response = client.get("/api/v1/visitors?group_by=week", headers={**_bearer("viewer"), "Accept-Language": "ja"})
    assert response.status_code == 422
    assert response.get_json()["errors"] == [
        {"field": "group_by", "message": "'month', 'year', 'market' or 'area' のいずれかです。"}]


def test_the_reference_page_shows_the_documents_backticked_words_as_code_not_backticks(client):
    text = client.get("/api/docs", headers=EN).get_data(as_text=True)
    main = text.split("<main", 1)[-1]
    assert "<code>Authorization: Bearer &lt;token&gt;</code>" in main
    assert "`" not in main


def test_code_spans_escapes_the_text_and_leaves_an_unpaired_backtick_as_written():
    from tracker.api.docs import code_spans

    assert code_spans("send `<b>` then `x`") == "send <code>&lt;b&gt;</code> then <code>x</code>"
    assert code_spans("a ` alone") == "a ` alone"
    assert code_spans(None) == ""
