"""Approved months are locked on every write path: the grid, the sales form, the command line, the upload pages
and the API; an import that touches one is refused whole, with its lines."""

import io

import pytest
from sqlalchemy import func, select

from tests import factories
from tracker.auth.services import issue_token
from tracker.cli import main
from tracker.extensions import db
from tracker.models import ExportSale, ImportBatch, Revision, VisitorCount
from tracker.periods import Month
from tracker.reporting.services import transition
from tracker.reporting.units import Unit

EN = {"Accept-Language": "en"}
APRIL = Month(2015, 4)
VISITORS = "area_code,year,month,market,visitors,status\n"
EXPORTS = "exporter,area_code,year,month,product,hs_code,destination,quantity,unit,value_jpy\n"
LOCKED_VISITORS = "Test City 131130, April 2015 is approved and locked"
LOCKED_SALES = "渋谷酒造, April 2015 is approved and locked"


@pytest.fixture
def locked(app):
    """Shibuya's visitor figures and 渋谷酒造's sales of April 2015, both approved; March left open."""
    shibuya = factories.area("131130")
    admin = factories.user("admin", email="admin@example.jp")
    officer = factories.user("officer", areas=[shibuya], email="officer@example.jp")
    exporter = factories.new_exporter(shibuya, name="渋谷酒造")
    sake = factories.product(exporter, name_ja="純米酒")
    exporter_user = factories.user("exporter", exporter=exporter, email="sake@example.jp")
    factories.visitor_count(shibuya, 2015, 4, "CN", 100)
    factories.export_sale(sake, 2015, 4, "HK", 5000)
    for unit in (Unit.of(shibuya), Unit.of(exporter)):
        transition(admin, unit, APRIL, "submit")
        transition(admin, unit, APRIL, "approve")
    db.session.commit()
    return {"shibuya": shibuya, "admin": admin, "officer": officer, "exporter": exporter, "sake": sake,
            "exporter_user": exporter_user}


def _figures():
    return (sorted(db.session.execute(select(VisitorCount.year, VisitorCount.month, VisitorCount.visitors)).all()),
            sorted(db.session.execute(select(ExportSale.year, ExportSale.month, ExportSale.value_jpy)).all()),
            db.session.scalar(select(func.count()).select_from(ImportBatch)))


def _token(user):
    token = issue_token(user)
    db.session.commit()
    return {"Authorization": f"Bearer {token}", **EN}


def test_the_grid_refuses_a_locked_month_and_saves_an_open_one(client, auth, locked):
    auth.login(locked["officer"].email)
    before = _figures()
    refused = client.post("/visitors/131130/2015-04", data={"visitors-CN": "200", "version-CN": "1", "status": "final"},
                          headers=EN)
    assert refused.status_code == 409 and LOCKED_VISITORS in refused.get_data(as_text=True)
    assert _figures() == before
    saved = client.post("/visitors/131130/2015-03", data={"visitors-CN": "200", "status": "final"}, headers=EN)
    assert saved.status_code == 302


def test_the_sales_form_refuses_a_locked_month(client, auth, locked):
    auth.login(locked["exporter_user"].email)
    before = _figures()
    data = {"rows-0-product": locked["sake"].id, "rows-0-destination": "HK", "rows-0-value_jpy": "9000",
            "rows-0-quantity": "", "rows-0-unit": ""}
    page = client.post(f"/exports/exporters/{locked['exporter'].id}/sales?month=2015-04", data=data, headers=EN)
    assert page.status_code == 409 and LOCKED_SALES in page.get_data(as_text=True)
    assert _figures() == before
    saved = client.post(f"/exports/exporters/{locked['exporter'].id}/sales?month=2015-03", data=data, headers=EN)
    assert saved.status_code == 302


def test_a_reopened_month_takes_figures_again(client, auth, locked):
    transition(locked["admin"], Unit.of(locked["shibuya"]), APRIL, "reopen", "late correction")
    db.session.commit()
    auth.login(locked["officer"].email)
    assert client.post("/visitors/131130/2015-04", data={"visitors-CN": "200", "version-CN": "1", "status": "final"},
                       headers=EN).status_code == 302


def test_the_command_line_refuses_a_visitor_file_holding_a_locked_month_whole(runner, tmp_path, locked):
    path = tmp_path / "v.csv"
    path.write_text(VISITORS + "131130,2015,3,CN,5,final\n131130,2015,4,KR,7,final\n131130,2015,4,US,8,final\n")
    before = _figures()
    result = runner.invoke(main, ["import", "visitors", str(path)])
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("line ")]
    assert [line.split(":")[0] for line in errors] == ["line 3, month", "line 4, month"]
    assert all(LOCKED_VISITORS in line for line in errors), errors
    assert _figures() == before


def test_the_command_line_refuses_a_sales_file_holding_a_locked_month_whole(runner, tmp_path, locked):
    path = tmp_path / "s.csv"
    path.write_text(EXPORTS + "渋谷酒造,131130,2015,3,純米酒,,HK,,,10\n渋谷酒造,131130,2015,4,純米酒,,US,,,10\n")
    before = _figures()
    result = runner.invoke(main, ["import", "exports", str(path)])
    assert result.exit_code == 1
    assert f"line 3, month: {LOCKED_SALES}" in result.stderr
    assert _figures() == before


def test_the_upload_pages_refuse_locked_months(client, auth, locked):
    auth.login(locked["officer"].email)
    before = _figures()
    page = client.post("/visitors/import", headers=EN, content_type="multipart/form-data", data={
        "file": (io.BytesIO((VISITORS + "131130,2015,4,KR,7,final\n").encode()), "v.csv")})
    assert page.status_code == 303  # to the page of the import job, which the worker has refused
    assert LOCKED_VISITORS in client.get(page.headers["Location"], headers=EN).get_data(as_text=True)
    auth.logout()
    auth.login(locked["exporter_user"].email)
    page = client.post("/exports/import", headers=EN, content_type="multipart/form-data", data={
        "file": (io.BytesIO((EXPORTS + "渋谷酒造,131130,2015,4,純米酒,,US,,,10\n").encode()), "s.csv")})
    assert page.status_code == 303
    assert LOCKED_SALES in client.get(page.headers["Location"], headers=EN).get_data(as_text=True)
    assert _figures() == before


def test_api_imports_of_locked_months_answer_409_with_the_lines(client, locked):
    before = _figures()
    visitors = client.post("/api/v1/imports/visitors", headers=_token(locked["officer"]), data={
        "file": (io.BytesIO((VISITORS + "131130,2015,3,KR,7,final\n131130,2015,4,KR,7,final\n").encode()), "v.csv")})
    assert visitors.status_code == 409
    assert visitors.get_json() == {"errors": [{"line": 3, "column": "month", "message": LOCKED_VISITORS
                                               + ": ask an approver to reopen it before changing its figures."}]}
    sales = client.post("/api/v1/imports/exports", headers=_token(locked["exporter_user"]), data={
        "file": (io.BytesIO((EXPORTS + "渋谷酒造,131130,2015,4,純米酒,,US,,,10\n").encode()), "s.csv")})
    assert sales.status_code == 409 and sales.get_json()["errors"][0]["line"] == 2
    assert _figures() == before
    other = client.post("/api/v1/imports/visitors", headers=_token(locked["officer"]), data={
        "file": (io.BytesIO((VISITORS + "131130,2015,3,KR,abc,final\n").encode()), "v.csv")})
    assert other.status_code == 422


def test_a_transition_is_no_figure_change(locked):
    """Approving writes the reporting revision only, never a figure's."""
    assert {r.table_name for r in db.session.scalars(select(Revision))} == {"reporting_months"}
