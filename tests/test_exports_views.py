"""Exporter, product and sales pages, the exporter home, the area view and downloads, for each role."""

import io
import re
from decimal import Decimal
from pathlib import Path

from openpyxl import load_workbook
from sqlalchemy import select

from tests import factories
from tracker.exports.services import SaleInput, save_month
from tracker.extensions import db
from tracker.formatting import month_label
from tracker.models import Exporter, ExportSale, Market, Product, Revision
from tracker.periods import Month, current_month

EN = {"Accept-Language": "en"}
JA = {"Accept-Language": "ja"}
CSS = Path(__file__).parent.parent / "static" / "css" / "app.css"


def _login(auth, user):
    db.session.commit()
    auth.login(user.email)


def _sake_exporter(code="131016"):
    owner = factories.new_exporter(factories.area(code), name=f"酒蔵{code}")
    return owner, factories.product(owner, "清酒")


def test_an_officer_adds_an_exporter_in_its_area_only(client, auth):
    factories.area("131016")
    factories.area("271004")
    officer = factories.user("officer", areas=[factories.area("130001")])
    _login(auth, officer)
    response = client.post("/exports/exporters/new", data={"name": "東京茶舗", "area_code": "131016"}, headers=EN)
    assert response.status_code == 302
    assert db.session.scalar(select(Exporter.area_id).where(Exporter.name == "東京茶舗")) == factories.area("131016").id
    page = client.post("/exports/exporters/new", data={"name": "大阪茶舗", "area_code": "271004"}, headers=EN)
    assert "You may not place an exporter in this area." in page.get_data(as_text=True)
    assert db.session.scalar(select(Exporter).where(Exporter.name == "大阪茶舗")) is None


def test_the_exporter_list_shows_only_the_exporters_of_the_areas_overseen(client, auth):
    tokyo, _ = _sake_exporter("131016")
    osaka, _ = _sake_exporter("271004")
    officer = factories.user("officer", areas=[factories.area("270008")])
    _login(auth, officer)
    page = client.get("/exports/exporters", headers=EN).get_data(as_text=True)
    assert osaka.name in page and tokyo.name not in page
    assert client.get(f"/exports/exporters/{tokyo.id}").status_code == 403
    assert client.get(f"/exports/exporters/{osaka.id}").status_code == 200


def test_an_exporter_manages_its_own_products_with_a_checked_hs_code(client, auth):
    owner, _ = _sake_exporter()
    other, _ = _sake_exporter("271004")
    _login(auth, factories.user("exporter", exporter=owner))
    bad = client.post(f"/exports/exporters/{owner.id}/products/new", headers=EN,
                      data={"name_ja": "煎茶", "hs_code": "980000", "default_unit": "kg"})
    assert "The HS chapter (first two digits) must be 01 to 97." in bad.get_data(as_text=True)
    good = client.post(f"/exports/exporters/{owner.id}/products/new", headers=EN,
                       data={"name_ja": "煎茶", "name_en": "Sencha", "hs_code": "０９０２１０", "default_unit": "kg"})
    assert good.status_code == 302
    tea = db.session.scalar(select(Product).where(Product.name_ja == "煎茶"))
    assert (tea.exporter_id, tea.hs_code, tea.default_unit, tea.name_en) == (owner.id, "090210", "kg", "Sencha")
    assert client.post(f"/exports/exporters/{other.id}/products/new", data={"name_ja": "x"}).status_code == 403
    assert client.get(f"/exports/exporters/{other.id}").status_code == 403
    assert client.get("/exports/exporters").status_code == 403


def test_an_exporter_logs_a_month_and_sees_last_year_beside_each_line(client, auth):
    owner, sake = _sake_exporter()
    factories.export_sale(sake, 2023, 4, "HK", 880_000)
    _login(auth, factories.user("exporter", exporter=owner))
    page = client.get(f"/exports/exporters/{owner.id}/sales?month=2024-04", headers=EN).get_data(as_text=True)
    assert "¥880,000" in page and 'name="rows-0-destination" size="16" type="text" value="Hong Kong (HK)"' in page
    data = {"rows-0-product": sake.id, "rows-0-destination": "HK", "rows-0-value_jpy": "1,200,000",
            "rows-0-quantity": "300", "rows-0-unit": "l",
            "rows-1-product": sake.id, "rows-1-destination": "us", "rows-1-value_jpy": "50000",
            "rows-1-quantity": "", "rows-1-unit": "",
            "rows-2-product": sake.id, "rows-2-destination": "", "rows-2-value_jpy": "",
            "rows-2-quantity": "", "rows-2-unit": "", "note": "April"}
    response = client.post(f"/exports/exporters/{owner.id}/sales?month=2024-04", data=data, headers=EN)
    assert response.status_code == 302
    saved = db.session.scalars(select(ExportSale).where(ExportSale.year == 2024)).all()
    assert sorted((s.destination.code, s.value_jpy, s.unit) for s in saved) == [("HK", 1_200_000, "l"),
                                                                               ("US", 50_000, None)]
    assert {r.note for r in db.session.scalars(select(Revision))} == {"April"}
    shown = client.get(response.headers["Location"], headers=EN).get_data(as_text=True)
    assert "Saved: 2 new, 0 changed, 0 removed, 0 unchanged." in shown


def test_a_bad_line_is_shown_beside_its_field_and_nothing_is_saved(client, auth):
    owner, sake = _sake_exporter()
    _login(auth, factories.user("exporter", exporter=owner))
    data = {"rows-0-product": sake.id, "rows-0-destination": "HK", "rows-0-value_jpy": "-5",
            "rows-1-product": sake.id, "rows-1-destination": "QQ", "rows-1-value_jpy": "5",
            "rows-2-product": sake.id, "rows-2-destination": "SG", "rows-2-value_jpy": "5", "rows-2-quantity": "3"}
    page = client.post(f"/exports/exporters/{owner.id}/sales?month=2024-04", data=data, headers=EN)
    text = page.get_data(as_text=True)
    assert page.status_code == 422
    assert "The value is a whole number of yen, 0 or more." in text
    assert "Give the unit of the quantity." in text
    assert db.session.scalar(select(ExportSale)) is None
    data["rows-0-value_jpy"], data["rows-2-unit"] = "5", "kg"
    page = client.post(f"/exports/exporters/{owner.id}/sales?month=2024-04", data=data, headers=EN)
    text = page.get_data(as_text=True)
    assert page.status_code == 422  # refused by the service this time, as invalid as before
    assert "Give an ISO 3166-1 alpha-2 country code, e.g. HK." in text
    assert db.session.scalar(select(ExportSale)) is None


def _read_field(page: str) -> str:
    """The form's hidden `read` field: the versions of the sales it shows."""
    return re.search(r'name="read" type="hidden" value="([^"]*)"', page).group(1)


def test_a_save_over_someone_elses_change_keeps_the_typed_figures_and_shows_the_saved_ones(client, auth):
    owner, sake = _sake_exporter()
    tea = factories.product(owner, "緑茶")
    factories.export_sale(sake, 2024, 4, "HK", 100)
    _login(auth, factories.user("exporter", exporter=owner))
    url = f"/exports/exporters/{owner.id}/sales?month=2024-04"
    read = _read_field(client.get(url, headers=EN).get_data(as_text=True))
    assert read == f"{sake.id}:HK:1"
    save_month(None, owner, Month(2024, 4), [SaleInput(sake.id, "HK", 120, Decimal("3"), "t")],  # someone else's save
               read={(sake.id, "HK"): 1})
    db.session.commit()
    data = {"rows-0-product": sake.id, "rows-0-destination": "HK", "rows-0-value_jpy": "999",
            "rows-1-product": tea.id, "rows-1-destination": "US", "rows-1-value_jpy": "5", "read": read}
    refused = client.post(url, data=data, headers=EN)
    page = refused.get_data(as_text=True)
    assert refused.status_code == 409
    assert ('<p class="error" role="alert">Someone else saved some of these figures since you opened the form; '
            'nothing was saved.') in page
    assert 'value="999"' in page and 'value="United States (US)"' in page
    assert "Saved meanwhile: ¥120 (3 t)" in page
    assert re.search(r'class="yours">¥999</td><td class="theirs">¥120 \(3 t\)</td>', page)
    assert db.session.scalars(select(ExportSale.value_jpy)).all() == [120]
    data["read"] = _read_field(page)
    assert data["read"] == f"{sake.id}:HK:2"
    assert client.post(url, data=data, headers=EN).status_code == 302
    assert sorted(db.session.scalars(select(ExportSale.value_jpy))) == [5, 999]


def test_changing_a_lines_destination_moves_the_sale_without_a_false_conflict(client, auth):
    owner, sake = _sake_exporter()
    factories.export_sale(sake, 2024, 4, "HK", 100)
    _login(auth, factories.user("exporter", exporter=owner))
    url = f"/exports/exporters/{owner.id}/sales?month=2024-04"
    read = _read_field(client.get(url, headers=EN).get_data(as_text=True))
    data = {"rows-0-product": sake.id, "rows-0-destination": "SG", "rows-0-value_jpy": "100", "read": read}
    response = client.post(url, data=data, headers=EN)
    assert response.status_code == 302
    assert db.session.execute(select(Market.code, ExportSale.value_jpy).join(Market)).all() == [("SG", 100)]
    shown = client.get(response.headers["Location"], headers=EN).get_data(as_text=True)
    assert "Saved: 1 new, 0 changed, 1 removed, 0 unchanged." in shown


def test_a_future_month_is_refused_with_its_reason(client, auth):
    owner, sake = _sake_exporter()
    _login(auth, factories.user("exporter", exporter=owner))
    future = current_month().shift(1)
    data = {"rows-0-product": sake.id, "rows-0-destination": "HK", "rows-0-value_jpy": "5"}
    page = client.post(f"/exports/exporters/{owner.id}/sales?month={future}", data=data, headers=EN)
    assert page.status_code == 422
    assert f"{month_label(future.year, future.month, 'en')} is in the future." in page.get_data(as_text=True)
    assert db.session.scalar(select(ExportSale)) is None



def test_a_tampered_or_stale_version_list_is_refused_with_a_message(client, auth):
    owner, sake = _sake_exporter()
    _login(auth, factories.user("exporter", exporter=owner))
    data = {"rows-0-product": sake.id, "rows-0-destination": "HK", "rows-0-value_jpy": "5", "read": "bogus"}
    page = client.post(f"/exports/exporters/{owner.id}/sales?month=2024-04", data=data, headers=EN)
    assert "This form is out of date: open the month again." in page.get_data(as_text=True)
    assert db.session.scalar(select(ExportSale)) is None

def test_the_form_offers_each_products_default_unit_to_its_script(client, auth):
    owner, sake = _sake_exporter()
    _login(auth, factories.user("exporter", exporter=owner))
    page = client.get(f"/exports/exporters/{owner.id}/sales?month=2024-04", headers=EN).get_data(as_text=True)
    assert f"data-default-units='{{\"{sake.id}\": \"l\"}}'" in page
    assert "js/sales" in page and 'id="add-sale-line"' in page


def test_only_the_exporter_or_an_admin_writes_its_sales(client, auth):
    owner, sake = _sake_exporter()
    officer = factories.user("officer", areas=[factories.area("130001")])
    _login(auth, officer)
    assert client.get(f"/exports/exporters/{owner.id}").status_code == 200
    assert client.get(f"/exports/exporters/{owner.id}/sales?month=2024-04").status_code == 403
    data = {"rows-0-product": sake.id, "rows-0-destination": "HK", "rows-0-value_jpy": "1"}
    assert client.post(f"/exports/exporters/{owner.id}/sales?month=2024-04", data=data).status_code == 403
    assert db.session.scalar(select(ExportSale)) is None


def test_the_exporter_home_compares_this_year_with_last_year(client, auth):
    owner, sake = _sake_exporter()
    factories.export_sale(sake, 2024, 1, "HK", 3_000_000)
    factories.export_sale(sake, 2023, 1, "HK", 2_000_000)
    factories.export_sale(sake, 2024, 2, "TW", 700_000)
    _login(auth, factories.user("exporter", exporter=owner))
    page = client.get(f"/exports/exporters/{owner.id}?year=2024", headers=EN).get_data(as_text=True)
    assert "3,700,000" in page and "2,000,000" in page and "+50.0%" in page
    assert '<th scope="row">Jan</th><td class="number">¥3,000,000</td>' in page
    japanese = client.get(f"/exports/exporters/{owner.id}?year=2024", headers=JA).get_data(as_text=True)
    assert '<th scope="row">1月</th><td class="number">¥3,000,000</td>' in japanese
    assert client.get("/exports/", headers=EN).headers["Location"].endswith(f"/exports/exporters/{owner.id}")


def test_a_viewer_sees_area_aggregates_but_no_exporter_detail_outside_its_areas(client, auth):
    tokyo, sake = _sake_exporter("131016")
    osaka, beef = _sake_exporter("271004")
    factories.export_sale(sake, 2024, 1, "HK", 100_000)
    factories.export_sale(sake, 2023, 1, "HK", 50_000)
    factories.export_sale(beef, 2024, 1, "US", 300_000)
    factories.export_sale(beef, 2023, 1, "US", 200_000)
    factories.export_sale(beef, 2024, 1, "SG", 10_000)
    viewer = factories.user("viewer", areas=[factories.area("270008")])
    _login(auth, viewer)
    page = client.get("/exports/areas/JP?year=2024", headers=EN).get_data(as_text=True)
    # two exporters: the nation's total less Osaka's (which the viewer sees) would be Tokyo's sales
    assert "410,000" not in page and "fewer than three exporters" in page
    assert osaka.name in page and tokyo.name not in page
    assert client.get(f"/exports/exporters/{tokyo.id}").status_code == 403
    assert client.get(f"/exports/exporters/{osaka.id}").status_code == 200
    tokyo_page = client.get("/exports/areas/130001?year=2024", headers=EN).get_data(as_text=True)
    assert "100,000" not in tokyo_page and "300,000" not in tokyo_page
    top = tokyo_page[tokyo_page.index('class="top-products"'):]
    assert top[:top.index("</ol>")].count("<li>") == 1 and "No product can be named" in top  # not "no sales"
    kyoto, tea = _sake_exporter("261009")
    factories.export_sale(tea, 2024, 1, "HK", 5_000)
    factories.export_sale(tea, 2023, 1, "HK", 1_000)
    db.session.commit()
    page = client.get("/exports/areas/JP?year=2024", headers=EN).get_data(as_text=True)
    assert "415,000" in page  # three exporters: the nation's total
    growing = page[page.index('class="fastest-growing"'):growing_end(page)]
    assert "United States" in growing and "Singapore" not in growing  # SG has no last year
    assert "Hong Kong" not in growing  # Tokyo's and Kyoto's sales alone: summed into "Other"
    by_destination = page[page.index("By destination"):page.index("By product")]
    assert "Others" in by_destination and "Hong Kong" not in by_destination


def growing_end(page: str) -> int:
    start = page.index('class="fastest-growing"')
    return page.index("</ol>", start)


def test_a_download_holds_only_the_visible_exporters_and_imports_back(client, auth):
    tokyo, sake = _sake_exporter("131016")
    osaka, beef = _sake_exporter("271004")
    factories.export_sale(sake, 2024, 1, "HK", 100_000)
    factories.export_sale(beef, 2024, 1, "US", 300_000)
    _login(auth, factories.user("officer", areas=[factories.area("130001")]))
    text = client.get("/exports/download.csv?area=JP").get_data().decode("utf-8-sig")
    assert text.splitlines() == [
        "exporter,area_code,year,month,product,hs_code,destination,quantity,unit,value_jpy",
        f"{tokyo.name},131016,2024,1,清酒,220600,HK,,,100000"]
    with client.get("/exports/download.xlsx") as response:
        workbook = load_workbook(io.BytesIO(response.get_data()), read_only=True)
    rows = list(workbook.active.iter_rows(values_only=True))
    workbook.close()
    assert rows[1] == (tokyo.name, "131016", 2024, 1, "清酒", "220600", "HK", None, None, 100000)
    assert len(rows) == 2


def test_an_officer_of_the_area_edits_the_profile_and_a_viewer_adds_nothing(client, auth):
    owner, sake = _sake_exporter()
    officer = factories.user("officer", areas=[factories.area("130001")])
    viewer = factories.user("viewer", areas=[factories.area("130001")])
    _login(auth, officer)
    data = {"name": "東京酒造株式会社", "area_code": "131016", "contact": "export@example.jp"}
    assert client.post(f"/exports/exporters/{owner.id}/edit", data=data).status_code == 302
    assert (db.session.get(Exporter, owner.id).name, db.session.get(Exporter, owner.id).contact) == (
        "東京酒造株式会社", "export@example.jp")
    auth.logout()
    auth.login(viewer.email)
    assert client.get(f"/exports/exporters/{owner.id}").status_code == 200
    assert client.post(f"/exports/exporters/{owner.id}/edit", data={**data, "name": "x"}).status_code == 403
    assert client.post("/exports/exporters/new", data={"name": "y", "area_code": "131016"}).status_code == 403
    assert client.post(f"/exports/products/{sake.id}/edit", data={"name_ja": "z"}).status_code == 403
    assert db.session.get(Exporter, owner.id).name == "東京酒造株式会社"
    assert client.get("/exports/", headers=EN).headers["Location"].endswith("/exports/areas/130001")


def test_an_exporter_keeps_its_area_when_editing_its_profile(client, auth):
    owner, _sake = _sake_exporter()
    factories.area("271004")
    _login(auth, factories.user("exporter", exporter=owner))
    page = client.post(f"/exports/exporters/{owner.id}/edit", headers=EN,
                       data={"name": "新しい名前", "area_code": "271004"}).get_data(as_text=True)
    assert "You may not place an exporter in this area." in page
    assert client.post(f"/exports/exporters/{owner.id}/edit",
                       data={"name": "新しい名前", "area_code": "131016"}).status_code == 302
    assert db.session.get(Exporter, owner.id).name == "新しい名前"


def test_the_history_of_a_month_lists_each_change_for_those_who_see_the_detail(client, auth):
    owner, sake = _sake_exporter()
    _login(auth, factories.user("exporter", exporter=owner))
    for value, read in (("100", ""), ("250", f"{sake.id}:HK:1")):
        client.post(f"/exports/exporters/{owner.id}/sales?month=2024-04", data={
            "rows-0-product": sake.id, "rows-0-destination": "HK", "rows-0-value_jpy": value,
            "read": read, "note": f"set {value}"})
    page = client.get(f"/exports/exporters/{owner.id}/history?month=2024-04", headers=EN).get_data(as_text=True)
    assert page.index("set 250") < page.index("set 100")
    assert "¥100" in page and "¥250" in page and "Sake" in page and "JPY" not in page
    auth.logout()
    _login(auth, factories.user("viewer", areas=[factories.area("270008")]))
    assert client.get(f"/exports/exporters/{owner.id}/history?month=2024-04").status_code == 403


def test_the_export_pages_name_each_destination_in_the_pages_language_with_its_code_beside(client, auth):
    owner, sake = _sake_exporter()
    factories.export_sale(sake, 2024, 1, "KR", 300_000)
    factories.export_sale(sake, 2023, 1, "KR", 100_000)
    _login(auth, factories.user("admin"))
    for url in ("/exports/areas/JP?year=2024", f"/exports/exporters/{owner.id}?year=2024"):
        japanese = client.get(url, headers=JA).get_data(as_text=True)
        english = client.get(url, headers=EN).get_data(as_text=True)
        assert '<th scope="row">韓国 <small class="export-code">KR</small></th>' in japanese
        assert '<th scope="row">South Korea <small class="export-code">KR</small></th>' in english
    for headers, growing in ((EN, "<li>South Korea: +200.0%</li>"), (JA, "<li>韓国: +200.0%</li>")):
        assert growing in client.get("/exports/areas/JP?year=2024", headers=headers).get_data(as_text=True)


def test_units_read_as_words_on_pages_while_files_keep_the_stored_codes(client, auth):
    owner, sake = _sake_exporter()
    month = current_month().shift(-1)
    save_month(None, owner, month, [SaleInput(sake.id, "HK", 480_000, Decimal(120), "l")], read={})
    _login(auth, factories.user("exporter", exporter=owner))
    home = client.get(f"/exports/exporters/{owner.id}", headers=JA).get_data(as_text=True)
    assert "<td>L</td>" in home and "<td>l</td>" not in home
    form = client.get(f"/exports/exporters/{owner.id}/sales?month={month}", headers=JA).get_data(as_text=True)
    assert '<option value="pcs">個</option>' in form and '<option value="t">トン</option>' in form
    assert '<option selected value="l">L</option>' in form
    english = client.get(f"/exports/exporters/{owner.id}/sales?month={month}", headers=EN).get_data(as_text=True)
    assert '<option value="pcs">pcs</option>' in english
    text = client.get(f"/exports/download.csv?exporter={owner.id}").get_data().decode("utf-8-sig")
    assert text.splitlines()[1].endswith(",HK,120,l,480000")


def test_the_product_page_is_titled_and_saved_in_the_pages_language(client, auth):
    owner, sake = _sake_exporter()
    _login(auth, factories.user("exporter", exporter=owner))
    english = client.get(f"/exports/products/{sake.id}/edit", headers=EN).get_data(as_text=True)
    assert f"<h1>{owner.name}: Sake</h1>" in english
    japanese = client.get(f"/exports/products/{sake.id}/edit", headers=JA).get_data(as_text=True)
    assert f"<h1>{owner.name}: 清酒</h1>" in japanese
    data = {"name_ja": "清酒", "name_en": "Sake", "hs_code": "220600", "origin_area_code": "", "default_unit": "l"}
    saved = client.post(f"/exports/products/{sake.id}/edit", data=data, headers=EN, follow_redirects=True)
    assert "Product Sake saved." in saved.get_data(as_text=True)


def test_the_total_reads_as_one_sentence_without_a_gap_before_the_bracket(client, auth):
    owner, sake = _sake_exporter()
    factories.export_sale(sake, 2023, 1, "HK", 809_059_052)
    factories.export_sale(sake, 2024, 1, "HK", 809_059_052)
    _login(auth, factories.user("admin"))
    page = client.get("/exports/areas/JP?year=2024", headers=JA).get_data(as_text=True)
    # .stats is a row of cards (flex, with gaps): a sentence in it showed "8億905万円 )"
    total = re.search(r'<p class="([^"]*)">合計', page)
    assert total.group(1) == "export-total"
    assert "8億905万円</span>, +0.0%)</p>" in page


def test_the_selection_form_lays_its_fields_on_a_grid_and_the_sales_form_shows_whole_product_names(client, auth):
    owner, _sake = _sake_exporter()
    _login(auth, factories.user("admin"))
    page = client.get("/exports/areas/JP", headers=JA).get_data(as_text=True)
    assert '<label class="export-selection-exporters">' in page and '<div class="export-selection-actions">' in page
    form = client.get(f"/exports/exporters/{owner.id}/sales?month=2024-05", headers=JA).get_data(as_text=True)
    assert 'class="product-choice"' in form
    css = CSS.read_text(encoding="utf-8")
    assert re.search(r"^\.export-selection \{ display: grid;", css, re.MULTILINE)
    assert re.search(r"^#sales-form select\.product-choice \{ min-width: \d+rem; \}", css, re.MULTILINE)
