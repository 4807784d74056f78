import io
import os

import openpyxl
import pytest
from sqlalchemy import func, select

from tests import factories
from tracker.areas.services import AreaImportError, import_areas
from tracker.cli import main
from tracker.extensions import db
from tracker.models import Area


def _municipalities() -> int:
    return db.session.scalar(select(func.count(Area.id)).where(Area.level == "municipality"))


def _mic_xlsx(rows) -> io.BytesIO:
    """The Ministry's layout: header cells with line breaks, half-width kana, prefecture rows mixed in."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["団体コード", "都道府県名\n（漢字）", "市区町村名\n（漢字）",
                  "都道府県名\n（カナ）", "市区町村名\n（カナ）"])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer


def test_the_official_csv_creates_every_basic_municipality_under_its_prefecture(runner, shared_data):
    result = runner.invoke(main, ["areas", "import", os.path.join(shared_data, "jp_municipalities_lgcode.csv")])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "created 1741, updated 0, unchanged 0"
    assert _municipalities() == 1741
    chiyoda = db.session.scalar(select(Area).where(Area.code == "131016"))
    assert (chiyoda.name_ja, chiyoda.parent.code, chiyoda.name_en) == ("千代田区", "130001", "Chiyoda, Tokyo")
    again = runner.invoke(main, ["areas", "import", os.path.join(shared_data, "jp_municipalities_lgcode.csv")])
    assert again.output.strip() == "created 0, updated 0, unchanged 1741"


def test_the_ministrys_xlsx_layout_is_read_and_updates_names_without_deleting(app):
    sapporo = factories.area("011002")
    factories.visitor_count(sapporo, 2015, 4, "CN", 10)
    workbook = _mic_xlsx([
        ["010006", "北海道", None, "ﾎｯｶｲﾄﾞｳ", None],
        ["011002", "北海道", "札幌市", "ﾎｯｶｲﾄﾞｳ", "ｻｯﾎﾟﾛｼ"],
        ["012025", "北海道", "函館市", "ﾎｯｶｲﾄﾞｳ", "ﾊｺﾀﾞﾃｼ"],
    ])
    result = import_areas(workbook, "000925835.xlsx")
    assert (result.created, result.updated, result.unchanged) == (1, 1, 0)
    sapporo = db.session.scalar(select(Area).where(Area.code == "011002"))
    assert (sapporo.name_ja, sapporo.name_kana, sapporo.name_en) == ("札幌市", "サッポロシ", "Test City 011002")
    assert db.session.scalar(select(Area).where(Area.code == "012025")).parent.code == "010006"


def test_a_wrong_check_digit_or_a_repeated_code_imports_nothing_and_names_the_lines(app):
    csv = "lg_code,name_ja\n011002,札幌市\n011003,誤り市\n011002,札幌市\n".encode()
    with pytest.raises(AreaImportError) as raised:
        import_areas(io.BytesIO(csv), "areas.csv")
    assert raised.value.errors == [
        "line 3, lg_code: 011003 is not a valid local-government code",
        "line 4, lg_code: 011002 is also on line 2",
    ]
    assert _municipalities() == 0


def test_a_shift_jis_file_from_excel_is_read(app):
    csv = "lg_code,name_ja,name_kana\r\n131016,千代田区,ちよだく\r\n".encode("cp932")
    result = import_areas(io.BytesIO(csv), "areas.csv")
    assert result.created == 1
    assert db.session.scalar(select(Area.name_kana).where(Area.code == "131016")) == "ちよだく"


def test_the_cli_reports_a_missing_column_on_one_line(runner, tmp_path):
    path = tmp_path / "areas.csv"
    path.write_text("code,name\n131016,千代田区\n", encoding="utf-8")
    result = runner.invoke(main, ["areas", "import", str(path)])
    assert result.exit_code == 1
    assert len(result.output.strip().splitlines()) == 1
    assert "lg_code" in result.output
    assert _municipalities() == 0


def test_an_admin_uploads_a_code_list_with_an_error_and_sees_the_line(client, auth):
    admin = factories.user("admin")
    db.session.commit()
    auth.login(admin.email)
    bad = io.BytesIO("lg_code,name_ja\n011002,札幌市\n011003,誤り市\n".encode())
    response = client.post("/admin/areas", data={"file": (bad, "areas.csv")}, content_type="multipart/form-data",
                           headers={"Accept-Language": "en"})
    assert response.status_code == 200
    assert "line 3, lg_code: 011003 is not a valid local-government code" in response.get_data(as_text=True)
    assert _municipalities() == 0
    good = io.BytesIO("lg_code,name_ja\n011002,札幌市\n".encode())
    response = client.post("/admin/areas", data={"file": (good, "areas.csv")}, content_type="multipart/form-data")
    assert response.status_code == 302
    assert _municipalities() == 1


def test_an_admin_corrects_an_areas_english_name(client, auth):
    admin = factories.user("admin")
    factories.area("131016")
    db.session.commit()
    auth.login(admin.email)
    response = client.post("/admin/areas/131016", data={"name_ja": "千代田区", "name_kana": "ちよだく",
                                                        "name_en": "Chiyoda"})
    assert response.status_code == 302
    assert db.session.scalar(select(Area.name_en).where(Area.code == "131016")) == "Chiyoda"
