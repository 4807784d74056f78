"""GET /api/v1/exports and POST /api/v1/imports/exports: keys, filters, grouping and who sees what."""

import io

import pytest
from sqlalchemy import select

from tests import factories
from tracker.auth.services import issue_token
from tracker.extensions import db
from tracker.models import ExportSale

HEADER = "exporter,area_code,year,month,product,hs_code,destination,quantity,unit,value_jpy\n"


@pytest.fixture
def sales(app):
    tokyo = factories.new_exporter(factories.area("131016"), name="東京酒造")
    osaka = factories.new_exporter(factories.area("271004"), name="大阪和牛")
    sake, beef = factories.product(tokyo, "清酒"), factories.product(osaka, "和牛", hs_code="020130")
    for item, year, month, destination, value in [(sake, 2023, 1, "HK", 100), (sake, 2024, 1, "HK", 300),
                                                  (sake, 2024, 2, "US", 50), (beef, 2024, 1, "HK", 1000)]:
        factories.export_sale(item, year, month, destination, value)
    db.session.get(ExportSale, 2).quantity, db.session.get(ExportSale, 2).unit = 30, "l"
    db.session.get(ExportSale, 1).quantity, db.session.get(ExportSale, 1).unit = 10, "l"
    return {"tokyo": tokyo, "osaka": osaka, "sake": sake, "beef": beef}


def _fields(response) -> set[str]:
    return {error["field"] for error in response.json["errors"]}


def _bearer(user) -> dict:
    token = issue_token(user)
    db.session.commit()
    return {"Authorization": f"Bearer {token}"}


def test_rows_by_destination_have_the_exact_keys(client, sales):
    headers = _bearer(factories.user("viewer", areas=[factories.area("JP")]))  # oversees every exporter
    body = client.get("/api/v1/exports?area=JP&group_by=destination&from=2024-01&to=2024-12", headers=headers).json
    assert body == {"rows": [{"destination": "HK", "value_jpy": 1300, "quantity": None},
                             {"destination": "US", "value_jpy": 50, "quantity": None}]}


def test_area_selects_the_exporters_below_it_and_filters_combine(client, sales):
    headers = _bearer(factories.user("viewer", areas=[factories.area("JP")]))  # oversees every exporter
    tokyo = client.get("/api/v1/exports?area=130001&group_by=month", headers=headers).json["rows"]
    assert tokyo == [{"month": "2023-01", "value_jpy": 100, "quantity": 10},
                     {"month": "2024-01", "value_jpy": 300, "quantity": 30},
                     {"month": "2024-02", "value_jpy": 50, "quantity": None}]
    product = sales["sake"].id
    by_year = client.get(f"/api/v1/exports?group_by=year&product={product}&destination=hk", headers=headers).json
    assert by_year["rows"] == [{"year": 2023, "value_jpy": 100, "quantity": 10},
                               {"year": 2024, "value_jpy": 300, "quantity": 30}]
    by_area = client.get("/api/v1/exports?area=JP&group_by=area&from=2024-01", headers=headers).json["rows"]
    assert by_area == [{"area": "130001", "value_jpy": 350, "quantity": None},
                       {"area": "270008", "value_jpy": 1000, "quantity": None}]
    by_product = client.get("/api/v1/exports?area=271004&group_by=product", headers=headers).json["rows"]
    assert by_product == [{"product": sales["beef"].id, "value_jpy": 1000, "quantity": None}]


def test_bad_parameters_are_named(client, sales):
    headers = _bearer(factories.user("viewer"))
    response = client.get("/api/v1/exports?area=999999&from=2024-13&destination=QQ&product=x&group_by=city",
                          headers=headers)
    assert response.status_code == 422
    assert _fields(response) == {"area", "from", "destination", "product", "group_by"}
    response = client.get("/api/v1/exports?product=99999999999999999999", headers=headers)
    assert response.status_code == 422 and _fields(response) == {"product"}


def test_an_exporter_reads_only_its_own_sales(client, sales):
    headers = _bearer(factories.user("exporter", exporter=sales["osaka"]))
    rows = client.get("/api/v1/exports?group_by=destination", headers=headers).json["rows"]
    assert rows == [{"destination": "HK", "value_jpy": 1000, "quantity": None}]
    assert client.get("/api/v1/exports").status_code == 401


def test_the_import_api_answers_counts_or_errors_by_role(client, sales):
    admin = _bearer(factories.user("admin"))
    text = HEADER + "東京酒造,131016,2024,3,清酒,,SG,,,70\n新潟米菓,152013,2024,3,煎餅,190590,TW,5,kg,80\n"
    factories.area("152013")
    db.session.commit()
    ok = client.post("/api/v1/imports/exports", headers=admin, data={"file": (io.BytesIO(text.encode()), "a.csv")})
    assert ok.status_code == 200
    assert ok.json == {"created": 2, "updated": 0, "unchanged": 0, "created_exporters": ["新潟米菓"],
                       "created_products": [{"exporter": "新潟米菓", "product": "煎餅"}]}
    exporter = _bearer(factories.user("exporter", exporter=sales["osaka"]))
    refused = client.post("/api/v1/imports/exports", headers=exporter,
                          data={"file": (io.BytesIO(text.encode()), "a.csv")})
    assert refused.status_code == 422
    assert [(e["line"], e["column"]) for e in refused.json["errors"]] == [(2, "exporter"), (3, "exporter")]
    for role in ("officer", "viewer"):
        forbidden = client.post("/api/v1/imports/exports", headers=_bearer(factories.user(role)),
                                data={"file": (io.BytesIO(text.encode()), "a.csv")})
        assert forbidden.status_code == 403
    missing = client.post("/api/v1/imports/exports", headers=admin, data={})
    assert missing.status_code == 400 and missing.json["errors"][0]["field"] == "file"
    assert len(db.session.scalars(select(ExportSale)).all()) == 6
