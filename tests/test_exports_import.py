"""The export import: command line, upload page and API, every error kind, idempotence and round trip."""

import io

import pytest
from sqlalchemy import func, select

from tests import factories
from tracker.cli import main
from tracker.exports.importer import import_exports
from tracker.extensions import db
from tracker.models import Exporter, ExportRollup, ExportSale, ImportBatch, Product, Revision
from tracker.revisions import history

HEADER = "exporter,area_code,year,month,product,hs_code,destination,quantity,unit,value_jpy\n"
EN = {"Accept-Language": "en"}


def _file(text: str, encoding: str = "utf-8") -> io.BytesIO:
    return io.BytesIO(text.encode(encoding))


def _state():
    """Everything an import may write, to prove a rejected file changed nothing."""
    counts = [db.session.scalar(select(func.count()).select_from(model))
              for model in (Exporter, Product, ExportSale, Revision, ExportRollup, ImportBatch)]
    values = sorted(db.session.execute(select(ExportSale.product_id, ExportSale.value_jpy, ExportSale.version)).all())
    return counts, values


def _known():
    owner = factories.new_exporter(factories.area("131016"), name="東京酒造")
    sake = factories.product(owner, "純米酒", hs_code="220600")
    factories.export_sale(sake, 2023, 4, "HK", 1000)
    return owner, sake


def test_an_admin_import_creates_exporters_and_products_and_reports_them(app):
    factories.area("172014")
    text = HEADER + ("金沢漆器,172014,2023,4,輪島塗 椀,441400,US,120,pcs,\"1,200,000\"\n"
                     "金沢漆器,172014,2023,5,輪島塗 椀,,SG,,,300000\n"
                     "金沢漆器,172014,2023,5,九谷焼,691200,US,12.5,kg,50000\n")
    result, importer = import_exports(_file(text), "sales.csv", None)
    assert result.ok, result.errors
    db.session.commit()
    assert (result.created, result.updated, result.unchanged) == (3, 0, 0)
    assert importer.created_exporters == ["金沢漆器"]
    assert importer.created_products == [("金沢漆器", "輪島塗 椀"), ("金沢漆器", "九谷焼")]
    exporter = db.session.scalar(select(Exporter).where(Exporter.name == "金沢漆器"))
    assert exporter.area.code == "172014"
    assert sorted((p.name_ja, p.hs_code) for p in exporter.products) == [("九谷焼", "691200"), ("輪島塗 椀", "441400")]
    sales = db.session.execute(select(Product.name_ja, ExportSale.month, ExportSale.value_jpy, ExportSale.quantity,
                                      ExportSale.unit).join(Product).order_by(ExportSale.month, Product.name_ja)).all()
    assert [(n, m, v, None if q is None else float(q), u) for n, m, v, q, u in sales] == [
        ("輪島塗 椀", 4, 1_200_000, 120.0, "pcs"), ("九谷焼", 5, 50_000, 12.5, "kg"),
        ("輪島塗 椀", 5, 300_000, None, None)]
    batch = db.session.scalar(select(ImportBatch))
    revisions = sorted(history("export_sales", ""), key=lambda r: r.record_key)  # as the history shows them
    assert {(r.batch_id, r.source, r.old_value) for r in revisions} == {(batch.id, "import", None)}
    assert sorted(r.new_value for r in revisions) == ["1200000 JPY; 120 pcs", "300000 JPY", "50000 JPY; 12.5 kg"]
    national = db.session.scalar(select(func.sum(ExportRollup.value_jpy)).where(
        ExportRollup.area_id == factories.area("JP").id, ExportRollup.year == 2023))
    assert national == 1_550_000


def test_new_products_of_a_known_exporter_get_their_own_ids(app):
    _known()
    text = HEADER + ("東京酒造,131016,2023,4,梅酒,220890,US,0300,l,7000\n"
                     "東京酒造,131016,2023,4,純米酒,220600,US,,,1000\n"
                     "東京酒造,131016,2023,4,柚子酒,,US,,,500\n"
                     "東京酒造,131016,2023,5,梅酒,220890,US,,,8000\n")
    result, importer = import_exports(_file(text), "sales.csv", None)
    assert result.ok, result.errors
    db.session.commit()
    assert importer.created_exporters == []
    assert importer.created_products == [("東京酒造", "梅酒"), ("東京酒造", "柚子酒")]
    sales = db.session.execute(select(Product.name_ja, Product.hs_code, ExportSale.month, ExportSale.value_jpy,
                                      ExportSale.quantity)
                               .join(Product, Product.id == ExportSale.product_id)
                               .where(Product.exporter_id == ExportSale.exporter_id,
                                      ExportSale.destination.has(code="US"))
                               .order_by(ExportSale.value_jpy)).all()
    assert [(p, h, m, v, None if q is None else float(q)) for p, h, m, v, q in sales] == [
        ("柚子酒", None, 4, 500, None), ("純米酒", "220600", 4, 1000, None), ("梅酒", "220890", 4, 7000, 300.0),
        ("梅酒", "220890", 5, 8000, None)]


def test_a_repeated_exporter_or_product_is_checked_on_every_line(app):
    _known()
    text = HEADER + ("東京酒造,131016,2023,4,純米酒,220600,HK,,,5\n"
                     "東京酒造,271004,2023,5,純米酒,220600,HK,,,5\n"
                     "東京酒造,131016,2023,6,純米酒,090210,HK,,,5\n"
                     "東京酒造,131016,2023,7,純米酒,220600,HK,,,5\n")
    result, _importer = import_exports(_file(text), "sales.csv", None)
    assert [(issue.line, issue.column) for issue in result.errors] == [(3, "area_code"), (4, "hs_code")]


def test_a_second_import_of_the_same_file_changes_nothing_and_a_changed_row_is_one_update(app):
    owner, sake = _known()
    text = HEADER + "東京酒造,131016,2023,4,純米酒,220600,HK,,,1000\n東京酒造,131016,2023,5,純米酒,,HK,,,2000\n"
    first, _importer = import_exports(_file(text), "a.csv", None)
    db.session.commit()
    assert (first.created, first.updated, first.unchanged) == (1, 0, 1)
    again, _importer = import_exports(_file(text), "a.csv", None)
    db.session.commit()
    assert (again.created, again.updated, again.unchanged, again.previously_imported) == (0, 0, 2, True)
    changed, _importer = import_exports(_file(text.replace(",1000", ",1500")), "b.csv", None)
    db.session.commit()
    assert (changed.created, changed.updated, changed.unchanged) == (0, 1, 1)
    sale = db.session.scalar(select(ExportSale).where(ExportSale.month == 4))
    assert (sale.value_jpy, sale.version) == (1500, 2)
    last = db.session.scalar(select(Revision).where(Revision.batch_id == changed.batch_id))
    assert (last.record_key, last.old_value, last.new_value) == (f"{owner.id}/2023-04/{sake.id}/HK", "1000 JPY",
                                                                 "1500 JPY")


ERRORS = [
    ("東京酒造,131016,2023,4,純米酒,220600,HK,,,-5", "value_jpy", "Must not be negative"),
    ("東京酒造,131016,2023,4,純米酒,220600,HK,,,12.5", "value_jpy", "Not a whole number"),
    ("東京酒造,131016,2023,4,純米酒,220600,HK,,,", "value_jpy", "This cell is empty."),
    ("東京酒造,131016,2023,13,純米酒,220600,HK,,,5", "month", "from 1 to 12"),
    ("東京酒造,131016,1850,4,純米酒,220600,HK,,,5", "year", "out of range"),
    ("東京酒造,131016,2999,4,純米酒,220600,HK,,,5", "month", "in the future"),
    ("東京酒造,131016,2023,4,純米酒,980000,HK,,,5", "hs_code", "01 to 97"),
    ("東京酒造,131016,2023,4,純米酒,22060,HK,,,5", "hs_code", "six digits"),
    ("東京酒造,131016,2023,4,純米酒,090210,HK,,,5", "hs_code", "has the HS code 220600"),
    ("東京酒造,131016,2023,4,純米酒,220600,XX,,,5", "destination", "Unknown country"),
    ("東京酒造,131016,2023,4,純米酒,220600,HK,12,,5", "unit", "Give the unit"),
    ("東京酒造,131016,2023,4,純米酒,220600,HK,,kg,5", "quantity", "without a quantity"),
    ("東京酒造,131016,2023,4,純米酒,220600,HK,-3,kg,5", "quantity", "Not a quantity"),
    ("東京酒造,131016,2023,4,純米酒,220600,HK,3,box,5", "unit", "kg, l, pcs or t"),
    ("東京酒造,271004,2023,4,純米酒,220600,HK,,,5", "area_code", "is in the area 131016"),
    ("新しい酒造,999997,2023,4,純米酒,220600,HK,,,5", "area_code", "known municipality"),
    ("東京酒造,131017,2023,4,純米酒,220600,HK,,,5", "area_code", "Wrong check digit in 131017: expected 6."),
    ("新しい酒造,131017,2023,4,純米酒,220600,HK,,,5", "area_code", "Wrong check digit in 131017: expected 6."),
    ("東京酒造,1310,2023,4,純米酒,220600,HK,,,5", "area_code", "Not a local-government code: 1310."),
    (",131016,2023,4,純米酒,220600,HK,,,5", "exporter", "This cell is empty."),
    ("東京酒造,131016,2023,4,,220600,HK,,,5", "product", "This cell is empty."),
]


@pytest.mark.parametrize(("row", "column", "message"), ERRORS)
def test_every_row_error_names_line_and_column_and_leaves_the_database_unchanged(app, row, column, message):
    _known()
    db.session.commit()
    before = _state()
    text = HEADER + "東京酒造,131016,2023,5,純米酒,220600,TW,,,7\n" + row + "\n"
    result, _importer = import_exports(_file(text), "bad.csv", None)
    db.session.rollback()
    assert not result.ok
    assert [(issue.line, issue.column) for issue in result.errors] == [(3, column)]
    assert message in result.errors[0].message
    assert _state() == before


@pytest.mark.parametrize(("text", "message"), [
    ("exporter,area_code,year,month,product,destination\n", "Missing required columns: value_jpy."),
    (HEADER, "no rows below its header"),
    (HEADER + "東京酒造,131016,2023,4,純米酒,220600,HK,,,5\n東京酒造,131016,2023,4,純米酒,,HK,,,6\n",
     "on line 2 and on line 3"),
])
def test_file_errors_header_empty_and_duplicates_are_refused(app, text, message):
    _known()
    db.session.commit()
    before = _state()
    result, _importer = import_exports(_file(text), "bad.csv", None)
    db.session.rollback()
    assert not result.ok and message in " ".join(issue.message for issue in result.errors)
    assert _state() == before


def test_the_same_key_twice_names_both_lines_and_the_files_columns(app):
    _known()
    text = HEADER + "東京酒造,131016,2023,4,純米酒,220600,HK,,,5\n東京酒造,131016,2023,4,純米酒,,HK,,,6\n"
    result, _importer = import_exports(_file(text), "twice.csv", None)
    assert [str(issue) for issue in result.errors] == [
        "line 3, exporter, year, month, product, destination: The same figure is given twice: on line 2 and on "
        "line 3."]


def test_an_area_code_of_five_digits_gets_its_check_digit(app):
    _known()
    factories.area("172014")
    text = HEADER + "東京酒造,13101,2023,5,純米酒,,HK,,,5\n金沢漆器,17201,2023,5,輪島塗,,US,,,7\n"
    result, _importer = import_exports(_file(text), "five.csv", None)
    assert result.ok, result.errors
    assert result.created == 2
    assert db.session.scalar(select(Exporter).where(Exporter.name == "金沢漆器")).area.code == "172014"


def test_an_exporter_account_imports_only_its_own_rows_for_known_products(app):
    owner, _sake = _known()
    other = factories.new_exporter(factories.area("271004"), name="大阪和牛")
    user = factories.user("exporter", exporter=owner)
    db.session.commit()
    before = _state()
    text = HEADER + ("大阪和牛,271004,2023,4,和牛,020130,HK,,,5\n"
                     "東京酒造,131016,2023,4,梅酒,,HK,,,5\n"
                     "新しい酒造,131016,2023,4,純米酒,,HK,,,5\n")
    result, importer = import_exports(_file(text), "mine.csv", user)
    db.session.rollback()
    assert [(i.line, i.column) for i in result.errors] == [(2, "exporter"), (3, "product"), (4, "exporter")]
    assert "only its own rows" in result.errors[0].message and other.name in result.errors[0].message
    assert importer.created_exporters == [] and _state() == before
    good, _importer = import_exports(_file(HEADER + "東京酒造,131016,2023,4,純米酒,,HK,,,5\n"), "ok.csv", user)
    assert (good.ok, good.updated) == (True, 1)


def test_shift_jis_and_japanese_headers_are_read(app):
    _known()
    text = ("輸出者,団体コード,年,月,品目,HSコード,仕向地,数量,単位,金額（円）\n"
            "東京酒造,131016,2023,6,純米酒,２２０６００,ＨＫ,１０,ｌ,９００\n")
    result, _importer = import_exports(_file(text, "cp932"), "sjis.csv", None)
    assert result.ok, result.errors
    sale = db.session.scalar(select(ExportSale).where(ExportSale.month == 6))
    assert (sale.value_jpy, float(sale.quantity), sale.unit, sale.destination.code) == (900, 10.0, "l", "HK")


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_download_imports_back_unchanged(client, auth, fmt):
    owner, sake = _known()
    factories.export_sale(sake, 2023, 5, "US", 2500).quantity = 12.5
    db.session.get(ExportSale, 2).unit = "l"
    tricky = factories.product(owner, "=SUM(A1)", hs_code=None)
    factories.export_sale(tricky, 2023, 5, "TW", 7)
    admin = factories.user("admin")
    db.session.commit()
    auth.login(admin.email)
    with client.get(f"/exports/download.{fmt}") as response:
        body = response.get_data()
    result, _importer = import_exports(io.BytesIO(body), f"roundtrip.{fmt}", None)
    assert result.ok, result.errors
    assert (result.created, result.updated, result.unchanged) == (0, 0, 3)


def test_the_command_line_prints_progress_new_names_and_the_counts(runner, tmp_path):
    factories.area("172014")
    db.session.commit()
    path = tmp_path / "sales.csv"
    path.write_text(HEADER + "金沢漆器,172014,2023,4,輪島塗 椀,441400,US,,,100\n", encoding="utf-8")
    result = runner.invoke(main, args=["import", "exports", str(path)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[-1] == "created 1, updated 0, unchanged 0"
    assert "new exporter: 金沢漆器" in lines and "new product: 金沢漆器 / 輪島塗 椀" in lines
    assert "importing" in result.stderr
    again = runner.invoke(main, args=["import", "exports", str(path)])
    assert again.stdout.splitlines()[-1] == "created 0, updated 0, unchanged 1"


def test_the_command_line_as_an_exporter_refuses_other_rows(runner, tmp_path):
    owner, _sake = _known()
    user = factories.user("exporter", exporter=owner, email="sake@example.jp")
    factories.area("172014")
    db.session.commit()
    path = tmp_path / "sales.csv"
    path.write_text(HEADER + "金沢漆器,172014,2023,4,輪島塗 椀,441400,US,,,100\n", encoding="utf-8")
    result = runner.invoke(main, args=["import", "exports", str(path), "--as", user.email])
    assert result.exit_code == 1
    assert "line 2, exporter: Your account may import only its own rows" in result.stderr
    assert db.session.scalar(select(func.count()).select_from(Exporter)) == 1


def test_the_upload_page_reports_and_refuses_by_role(client, auth):
    owner, _sake = _known()
    exporter_user = factories.user("exporter", exporter=owner)
    viewer = factories.user("viewer", areas=[factories.area("130001")])
    db.session.commit()
    auth.login(viewer.email)
    assert client.get("/exports/import").status_code == 403
    auth.logout()
    auth.login(exporter_user.email)
    bad = client.post("/exports/import", headers=EN, content_type="multipart/form-data", follow_redirects=True,
                      data={"file": (_file(HEADER + "東京酒造,131016,2023,4,純米酒,,HK,,,abc\n"), "bad.csv")})
    assert bad.request.path.startswith("/imports/")
    assert "Not a whole number: abc" in bad.get_data(as_text=True)
    good = client.post("/exports/import", headers={**EN, "X-Requested-With": "fetch"},
                       content_type="multipart/form-data",
                       data={"file": (_file(HEADER + "東京酒造,131016,2023,4,純米酒,,HK,,,5\n"), "ok.csv")})
    assert good.status_code == 202
    assert client.get(good.get_json()["status"]).get_json()["status"] == "done"
    report = client.get(good.get_json()["report"], headers=EN).get_data(as_text=True)
    assert "created 0, updated 1, unchanged 0" in report
    assert db.session.scalar(select(ExportSale.value_jpy)) == 5
