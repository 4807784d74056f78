"""Hostile spreadsheets: each is refused fast, with one clear message that quotes little of any cell, and
nothing is written."""

import io
import struct
import time
import zipfile

import pytest
from sqlalchemy import func, select

from tests import factories
from tracker.auth.services import issue_token
from tracker.cli import main
from tracker.extensions import db
from tracker.imports import FileFormatError, open_table
from tracker.imports.xlsx import XlsxRefused, _WatchedPart
from tracker.models import Area, ExportSale, ImportBatch, Revision, VisitorCount

EN = {"Accept-Language": "en"}
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
DOC = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml"
HEADER_CELLS = "".join(f'<c t="inlineStr"><is><t>{name}</t></is></c>'
                       for name in ("area_code", "year", "month", "market", "visitors"))
HEADER_ROW = f'<row r="1">{HEADER_CELLS}</row>'
GOOD_ROW = '<row r="2"><c><v>131130</v></c><c><v>2015</v></c><c><v>4</v></c>' \
           '<c t="inlineStr"><is><t>CN</t></is></c><c><v>12</v></c></row>'


def sheet(rows: str, before: str = "") -> str:
    return f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}">{before}<sheetData>{rows}</sheetData>' \
           "</worksheet>"


def workbook(sheet_xml: str, shared: list[str] = (), compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    """A minimal xlsx written by hand, so that a test can put anything in it."""
    strings = "".join(f"<si><t>{text}</t></si>" for text in shared)
    parts = {
        "[Content_Types].xml":
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            f'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{TYPE}.sheet.main+xml"/>'
            f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{TYPE}.worksheet+xml"/>'
            f'<Override PartName="/xl/sharedStrings.xml" ContentType="{TYPE}.sharedStrings+xml"/></Types>',
        "_rels/.rels": f'<Relationships xmlns="{RELS}"><Relationship Id="rId1" Target="xl/workbook.xml" '
                       f'Type="{DOC}/officeDocument"/></Relationships>',
        "xl/workbook.xml": f'<workbook xmlns="{MAIN}" xmlns:r="{DOC}"><sheets>'
                           '<sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": f'<Relationships xmlns="{RELS}"><Relationship Id="rId1" '
                                      f'Target="worksheets/sheet1.xml" Type="{DOC}/worksheet"/></Relationships>',
        "xl/sharedStrings.xml": f'<sst xmlns="{MAIN}">{strings}</sst>',
        "xl/worksheets/sheet1.xml": sheet_xml,
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return out.getvalue()


def declare_size(data: bytes, name: str, size: int) -> bytes:
    """The same zip whose directory gives `name` another unpacked size."""
    data = bytearray(data)
    at = data.find(b"PK\x01\x02")
    while at >= 0:
        name_length = struct.unpack_from("<H", data, at + 28)[0]
        if data[at + 46:at + 46 + name_length] == name.encode():
            struct.pack_into("<L", data, at + 24, size)
            return bytes(data)
        at = data.find(b"PK\x01\x02", at + 4)
    raise AssertionError(name)


# Walking a gap of two billion rows takes many minutes; a million real rows take seconds even on a loaded machine,
# so a bound this far from both tells them apart without timing anything that should be measured in benchmarks/.
WALKED_A_GAP = 90


def refusal(data: bytes, filename: str = "upload.xlsx") -> FileFormatError:
    started = time.perf_counter()
    with pytest.raises(FileFormatError) as caught:
        list(open_table(io.BytesIO(data), filename, required=("area_code", "visitors")))
    assert time.perf_counter() - started < WALKED_A_GAP
    return caught.value


def counts() -> tuple[int, ...]:
    """What a refused file must leave as it was."""
    return tuple(db.session.scalar(select(func.count()).select_from(model))
                 for model in (VisitorCount, ExportSale, Revision, ImportBatch, Area))


def quotes_at_most_50(text: str, cell: str) -> bool:
    return cell[:51] not in text


def cli(runner, tmp_path, content: bytes, *args: str, name: str = "upload.xlsx"):
    path = tmp_path / name
    path.write_bytes(content)
    started = time.perf_counter()
    result = runner.invoke(main, [*args, str(path)])
    assert time.perf_counter() - started < WALKED_A_GAP
    return result


@pytest.fixture
def shibuya(app):
    area = factories.area("131130")
    db.session.commit()
    return area


def api_headers(role: str = "admin") -> dict[str, str]:
    user = factories.user(role)
    token = issue_token(user)
    db.session.commit()
    return {"Authorization": f"Bearer {token}", **EN}


@pytest.mark.parametrize("rows, before, compression", [
    (HEADER_ROW + '<row r="2000000000"><c><v>1</v></c></row>', "", zipfile.ZIP_DEFLATED),
    (HEADER_ROW + '<row><c r="A2000000000"><v>1</v></c></row>', "", zipfile.ZIP_DEFLATED),
    (HEADER_ROW + GOOD_ROW, '<dimension ref="A1:E2000000000"/>', zipfile.ZIP_DEFLATED),
    # rows without numbers count on from the one before (stored: deflated, it would be refused for its ratio)
    (HEADER_ROW + "<row/>" * 1_048_576, "", zipfile.ZIP_STORED),
])
def test_a_row_beyond_excels_last_is_refused_without_walking_the_gap(rows, before, compression):
    error = refusal(workbook(sheet(rows, before), compression=compression))
    assert "beyond Excel's last row (1,048,576)" in str(error.message)


def test_the_command_line_refuses_a_row_numbered_two_billion_and_writes_nothing(runner, tmp_path, shibuya):
    before = counts()
    result = cli(runner, tmp_path, workbook(sheet(HEADER_ROW + GOOD_ROW + '<row r="2000000000"><c><v>1</v></c></row>')),
                 "import", "visitors")
    assert result.exit_code == 1
    assert "file: The sheet refers to row 2000000000, beyond Excel's last row (1,048,576)." in result.output
    assert counts() == before


def test_the_areas_import_reads_xlsx_through_the_same_guard(runner, tmp_path, app):
    before = counts()
    header = "".join(f'<c t="inlineStr"><is><t>{name}</t></is></c>' for name in ("団体コード", "市区町村名（漢字）"))
    content = workbook(sheet(f"<row>{header}</row>" + '<row r="2000000000"><c><v>131130</v></c></row>'))
    result = cli(runner, tmp_path, content, "areas", "import")
    assert result.exit_code == 1 and "beyond Excel's last row" in result.output
    assert counts() == before


def test_a_part_declaring_a_huge_size_is_refused_before_it_is_unpacked(client, auth, shibuya):
    officer = factories.user("officer", areas=[shibuya])
    db.session.commit()
    assert auth.login(officer.email).status_code == 302
    before = counts()
    content = declare_size(workbook(sheet(HEADER_ROW + GOOD_ROW)), "xl/worksheets/sheet1.xml", 3_000_000_000)
    response = client.post("/visitors/import", data={"file": (io.BytesIO(content), "v.xlsx")}, headers=EN)
    assert response.status_code == 303  # to the page of the import job, which the worker has refused
    job_page = client.get(response.headers["Location"], headers=EN).get_data(as_text=True)
    assert "This xlsx file unpacks to more than 200 MB" in job_page
    assert counts() == before


def test_a_part_compressed_more_than_100_times_is_refused(client, shibuya):
    headers = api_headers()
    before = counts()
    content = workbook(sheet(HEADER_ROW + GOOD_ROW + " " * 2_000_000))  # 2 MB that deflate packs into 2 KB
    assert len(content) < 10_000
    response = client.post("/api/v1/imports/visitors", headers=headers,
                           data={"file": (io.BytesIO(content), "v.xlsx")})
    assert response.status_code == 422
    assert response.get_json() == {"errors": [{"line": None, "column": "", "message":
                                               "A part of this xlsx file is compressed more than 100 times, "
                                               "which no workbook is."}]}
    assert counts() == before


def test_the_unpacked_size_limit_is_a_setting(runner, tmp_path, app, shibuya):
    app.config["TRACKER_MAX_UNZIPPED_BYTES"] = 1024 * 1024
    rows = "".join(f'<row r="{n}"><c><v>131130</v></c><c><v>2015</v></c><c><v>{n % 12 + 1}</v></c>'
                   f'<c t="inlineStr"><is><t>CN</t></is></c><c><v>{n * 7919 % 100_003}</v></c></row>'
                   for n in range(2, 12_000))
    content = workbook(sheet(HEADER_ROW + rows))
    before = counts()
    result = cli(runner, tmp_path, content, "import", "visitors")
    assert result.exit_code == 1 and "This xlsx file unpacks to more than 1 MB" in result.output
    assert counts() == before


def test_a_shared_string_of_5_mb_is_refused_stored_or_compressed():
    text = "東京" * 1_250_000  # 5 MB in UTF-8 (15 of them bytes)
    stored = refusal(workbook(sheet(HEADER_ROW), shared=[text], compression=zipfile.ZIP_STORED))
    assert str(stored.message) == "This xlsx file holds a text longer than a cell can hold (32,767 characters)."
    compressed = refusal(workbook(sheet(HEADER_ROW), shared=[text]))
    assert "compressed more than 100 times" in str(compressed.message)


def test_a_row_of_more_than_4_mb_is_refused_with_its_line():
    cell = '<c t="inlineStr"><is><t>' + "x" * 5_000_000 + "</t></is></c>"
    error = refusal(workbook(sheet(HEADER_ROW + f'<row r="2">{cell}</row>'), compression=zipfile.ZIP_STORED))
    assert (error.line, str(error.message)) == (2, "This line holds more than 4 MB.")


def test_a_sheet_with_20000_columns_is_refused_naming_the_first_beyond_the_bound():
    row = "<row>" + "".join(f"<c><v>{n}</v></c>" for n in range(20_000)) + "</row>"
    error = refusal(workbook(sheet(row)))
    assert error.line == 1
    assert str(error.message) == "This line has a value in column 257; an import file has at most 256 columns."


def test_empty_cells_beyond_the_bound_are_read_but_not_beyond_excels_last_column():
    styled = '<c r="ZZ2" s="0"/>'  # formatting far to the right, without a value
    rows = list(open_table(io.BytesIO(workbook(sheet(HEADER_ROW + GOOD_ROW.replace("</row>", styled + "</row>")))),
                           "u.xlsx", required=("area_code", "visitors")))
    assert rows == [(2, {"area_code": "131130", "visitors": "12"})]
    too_many = refusal(workbook(sheet("<row>" + "<c/>" * 20_000 + "</row>")))
    assert (too_many.line, str(too_many.message)) == (1, "This line has more than 16,384 cells.")
    beyond = refusal(workbook(sheet('<row><c r="ACOF1"><v>1</v></c></row>')))
    assert str(beyond.message) == "The sheet refers to column ACOF, beyond Excel's last column (XFD)."


def test_a_directory_declaring_less_than_the_part_holds_is_refused_as_damaged():
    content = declare_size(workbook(sheet(HEADER_ROW + GOOD_ROW + " " * 50_000)), "xl/worksheets/sheet1.xml", 100)
    assert str(refusal(content).message) == "This xlsx file is damaged or not a workbook."


def test_a_part_yielding_more_than_declared_is_stopped_whatever_zipfile_does():
    part = _WatchedPart(io.BytesIO(b"<a>" + b" " * 5000 + b"</a>"), 1000, 256)
    with pytest.raises(XlsxRefused) as caught:
        part.read(4096)
    assert str(caught.value.message) == "A part of this xlsx file unpacks to more than its directory declares."


def test_a_doctype_and_a_zip_of_many_parts_are_refused():
    doctype = workbook('<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "a">]>' + sheet(HEADER_ROW)[38:])
    assert str(refusal(doctype).message) == "This xlsx file is damaged or not a workbook."
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for n in range(1001):
            archive.writestr(f"p{n}", "")
    many = refusal(out.getvalue())
    assert str(many.message) == "This xlsx file holds more than 1,000 parts; a workbook has a few dozen."


def test_a_csv_field_of_10_mb_is_refused_on_its_line(runner, tmp_path, shibuya):
    before = counts()
    content = b"area_code,year,month,market,visitors\n131130,2015,4,CN,1\n131130,2015,5,CN," + b"9" * 10_000_000
    result = cli(runner, tmp_path, content, "import", "visitors", name="v.csv")
    assert result.exit_code == 1
    assert "line 3: This line is longer than 100,000 characters." in result.output
    assert len(result.output) < 1000
    assert counts() == before


def test_a_quoted_csv_field_over_many_lines_counts_as_one_long_line():
    content = b'area_code,visitors\n131130,"' + b"9,9,9\n" * 30_000 + b'"\n'
    error = refusal(content, "v.csv")
    assert (error.line, str(error.message)) == (2, "This line is longer than 100,000 characters.")


def test_a_csv_with_a_value_beyond_256_columns_is_refused_but_empty_trailing_cells_are_not():
    wide = b"area_code,visitors" + b",x" * 300 + b"\n"
    error = refusal(wide, "v.csv")
    assert (error.line, str(error.message)) == (
        1, "This line has a value in column 257; an import file has at most 256 columns.")
    trailing = b"area_code,visitors" + b"," * 300 + b"\n131130,5" + b"," * 300 + b"\n"
    rows = list(open_table(io.BytesIO(trailing), "v.csv", required=("area_code", "visitors")))
    assert rows == [(2, {"area_code": "131130", "visitors": "5"})]


def test_visitor_messages_quote_at_most_50_characters_of_a_cell(client, shibuya):
    headers = api_headers()
    long = "７" * 20_000
    before = counts()
    rows = [f"{long},2015,4,CN,1", f"131130,2015,4,{long},1", f"131130,2015,4,CN,{long}",
            f"131130,2015,4,CN,-{long}", f"131130,2015,4,CN,9{'9' * 20_000}", f"131130,2015,4,CN,1,{long}"]
    content = ("area_code,year,month,market,visitors,status\n" + "\n".join(rows) + "\n").encode()
    response = client.post("/api/v1/imports/visitors", headers=headers,
                           data={"file": (io.BytesIO(content), "v.csv")})
    errors = response.get_json()["errors"]
    assert [(e["line"], e["column"]) for e in errors] == [(2, "area_code"), (3, "market"), (4, "visitors"),
                                                          (5, "visitors"), (6, "visitors"), (7, "status")]
    assert errors[0]["message"] == f"Not a local-government code: {'７' * 50}…."
    assert all(quotes_at_most_50(e["message"], long) and "9" * 51 not in e["message"] for e in errors)
    assert len(response.get_data()) < 3000
    assert counts() == before


def test_export_messages_quote_at_most_50_characters_of_a_cell(runner, tmp_path, app):
    factories.area("131130")
    db.session.commit()
    long = "x" * 20_000
    rows = [f"{long},131130,2015,4,酒,,CN,,,1", f"A,131130,2015,4,{long},,CN,,,1", f"A,131130,2015,4,酒,,{long},,,1",
            f"A,131130,2015,4,酒,,CN,1,{long},1", f"A,131130,2015,4,酒,,CN,{long},kg,1", f"A,{long},2015,4,酒,,CN,,,1"]
    content = ("exporter,area_code,year,month,product,hs_code,destination,quantity,unit,value_jpy\n"
               + "\n".join(rows) + "\n").encode()
    before = counts()
    result = cli(runner, tmp_path, content, "import", "exports", name="e.csv")
    assert result.exit_code == 1
    assert "line 2, exporter: Longer than 200 characters: " + "x" * 50 + "…." in result.output
    assert "line 3, product: Longer than 200 characters: " in result.output
    assert [line.split(",")[1].split(":")[0].strip() for line in result.output.splitlines()[1:-1]] == [
        "exporter", "product", "destination", "unit", "quantity", "area_code"]
    assert "x" * 51 not in result.output
    assert counts() == before


def test_the_areas_import_quotes_at_most_50_characters_of_a_cell(runner, tmp_path, app):
    before = counts()
    content = ("lg_code,name_ja\n" + "1" * 20_000 + ",x\n131130," + "渋" * 20_000 + "\n").encode()
    result = cli(runner, tmp_path, content, "areas", "import", name="a.csv")
    assert result.exit_code == 1
    assert "line 2, lg_code: " + "1" * 50 + "… is not a valid local-government code" in result.output
    assert "line 3, name_ja: longer than 100 characters: " + "渋" * 50 + "…" in result.output
    assert "1" * 51 not in result.output and "渋" * 51 not in result.output
    assert counts() == before
