"""Files are read and checked a batch of rows at a time: the batch path must give what reading and checking each row
on its own gives (the same rows, lines, staging values and messages), whatever the cells and wherever a batch ends."""

import gc
import io
from contextlib import ExitStack

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests import factories
from tracker.exports.importer import ExportImporter, import_exports
from tracker.extensions import db
from tracker.imports.batches import Batch
from tracker.imports.csv_text import BATCH_RECORDS
from tracker.imports.pipeline import collector_paused
from tracker.imports.readers import FileFormatError, open_table
from tracker.visitors.importer import VisitorImporter

VISITOR_CELLS = {
    "area_code": ["131130", "13113", " 131130", "１３１１３０", "131121", "999999", "", "JP", "13113x"],
    "year": ["2015", "２０１５", "1800", "x", "2099", ""],
    "month": ["4", "04", "13", "０４", ""],
    "market": ["CN", "cn", " KR", "ZZ", ""],
    "visitors": ["1200", "1,200", "-5", "１２", "abc", "", "99999999999999999999", "0"],
    "status": ["", "final", "provisional", "bogus", "Final"],
}
EXPORT_CELLS = {
    "exporter": ["酒造A", "酒造B", " 酒造A", "既存の酒造", ""],
    "area_code": ["131130", "13113", "131121", "999999", ""],
    "year": ["2015", "2099", "x"],
    "month": ["4", "13"],
    "product": ["清酒", "米", "既存の品", ""],
    "hs_code": ["", "220600", "2206", "x"],
    "destination": ["HK", "hk", "ZZ"],
    "quantity": ["", "12", "1,200", "1.5", "x"],
    "unit": ["", "kg", "KG", "zz"],
    "value_jpy": ["100", "1,000", "", "-1"],
}


def _rows(cells: dict[str, list[str]], draw_row: list[list[int]]) -> list[tuple[int, dict[str, str]]]:
    names = list(cells)
    return [(line, {name: cells[name][choice % len(cells[name])] for name, choice in zip(names, picks, strict=False)})
            for line, picks in enumerate(draw_row, start=2)]


def _batches(rows, cut: int) -> list[Batch]:
    """The rows as two batches, split at `cut`."""
    parts = [rows[:cut], rows[cut:]]
    return [Batch([line for line, _row in part], {name: [row[name] for _line, row in part] for name in part[0][1]})
            for part in parts if part]


def _both_ways(make_importer, rows, cut):
    by_batch, by_row = make_importer(), make_importer()
    batch_issues, row_issues = [], []
    staged = [row for batch in _batches(rows, cut) for row in by_batch.parse_batch(batch, batch_issues.append)]
    return (by_batch, staged, batch_issues), (by_row, by_row.parse_rows(rows, row_issues.append), row_issues)


@pytest.fixture
def places(app):
    factories.area("131130")
    factories.area("131121")
    owner = factories.new_exporter(factories.area("011002"), name="既存の酒造")
    factories.product(owner, name_ja="既存の品", hs_code="220600")
    db.session.commit()


picks = st.lists(st.lists(st.integers(min_value=0, max_value=20), min_size=10, max_size=10), min_size=1, max_size=40)


@given(drawn=picks, cut=st.integers(min_value=0, max_value=40))
def test_visitor_batches_give_what_each_row_gives(places, drawn, cut):
    rows = _rows(VISITOR_CELLS, drawn)
    (_importer, staged, issues), (_other, expected, expected_issues) = _both_ways(
        lambda: VisitorImporter(None), rows, cut)
    assert staged == expected
    assert issues == expected_issues


@given(drawn=picks, cut=st.integers(min_value=0, max_value=40))
def test_export_batches_give_what_each_row_gives(places, drawn, cut):
    rows = _rows(EXPORT_CELLS, drawn)
    (by_batch, staged, issues), (by_row, expected, expected_issues) = _both_ways(
        lambda: ExportImporter(None), rows, cut)
    assert issues == expected_issues
    # new exporters and products get provisional ids in another order; what they stand for is the same
    assert [_named(by_batch, row) for row in staged] == [_named(by_row, row) for row in expected]
    assert list(by_batch._new_exporters.values()) == list(by_row._new_exporters.values())
    assert sorted(map(repr, by_batch._new_products.values())) == sorted(map(repr, by_row._new_products.values()))


def _named(importer: ExportImporter, row: tuple) -> tuple:
    exporters = {exporter_id: name for name, (exporter_id, _code) in importer._exporters.items()}
    products = {product_id: (exporters.get(exporter_id, exporter_id), name)
                for (exporter_id, name), (product_id, _hs) in importer._products.items()}
    line, exporter_id, year, month, product_id, *rest = row
    return line, exporters[exporter_id], year, month, products[product_id], *rest


def _read(data: bytes) -> tuple[list[tuple[int, dict[str, str]]], FileFormatError | None]:
    """The rows read before the file's error, and the error."""
    rows: list[tuple[int, dict[str, str]]] = []
    try:
        with open_table(io.BytesIO(data), "upload.csv", required={"month", "visitors"}) as table:
            for row in table:
                rows.append(row)
    except FileFormatError as error:
        return rows, error
    return rows, None


def _lines(count: int, start: int = 0) -> list[bytes]:
    return [f"2024-04,{number}\n".encode() for number in range(start, start + count)]


def test_a_cell_over_several_lines_inside_a_batch_keeps_every_later_line_number():
    data = b"month,visitors\n" + b"".join(_lines(10)) + b'2024-04,"1\n2\n3"\n' + b"".join(_lines(BATCH_RECORDS * 2))
    rows, error = _read(data)
    assert error is None
    assert rows[10] == (12, {"month": "2024-04", "visitors": "1\n2\n3"})
    assert rows[11] == (15, {"month": "2024-04", "visitors": "0"})
    assert rows[-1] == (14 + BATCH_RECORDS * 2, {"month": "2024-04", "visitors": str(BATCH_RECORDS * 2 - 1)})


@pytest.mark.parametrize(("bad", "message"), [
    (b"2024-04,\xff\xfe\n", "not utf-8 text"),
    (b"2024-04," + b"9" * 100_001 + b"\n", "longer than 100,000"),
    (b"2024-04,1,x\n", "more cells than the header"),
    (b'2024-04,"1\n' + b"x" * 100_001 + b"\n", "longer than 100,000"),
])
def test_an_error_in_the_middle_of_a_batch_names_its_line_and_every_row_before_it_is_read(bad, message):
    before = BATCH_RECORDS * 3 + 500  # in the middle of a batch, past the 64 KiB that tell the encoding
    data = b"month,visitors\n" + b"".join(_lines(before)) + bad + b"".join(_lines(10, start=before))
    rows, error = _read(data)
    assert error is not None and error.line == before + 2
    assert message in str(error.message)
    assert [line for line, _row in rows] == list(range(2, before + 2))
    assert rows[-1][1] == {"month": "2024-04", "visitors": str(before - 1)}


def test_blank_rows_inside_a_batch_are_left_out():
    data = b"month,visitors\n" + b"".join(_lines(5)) + b",\n\n , \n" + b"".join(_lines(5, start=5))
    rows, error = _read(data)
    assert error is None
    assert [line for line, _row in rows] == [2, 3, 4, 5, 6, 10, 11, 12, 13, 14]


@pytest.mark.parametrize(("lines", "expected"), [
    # the exporter is named with a wrong code first: the line below, which creates it, is not known yet
    (["Newco,99999,2022,1,Rice,US,10,", "Newco,011002,2022,1,Tea,US,10,"],
     [(2, "area_code", "Not the code of a known municipality: 999997.")]),
    # a product's HS code is the one of the line that named it first, not of a refused line below
    (["Acme,011002,2022,1,Tea,US,10,", "Acme,012025,2022,1,Rice,US,10,090200", "Acme,011002,2022,2,Rice,US,10,100630"],
     [(3, "area_code", "Acme is in the area 011002, not 012025."),
      (4, "hs_code", "The product Rice has the HS code 090200, not 100630.")]),
])
def test_a_refused_export_line_is_told_only_what_the_lines_above_it_created(app, lines, expected):
    factories.area("011002")
    factories.area("012025")
    factories.market("US")
    db.session.commit()
    data = "exporter,area_code,year,month,product,destination,value_jpy,hs_code\n" + "\n".join(lines) + "\n"
    result, _importer = import_exports(io.BytesIO(data.encode()), "sales.csv", None)
    assert [(issue.line, issue.column, issue.message) for issue in result.errors] == expected


def test_a_batch_of_long_lines_holds_about_a_batch_of_characters_not_two_thousand_lines():
    from tracker.imports.csv_text import BATCH_CHARS, csv_batches

    data = b"month,visitors\n" + b"".join(b"2024-04," + b"9" * 50_000 + b"\n" for _ in range(300))
    batches = list(csv_batches(io.BytesIO(data), "utf-8"))
    assert sum(len(records) for _starts, records in batches) == 301
    assert max(sum(map(len, map("".join, records))) for _starts, records in batches) <= 2 * BATCH_CHARS
    short = list(csv_batches(io.BytesIO(b"month,visitors\n" + b"".join(_lines(5000))), "utf-8"))
    assert max(len(records) for _starts, records in short) == BATCH_RECORDS  # short lines: full batches


def test_a_table_read_in_two_loops_gives_each_row_once():
    with open_table(io.BytesIO(b"month,visitors\n" + b"".join(_lines(5))), "upload.csv",
                    required={"month", "visitors"}) as table:
        rows = iter(table)
        first = next(rows)
        rest = list(table)
    assert [line for line, _row in [first, *rest]] == [2, 3, 4, 5, 6]


def test_imports_staging_at_once_in_one_process_keep_the_collector_paused_until_the_last_ends():
    assert gc.isenabled()
    with ExitStack() as first:
        first.enter_context(collector_paused())
        with ExitStack() as second:
            second.enter_context(collector_paused())
            first.close()  # the first import ends while the second still stages
            assert not gc.isenabled()
        assert gc.isenabled()


def test_staging_leaves_a_collector_paused_by_someone_else_paused():
    gc.disable()
    try:
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()
