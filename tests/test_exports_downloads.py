"""Yen on the export pages, import templates, and downloads of a checked selection with English or Japanese
headers."""

import csv
import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from tests import factories
from tracker.exports.importer import JAPANESE_HEADERS, import_exports
from tracker.exports.queries import COLUMNS
from tracker.extensions import db
from tracker.models import ExportSale

EN = {"Accept-Language": "en"}
JA = {"Accept-Language": "ja"}
JAPANESE_HEADER = [JAPANESE_HEADERS[column] for column in COLUMNS]


def _login(auth, user):
    db.session.commit()
    auth.login(user.email)


def _rows(body: bytes, fmt: str) -> list[list]:
    """The cells of a CSV or xlsx download, as text."""
    if fmt == "csv":
        return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    workbook = load_workbook(io.BytesIO(body), read_only=True)
    try:
        return [["" if cell is None else str(cell) for cell in row]
                for row in workbook.active.iter_rows(values_only=True)]
    finally:
        workbook.close()


def _download(client, query: str, fmt: str = "csv") -> list[list]:
    with client.get(f"/exports/download.{fmt}?{query}") as response:
        assert response.status_code == 200, response.headers.get("Location")
        return _rows(response.get_data(), fmt)


# -- yen ------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("headers", "headline"), [(JA, "7,451億円"), (EN, "¥745 B")])
def test_the_area_and_exporter_pages_write_yen_in_full_in_tables_and_compact_in_totals(client, auth, headers,
                                                                                       headline):
    owner = factories.new_exporter(factories.area("131016"), name="東京酒造")
    sake = factories.product(owner, "清酒")
    factories.export_sale(sake, 2024, 1, "HK", 745_100_000_000)
    factories.export_sale(sake, 2023, 1, "HK", 1_234_567)
    _login(auth, factories.user("admin"))
    exact = '<span title="¥745,100,000,000">'
    for url in ("/exports/areas/JP?year=2024", f"/exports/exporters/{owner.id}?year=2024"):
        page = client.get(url, headers=headers).get_data(as_text=True)
        assert f'{exact}{headline}</span>' in page, url
        assert '<td class="number">¥745,100,000,000</td>' in page and '<td class="number">¥1,234,567</td>' in page
        assert "<td class=\"number\">745,100,000,000</td>" not in page
    area = client.get("/exports/areas/JP?year=2024", headers=headers).get_data(as_text=True)
    top = area[area.index('class="top-products"'):]
    assert top.index(f"{exact}{headline}</span>") < top.index("</ol>")


# -- templates ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_import_template_is_headed_in_english_or_with_lang_ja_in_japanese(client, auth, fmt):
    _login(auth, factories.user("admin"))
    with client.get(f"/exports/template.{fmt}") as response:
        english = _rows(response.get_data(), fmt)
    with client.get(f"/exports/template.{fmt}?lang=ja") as response:
        japanese = _rows(response.get_data(), fmt)
    assert english[0] == list(COLUMNS)
    assert japanese[0] == JAPANESE_HEADER == ["輸出者", "団体コード", "年", "月", "品目", "HSコード", "仕向地",
                                              "数量", "単位", "金額（円）"]
    assert english[1:] == japanese[1:] and len(english) == 2


def test_the_upload_page_links_the_templates_in_both_languages(client, auth):
    _login(auth, factories.user("admin"))
    page = client.get("/exports/import", headers=EN).get_data(as_text=True)
    for link in ("/exports/template.csv", "/exports/template.xlsx", "/exports/template.csv?lang=ja",
                 "/exports/template.xlsx?lang=ja"):
        assert f'href="{link}"' in page
    assert "Templates with Japanese headers:" in page
    assert "日本語見出しのテンプレート：" in client.get("/exports/import", headers=JA).get_data(as_text=True)


def test_a_filled_in_japanese_template_imports(client, auth):
    factories.area("011002")
    _login(auth, factories.user("admin"))
    with client.get("/exports/template.csv?lang=ja") as response:
        body = response.get_data()
    result, importer = import_exports(io.BytesIO(body), "template.csv", None)
    assert result.ok, result.errors
    assert importer.created_exporters == ["札幌酒造"]
    assert db.session.scalar(select(ExportSale.value_jpy)) == 480000


# -- downloads ------------------------------------------------------------------------------------------------

def _world():
    """Two exporters in Tokyo (Shinjuku, Shibuya) and one in Osaka, with sales over two years."""
    shinjuku = factories.new_exporter(factories.area("131041"), name="新宿酒造")
    shibuya = factories.new_exporter(factories.area("131130"), name="渋谷茶舗")
    osaka = factories.new_exporter(factories.area("271004"), name="大阪牛")
    sake, tea, beef = (factories.product(shinjuku, "清酒"), factories.product(shibuya, "煎茶"),
                       factories.product(osaka, "和牛"))
    factories.export_sale(sake, 2023, 12, "HK", 100)
    factories.export_sale(sake, 2024, 1, "HK", 200)
    factories.export_sale(sake, 2024, 2, "US", 300)
    factories.export_sale(tea, 2024, 1, "US", 400)
    factories.export_sale(beef, 2024, 1, "US", 500)
    return shinjuku, shibuya, osaka, sake


def _values(rows: list[list]) -> list[int]:
    return sorted(int(row[-1]) for row in rows[1:])


def test_a_download_selects_by_months_destination_product_areas_and_exporters(client, auth):
    shinjuku, shibuya, osaka, sake = _world()
    factories.area("130001")
    _login(auth, factories.user("admin"))
    assert _values(_download(client, "")) == [100, 200, 300, 400, 500]
    assert _values(_download(client, "from=2024-01&to=2024-01")) == [200, 400, 500]
    assert _values(_download(client, "from=２０２４-02")) == [300]
    assert _values(_download(client, "destination=us")) == [300, 400, 500]
    assert _values(_download(client, f"product={sake.id}&to=2024-01")) == [100, 200]
    assert _values(_download(client, "area=131041,271004&destination=US")) == [300, 500]
    assert _values(_download(client, "area=130001")) == [100, 200, 300, 400]
    assert _values(_download(client, f"exporter={shibuya.id}&exporter={osaka.id}")) == [400, 500]
    assert _values(_download(client, f"area=130001&exporter={osaka.id}")) == []


@pytest.mark.parametrize(("query", "message"), [
    ("area=130001,999999", "Unknown area codes: 999999."),
    ("exporter={osaka}", "Unknown exporters: {osaka}."),  # not one the officer oversees
    ("exporter=abc", "Unknown exporters: abc."),
    ("from=2024-13", "Months are written YYYY-MM, for example 2015-04."),
    ("to=2024/01", "Months are written YYYY-MM, for example 2015-04."),
    ("from=2024-03&to=2024-01", "The first month 2024-03 comes after the last, 2024-01."),
    ("destination=XX", "Unknown country or region code: XX."),
    ("product=99999", "Unknown product: 99999."),
    ("product=99999999999999999999", "Unknown product: 99999999999999999999."),  # beyond any id column
    ("exporter=99999999999999999999", "Unknown exporters: 99999999999999999999."),
])
def test_a_selection_naming_something_unknown_is_refused_with_the_reason(client, auth, query, message):
    _shinjuku, _shibuya, osaka, _sake = _world()
    _login(auth, factories.user("officer", areas=[factories.area("130001")]))
    query, message = query.format(osaka=osaka.id), message.format(osaka=osaka.id)
    for fmt in ("csv", "xlsx"):
        response = client.get(f"/exports/download.{fmt}?{query}", headers=EN, follow_redirects=True)
        assert (response.request.path, response.mimetype) == ("/exports/areas/130001", "text/html")
        assert message in response.get_data(as_text=True)


def test_a_refusal_is_written_in_japanese_for_a_japanese_reader(client, auth):
    _world()
    _login(auth, factories.user("admin"))
    response = client.get("/exports/download.csv?area=999999", headers=JA, follow_redirects=True)
    assert "不明な団体コードです：999999。" in response.get_data(as_text=True)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_download_with_japanese_headers_imports_back_unchanged(client, auth, fmt):
    _shinjuku, _shibuya, _osaka, sake = _world()
    sale = db.session.scalar(select(ExportSale).where(ExportSale.value_jpy == 300))
    sale.quantity, sale.unit = 12.5, "l"
    _login(auth, factories.user("admin"))
    with client.get(f"/exports/download.{fmt}?lang=ja") as response:
        body = response.get_data()
    rows = _rows(body, fmt)
    assert rows[0] == JAPANESE_HEADER and len(rows) == 6
    result, _importer = import_exports(io.BytesIO(body), f"roundtrip.{fmt}", None)
    assert result.ok, result.errors
    assert (result.created, result.updated, result.unchanged) == (0, 0, 5)


def test_the_selection_form_offers_months_destination_product_and_header_language(client, auth):
    shinjuku, shibuya, _osaka, sake = _world()
    _login(auth, factories.user("officer", areas=[factories.area("130001")]))
    page = client.get("/exports/areas/130001", headers=EN).get_data(as_text=True)
    form = page[page.index('class="export-selection"'):]
    form = form[:form.index("</form>")]
    for name in ('name="area" value="130001"', 'name="exporter" multiple', 'name="from"', 'name="to"',
                 'name="destination"', 'name="product"', 'name="lang"', '<option value="ja">'):
        assert name in form
    assert f'<option value="{shinjuku.id}">新宿酒造</option>' in form and "大阪牛" not in form
    assert f'<option value="{sake.id}">Sake</option>' in form
    assert 'formaction="/exports/download.xlsx"' in form
    own = client.get(f"/exports/exporters/{shibuya.id}", headers=EN).get_data(as_text=True)
    assert f'<input type="hidden" name="exporter" value="{shibuya.id}">' in own and 'name="from"' in own

