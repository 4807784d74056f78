import io

import openpyxl
import pytest

from tracker.imports import FileFormatError, halfwidth, open_table, write_csv, write_xlsx

ALIASES = {"都道府県名（漢字）": "prefecture", "訪問者数": "visitors", "年月": "month"}


def table(data: bytes, filename: str = "upload.csv", **kwargs):
    kwargs.setdefault("required", {"month", "visitors"})
    kwargs.setdefault("aliases", ALIASES)
    return open_table(io.BytesIO(data), filename, **kwargs)


def xlsx_bytes(rows) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def format_error(data: bytes, filename: str = "upload.csv", **kwargs) -> FileFormatError:
    with pytest.raises(FileFormatError) as caught:
        list(table(data, filename, **kwargs))
    return caught.value


def test_utf8_csv_yields_rows_keyed_by_column_with_line_numbers():
    t = table(b"month,visitors\n2024-04, 12 \n2024-05,7\n")
    assert t.encoding == "utf-8"
    assert t.columns == ("month", "visitors")
    assert list(t) == [
        (2, {"month": "2024-04", "visitors": "12"}),
        (3, {"month": "2024-05", "visitors": "7"}),
    ]


def test_utf8_bom_is_detected_and_kept_out_of_the_header():
    t = table("\ufeffmonth,visitors\n2024-04,東京\n".encode())
    assert t.encoding == "utf-8-sig"
    assert list(t) == [(2, {"month": "2024-04", "visitors": "東京"})]


def test_cp932_csv_with_japanese_headers_maps_aliases():
    data = "年月,訪問者数,都道府県名（漢字）\r\n2024-04,１２,北海道\r\n".encode("cp932")
    t = table(data, optional={"prefecture"})
    assert t.encoding == "cp932"
    assert t.columns == ("month", "visitors", "prefecture")
    assert list(t) == [(2, {"month": "2024-04", "visitors": "１２", "prefecture": "北海道"})]


def test_explicit_encoding_overrides_detection():
    data = "month,visitors\n2024-04,ｱ\n".encode("cp932")
    assert table(data, encoding="cp932").encoding == "cp932"
    assert list(table(data, encoding="cp932")) == [(2, {"month": "2024-04", "visitors": "ｱ"})]


def test_xlsx_first_sheet_is_read_with_integral_floats_as_integers():
    data = xlsx_bytes(
        [["年月", "訪問者数", "note"], ["2024-04", 12.0, 1.5], [None, None, None], ["2024-05", 3, "x"]]
    )
    t = table(data, "visitors.xlsx")
    assert t.encoding == "xlsx"
    assert t.extra == ("note",)
    assert list(t) == [
        (2, {"month": "2024-04", "visitors": "12"}),
        (4, {"month": "2024-05", "visitors": "3"}),
    ]


def test_xlsx_is_recognised_by_content_not_name():
    data = xlsx_bytes([["month", "visitors"], ["2024-04", 1]])
    assert list(table(data, "export.csv")) == [(2, {"month": "2024-04", "visitors": "1"})]


def test_xlsx_from_a_non_seekable_stream_is_spooled():
    class Pipe(io.RawIOBase):
        def __init__(self, data):
            self._data = io.BytesIO(data)

        def readable(self):
            return True

        def readinto(self, buffer):
            return self._data.readinto(buffer)

    data = xlsx_bytes([["month", "visitors"], ["2024-04", 1]])
    with open_table(Pipe(data), "pipe.xlsx", required={"month", "visitors"}) as t:
        assert t.total_bytes is None
        assert list(t) == [(2, {"month": "2024-04", "visitors": "1"})]


def test_header_cells_lose_line_breaks_in_xlsx_and_csv():
    rows = [["年月", "訪問者数", "都道府県名\n（漢字）"], ["2024-04", 5, "青森県"]]
    expected = [(2, {"month": "2024-04", "visitors": "5", "prefecture": "青森県"})]
    assert list(table(xlsx_bytes(rows), "m.xlsx", optional={"prefecture"})) == expected
    csv_data = '年月,訪問者数,"都道府県名\r\n（漢字）"\r\n2024-04,5,青森県\r\n'.encode("cp932")
    assert list(table(csv_data, optional={"prefecture"})) == [(3, expected[0][1])]


def test_headers_match_ignoring_ascii_case_width_and_whitespace():
    t = table(" MONTH ,Ｖｉｓｉｔｏｒｓ,Other\n2024-04,1,x\n".encode())
    assert t.columns == ("month", "visitors")
    assert t.extra == ("Other",)
    assert list(t) == [(2, {"month": "2024-04", "visitors": "1"})]


def test_missing_required_columns_are_named():
    error = format_error(b"month,count\n2024-04,1\n", required={"month", "visitors", "area"})
    assert (error.line, error.column) == (1, "area, visitors")
    assert str(error) == "Line 1: Missing required columns: area, visitors."


def test_duplicate_column_through_an_alias_is_rejected():
    error = format_error("month,visitors,訪問者数\n".encode())
    assert (error.line, error.column) == (1, "visitors")


@pytest.mark.parametrize("data", [b"", b"\r\n\r\n", b" , ,\n"])
def test_empty_file_or_no_header(data):
    error = format_error(data)
    assert error.line is None
    assert str(error) == "The file is empty: it has no header row."


@pytest.mark.parametrize(
    ("data", "filename"),
    [
        (bytes(range(256)) * 8, "data.csv"),
        (bytes(range(1, 256)) * 8, "no-nul-bytes.csv"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "old.xls"),
        (b"month,visitors\n", "renamed.xlsx"),
        (b"PK\x03\x04 this is not a zip archive", "broken.xlsx"),
        (xlsx_bytes([["a"]])[:-200], "truncated.xlsx"),
    ],
)
def test_files_that_are_neither_csv_nor_xlsx_raise_format_error(data, filename):
    error = format_error(data, filename)
    assert error.line is None
    assert str(error)


def test_undecodable_cp932_byte_late_in_the_file_names_its_line():
    data = "年月,訪問者数\r\n".encode("cp932") + b"2024-04,1\r\n" * 20000 + b"2024-05,\x81\x20\r\n"
    t = table(data)
    assert t.encoding == "cp932"
    with pytest.raises(FileFormatError) as caught:
        for _ in t:
            pass
    assert caught.value.line == 20002
    assert str(caught.value).startswith("Line 20002: ")


def test_cp932_after_an_ascii_head_is_reported_on_its_line_not_as_a_crash():
    data = b"month,visitors\n" + b"2024-04,1\n" * 10000 + "2024-05,東京\n".encode("cp932")
    error = format_error(data)
    assert error.line == 10002


def test_record_line_is_where_a_quoted_multiline_cell_starts():
    data = b'month,visitors,note\n2024-04,1,"one\ntwo\r\nthree"\n2024-05,2,x\n'
    rows = list(table(data, optional={"note"}))
    assert rows == [
        (2, {"month": "2024-04", "visitors": "1", "note": "one\ntwo\r\nthree"}),
        (5, {"month": "2024-05", "visitors": "2", "note": "x"}),
    ]


def test_blank_rows_are_skipped_but_counted():
    data = b"\nmonth,visitors\n\n , \n2024-04,1\n,,\n2024-05,\n"
    t = table(data)
    assert list(t) == [(5, {"month": "2024-04", "visitors": "1"}), (7, {"month": "2024-05", "visitors": ""})]


def test_a_line_of_escaped_whitespace_is_blank_in_csv_and_in_xlsx_alike():
    # the writers escape a leading tab as "'\t": once unescaped and stripped the line holds nothing
    rows = [["", "\t"], ["\t", " \t"], ["2024-04", 1]]
    expected = [(4, {"month": "2024-04", "visitors": "1"})]
    assert list(table(b"".join(write_csv(["month", "visitors"], rows)))) == expected
    xlsx = write_xlsx(["month", "visitors"], rows, into=io.BytesIO()).getvalue()
    assert list(table(xlsx, "upload.xlsx")) == expected


def test_cells_beyond_the_header_are_an_error_unless_empty():
    assert list(table(b"month,visitors\n2024-04,1,,\n")) == [(2, {"month": "2024-04", "visitors": "1"})]
    assert format_error(b"month,visitors\n2024-04,1,234\n").line == 2


def test_an_unclosed_quote_is_a_format_error_not_a_crash():
    data = b'month,visitors\n2024-04,"1\n' + b"x" * 200_000 + b"\n"
    assert format_error(data).line == 2


def test_protective_apostrophe_is_removed_only_before_formula_characters():
    data = b"month,visitors\n'=SUM(A1),'-5\n'abc,''+1\n"
    assert [row for _, row in table(data)] == [
        {"month": "=SUM(A1)", "visitors": "-5"},
        {"month": "'abc", "visitors": "'+1"},
    ]


def test_halfwidth_folds_full_width_digits_and_signs():
    assert halfwidth(" －１２３４５ ") == "-12345"
    assert halfwidth("東京") == "東京"


def test_error_message_renders_without_an_app_context():
    error = FileFormatError(7, "visitors", "plain")
    assert str(error) == "Line 7: plain"
    assert str(FileFormatError(None, None, "plain")) == "plain"


class RowSource(io.RawIOBase):
    """A generated CSV that records every read size and refuses to be slurped."""

    def __init__(self, rows: int):
        self._lines = (f"2024-{i % 12 + 1:02d},{i}\n".encode() for i in range(rows))
        self._pending = b"month,visitors\n"
        self.sizes: list[int] = []

    def readable(self):
        return True

    def readinto(self, buffer):
        self.sizes.append(len(buffer))
        while len(self._pending) < len(buffer):
            line = next(self._lines, None)
            if line is None:
                break
            self._pending += line
        n = min(len(buffer), len(self._pending))
        buffer[:n], self._pending = self._pending[:n], self._pending[n:]
        return n

    def readall(self):
        raise AssertionError("the whole stream was requested")


def test_csv_is_streamed_in_bounded_reads():
    source = RowSource(200_000)
    t = open_table(source, "big.csv", required={"month", "visitors"})
    assert t.total_bytes is None
    progress = []
    count = 0
    for line, row in t:
        count, last = count + 1, row
        if line % 50_000 == 0:
            progress.append(t.bytes_read)
    assert count == 200_000
    assert last == {"month": "2024-08", "visitors": "199999"}
    assert max(source.sizes) <= 64 * 1024
    assert progress == sorted(progress) and progress[0] < progress[-1] <= t.bytes_read


def test_bytes_read_reaches_total_size_for_seekable_streams():
    data = b"month,visitors\n" + b"2024-04,1\n" * 50_000
    t = table(data)
    assert t.total_bytes == len(data)
    assert t.bytes_read < len(data)
    assert sum(1 for _ in t) == 50_000
    assert t.bytes_read == len(data)


def test_xlsx_progress_grows_while_reading():
    data = xlsx_bytes([["month", "visitors"]] + [[f"row {i}", i] for i in range(20_000)])
    t = table(data, "big.xlsx")
    seen = [t.bytes_read for line, _ in t if line % 5_000 == 0]
    assert seen == sorted(seen) and seen[0] < len(data)
    assert t.bytes_read == len(data)
