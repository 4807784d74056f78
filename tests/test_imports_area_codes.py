"""Area codes that lost their leading zero in a spreadsheet (Sapporo's 011002 sent as 11002): read with the zero
when only that reading names an area, the check digit deciding; errors that may be a lost zero say so. The same
reading in the imports (both features) and in the forms (area_by_code, find_area)."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import select

from tests import factories
from tracker.areas.codes import InvalidAreaCode, area_code_readings, lost_zero_note, restored_zero
from tracker.areas.queries import UnknownArea, area_by_code, find_area
from tracker.exports.importer import import_exports
from tracker.extensions import db
from tracker.models import Area, ExportSale, VisitorCount
from tracker.targets.services import TargetInput, create_target
from tracker.visitors.importer import import_visitors

VISITORS = "area_code,year,month,market,visitors\r\n"
EXPORTS = "exporter,area_code,year,month,product,hs_code,destination,quantity,unit,value_jpy\r\n"


@pytest.fixture
def sapporo(app):
    area = factories.area("011002")
    db.session.commit()
    return area


def _visitors(*lines: str, user=None):
    return import_visitors(io.BytesIO((VISITORS + "".join(f"{line}\r\n" for line in lines)).encode()), "v.csv", user)


@pytest.mark.parametrize(("text", "restored"), [
    ("11002", "011002"),  # Sapporo: 0*6+1*5+1*4+0*3+0*2 = 9, (11 - 9) % 10 = 2
    ("13951", "013951"),  # Niseko
    ("41009", "041009"),  # Sendai
    ("11001", None),  # the restored check digit would be 2
    ("011002", None),  # nothing lost
    ("1100", None),  # 4 digits carry no check digit to decide
    ("1100a", None),
])
def test_the_check_digit_decides_whether_five_digits_may_be_a_code_that_lost_its_zero(text, restored):
    assert restored_zero(text) == restored


def test_five_digits_read_first_as_a_code_without_its_check_digit_then_with_the_zero_restored():
    assert area_code_readings("11002") == ("110027", "011002")
    assert area_code_readings("13101") == ("131016",)  # 013101's check digit would be 2
    assert area_code_readings("011002") == ("011002",)
    assert area_code_readings(" jp") == ("JP",)
    with pytest.raises(InvalidAreaCode):
        area_code_readings("1100")


def test_only_a_code_whose_restored_check_digit_holds_is_named_as_a_lost_zero(app):
    assert "011002" in lost_zero_note("11002")
    assert lost_zero_note("13101") == "" and lost_zero_note("1100") == "" and lost_zero_note("110027") == ""


def test_the_lookup_restores_the_zero_only_when_the_code_names_no_area_as_written(sapporo):
    assert area_by_code("11002") == sapporo
    assert area_by_code("011002") == sapporo and area_by_code("01100") == sapporo
    assert area_by_code("11001") is None  # no code either way
    saitama = factories.area("110027")  # 11002 + its check digit names an area now: that reading wins
    db.session.commit()
    assert area_by_code("11002") == saitama


def test_a_form_names_a_lost_zero_in_its_error(app, sapporo):
    assert find_area("11002") == sapporo
    with pytest.raises(UnknownArea) as unknown:
        find_area("41009")
    assert str(unknown.value) == ("Unknown area: 41009. If this is 041009, a spreadsheet dropped its leading zero: "
                                  "format the column as text.")
    with pytest.raises(UnknownArea) as plain_unknown:
        find_area("131016")
    assert str(plain_unknown.value) == "Unknown area: 131016"


def test_a_target_form_reads_sapporo_without_its_zero(app, sapporo):
    admin = factories.user("admin")
    target = create_target(TargetInput(name="札幌", metric="visitors", area="11002", baseline_year=2015,
                                       baseline_value=100, target_year=2020, target_value=200), by=admin)
    assert target.area == sapporo


def test_a_visitor_file_from_a_spreadsheet_imports_sapporo_and_keeps_its_zero_in_the_revision(sapporo):
    result = _visitors("11002,2015,4,CN,120", "011002,2015,5,CN,130")
    assert result.ok, result.errors
    assert db.session.execute(select(Area.code, VisitorCount.month).join(Area)
                              .order_by(VisitorCount.month)).all() == [("011002", 4), ("011002", 5)]


def test_an_officer_of_sapporo_may_import_its_codes_without_the_zero(sapporo):
    officer = factories.user("officer", areas=[sapporo])
    db.session.commit()
    assert _visitors("11002,2015,4,CN,120", user=officer).ok


def test_a_visitor_error_that_may_be_a_lost_zero_says_so(sapporo):
    result = _visitors("41009,2015,4,CN,120", "4100,2015,4,KR,5", "99999,2015,4,TW,5")
    assert [(issue.line, issue.column, issue.message) for issue in result.errors] == [
        (2, "area_code", "Unknown area: 410098. If this is 041009, a spreadsheet dropped its leading zero: "
                         "format the column as text."),
        (3, "area_code", "Not a local-government code: 4100."),
        (4, "area_code", "Unknown area: 999997."),
    ]
    assert db.session.scalar(select(VisitorCount.id)) is None


def test_an_export_file_from_a_spreadsheet_finds_the_exporter_of_sapporo(sapporo):
    exporter = factories.new_exporter(sapporo, name="札幌酒造")
    factories.product(exporter, name_ja="純米酒")
    db.session.commit()
    content = (EXPORTS + "札幌酒造,11002,2015,4,純米酒,220600,HK,120,l,480000\r\n"
               + "新しい酒造,11002,2015,4,吟醸酒,220600,HK,10,l,5000\r\n").encode()
    result, importer = import_exports(io.BytesIO(content), "e.csv", None)
    assert result.ok, result.errors
    assert importer.created_exporters == ["新しい酒造"]
    assert db.session.scalar(select(Area.code).join_from(ExportSale, ExportSale.exporter).join(Area)
                             .where(ExportSale.value_jpy == 5000)) == "011002"


def test_an_export_error_that_may_be_a_lost_zero_says_so(sapporo):
    content = (EXPORTS + "新しい酒造,41009,2015,4,吟醸酒,220600,HK,10,l,5000\r\n").encode()
    result, _importer = import_exports(io.BytesIO(content), "e.csv", None)
    assert [issue.message for issue in result.errors] == [
        "Not the code of a known municipality: 410098. If this is 041009, a spreadsheet dropped its leading zero: "
        "format the column as text."]


def test_a_download_selection_reads_codes_as_the_forms_do(client, auth, sapporo):
    factories.visitor_count(sapporo, 2015, 4, "CN", 120)
    admin = factories.user("admin")
    db.session.commit()
    auth.login(admin.email)
    download = client.get("/visitors/export.csv?areas=11002,01100").get_data().decode("utf-8-sig").splitlines()
    assert download[1:] == ["011002,2015,4,CN,120,final"]
    refused = client.get("/visitors/export.csv?areas=11002,11001", headers={"Accept-Language": "en"},
                         follow_redirects=True)
    assert "Unknown area codes: 11001." in refused.get_data(as_text=True)
