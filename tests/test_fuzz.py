"""Random query strings, form bodies, JSON bodies and import cells sent to every route and both importers: a bad
request is answered with a 4xx (or a page that says what is wrong), never a 500."""

from __future__ import annotations

import csv
import io
import string

import pytest
from hypothesis import given
from hypothesis import strategies as st
from wtforms.fields.core import UnboundField

from tests import factories
from tracker import create_app
from tracker.api.notes import NoteBody
from tracker.api.targets import TargetBody
from tracker.auth.services import issue_token
from tracker.exports.importer import JAPANESE_HEADERS as EXPORT_HEADERS
from tracker.extensions import db
from tracker.jobs.services import create_job
from tracker.reports.pdf import can_render
from tracker.visitors.importer import JAPANESE_HEADERS as VISITOR_HEADERS

# Every route of the app, taken from the URL map: a new route is fuzzed without being listed here.
_MAP_APP = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
ROUTES = sorted((rule.endpoint, rule.rule, method) for rule in _MAP_APP.url_map.iter_rules()
                for method in sorted(rule.methods - {"HEAD", "OPTIONS"}) if rule.endpoint != "static")


def _form_field_names() -> list[str]:
    """The field names of every form of the app, so random bodies reach the forms' own checks."""
    from flask_wtf import FlaskForm

    names, pending = set(), list(FlaskForm.__subclasses__())
    while pending:
        form = pending.pop()
        pending.extend(form.__subclasses__())
        names.update(name for name, value in vars(form).items() if isinstance(value, UnboundField))
    return sorted(names)


QUERY_NAMES = ["year", "from", "to", "area", "market", "group_by", "include_subareas", "subareas", "product",
               "destination", "page", "q", "level", "month", "next", "lang", "months", "areas", "ids", "header", "map"]
with _MAP_APP.app_context():
    FIELD_NAMES = _form_field_names()
TRICKY = ["", "0", "-1", "2015-04", "2730-12", "0000-00", "9999-99", "JP", "130001", "131016", "CN", "all",
          "9" * 5000, str(2**31), str(2**63), "1e309", "NaN", "\r\nX: y", "\x00", "<a href=x>", "../../etc", "%",
          "１２３", "２０１５-０４", "csv", "xlsx", "month", "product", "destination", "area", "y",
          # the audit's filters: its views, records, sources, outcomes and days at the ends of the calendar
          "logins", "changes", "users", "visitor_counts", "cli", "throttled", "2024-05-01", "0001-01-01", "9999-12-31",
          "2200-12-31", "2024-02-30",
          # the map's metrics, and a prefecture to drill into
          "visitors", "growth", "exports", "reporting", "270008",
          # the reports' languages
          "ja", "en"]
VALUES = st.one_of(st.sampled_from(TRICKY), st.text(max_size=40), st.integers(-(2**70), 2**70).map(str))
NAMES = st.one_of(st.sampled_from(QUERY_NAMES + FIELD_NAMES), st.text(string.ascii_letters + "_", min_size=1,
                                                                         max_size=10))
PAIRS = st.lists(st.tuples(NAMES, VALUES), max_size=8)
JSON_VALUES = st.one_of(st.none(), st.booleans(), st.integers(-(2**70), 2**70), st.floats(allow_nan=True),
                        VALUES, st.lists(st.integers(), max_size=3))
JSON_FIELDS = sorted(set(TargetBody.model_fields) | set(NoteBody.model_fields)) + ["id", "x"]
JSON_BODIES = st.one_of(st.dictionaries(st.sampled_from(JSON_FIELDS), JSON_VALUES, max_size=12), JSON_VALUES)


@pytest.fixture
def world(app, client, auth):
    """One of everything a route can name, and an admin (who reaches every route) logged in."""
    admin = factories.user("admin")
    viewer = factories.user("viewer")
    area = factories.area("131016")
    exporter = factories.new_exporter(area)
    item = factories.product(exporter)
    factories.export_sale(item, 2015, 4, "CN", 1000)
    factories.visitor_count(area, 2015, 4, "CN", 10)
    target = factories.target(factories.area("JP"))
    tie = factories.affiliation(area)
    issue_token(viewer)
    note = factories.note("2015-04", "台風で空港が閉鎖", area=area, author=admin)
    job = create_job(admin, "visitors", "import", "v.csv", io.BytesIO(b"area_code\n"),
                     upload_dir=app.config["TRACKER_UPLOAD_DIR"], language="en")
    db.session.commit()
    auth.login(admin.email)
    return {"target_id": target.id, "exporter_id": exporter.id, "product_id": item.id, "user_id": viewer.id,
            "token_id": viewer.tokens[0].id, "job_id": job.id, "exception_id": 1, "affiliation_id": tie.id,
            "note_id": note.id}


def _path_values(rule, world, data) -> dict:
    choices = {"code": ["131016", "JP", "130001"], "month": ["2015-04", "2730-12"], "fmt": ["csv", "xlsx"],
               "language": ["ja", "en"], "key": ["monthly", "yearly"],
               "metric": ["visitors", "exports"], "action": ["submit", "approve", "return", "reopen"]}
    values = {}
    for name in rule.arguments:
        fixed = getattr(rule._converters[name], "items", None)  # any(csv, xlsx) builds only its own values
        if fixed:
            values[name] = data.draw(st.sampled_from(sorted(fixed)))
        elif name in world:
            values[name] = data.draw(st.sampled_from([world[name], world[name], 2**31 - 1]))
        else:
            values[name] = data.draw(st.one_of(st.sampled_from(choices.get(name, ["x"])),
                                               st.text(string.printable, min_size=1, max_size=20)))
    return values


@pytest.mark.parametrize("endpoint, path, method", ROUTES, ids=[f"{m} {p}" for _, p, m in ROUTES])
def test_no_request_to_any_route_is_answered_with_a_500(app, client, world, endpoint, path, method):
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint and r.rule == path)
    adapter = app.url_map.bind("localhost")

    @given(data=st.data())
    def check(data):
        url = adapter.build(endpoint, _path_values(rule, world, data), force_external=False)
        query = data.draw(PAIRS)
        kwargs = {"query_string": query}
        if method != "GET" and path.startswith("/api/") and "imports" not in path:
            kwargs["json"] = data.draw(JSON_BODIES)
        elif method != "GET":
            body = dict(data.draw(PAIRS))
            if "import" in path or path.startswith("/admin/areas"):
                body["file"] = (io.BytesIO(data.draw(st.binary(max_size=200))), data.draw(
                    st.sampled_from(["x.csv", "x.xlsx", "x.txt", ""])))
            kwargs["data"] = body
        response = client.open(url, method=method, **kwargs)
        response.close()  # downloads stream from files
        unrendered = response.status_code == 503 and not can_render(app.config)  # a PDF where Chromium is missing
        assert response.status_code < 500 or unrendered, (method, url, query, kwargs.get("data") or kwargs.get("json"))

    check()


CELLS = st.one_of(st.sampled_from(TRICKY + ["2015", "4", "12", "13", "KR", "final", "preliminary", "kg", "pcs",
                                            "220600", "1,000", "=1+1", "蔵元", "清酒"]),
                  st.text(max_size=20), st.integers(-(2**70), 2**70).map(str))


def _csv(header: list[str], rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8", "surrogatepass")


@pytest.mark.parametrize("kind, header", [
    ("visitors", ["area_code", "year", "month", "market", "visitors", "status"]),
    ("visitors", list(VISITOR_HEADERS.values())),
    ("exports", ["exporter", "area_code", "year", "month", "product", "hs_code", "destination", "quantity", "unit",
                 "value_jpy"]),
    ("exports", list(EXPORT_HEADERS.values())),
])
def test_no_import_cell_breaks_either_importer(app, client, kind, header):
    factories.area("131016")
    headers = {"Authorization": f"Bearer {issue_token(factories.user('admin'))}"}
    db.session.commit()

    @given(rows=st.lists(st.lists(CELLS, min_size=len(header) - 1, max_size=len(header) + 1), min_size=1,
                         max_size=4))
    def check(rows):
        try:
            body = _csv(header, rows)
        except UnicodeEncodeError:
            body = b"\xff\xfe" + str(rows).encode("utf-8", "replace")
        response = client.post(f"/api/v1/imports/{kind}", headers=headers,
                               data={"file": (io.BytesIO(body), "cells.csv")})
        assert response.status_code in (200, 422), (rows, response.get_data(as_text=True)[:500])

    check()
