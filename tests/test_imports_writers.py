import io
import itertools

import openpyxl
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from tracker.imports import escape_formula, open_table, unescape_formula, write_csv, write_xlsx

HEADER = ["name", "count", "note"]


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("=1+2", "'=1+2"),
        ("+cmd", "'+cmd"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("-", "'-"),
        ("'=x", "''=x"),
        ("-5", "-5"),
        ("+1.5e3", "+1.5e3"),
        ("-.5", "-.5"),
        ("'abc", "'abc"),
        ("a=b", "a=b"),
        ("", ""),
    ],
)
def test_escape_formula_prefixes_only_formula_like_text(text, written):
    assert escape_formula(text) == written
    assert unescape_formula(written) == text


def test_csv_has_a_bom_crlf_lines_and_untouched_numbers():
    data = b"".join(write_csv(HEADER, [["東京", -5, "=HYPERLINK()"], ["-5", 12, None]]))
    assert data == "\ufeffname,count,note\r\n東京,-5,'=HYPERLINK()\r\n-5,12,\r\n".encode()


def test_csv_can_be_written_in_cp932_without_bom():
    data = b"".join(write_csv(HEADER, [["北海道", 1, ""]], encoding="cp932"))
    assert data == "name,count,note\r\n北海道,1,\r\n".encode("cp932")


def test_csv_is_produced_in_chunks_without_consuming_all_rows():
    rows = ([f"area {i}", i, "x"] for i in itertools.count())
    chunks = write_csv(HEADER, rows)
    first, second = next(chunks), next(chunks)
    assert first.startswith(b"\xef\xbb\xbfname,count,note\r\n")
    assert 64 * 1024 <= len(second) < 65 * 1024


def test_xlsx_keeps_numbers_numeric_and_formula_like_text_as_text():
    out = write_xlsx(HEADER, [["=1+2", 7, "-5"], ["東京", 2.5, None]], into=io.BytesIO())
    sheet = openpyxl.load_workbook(out).active
    assert [(c.value, c.data_type) for c in sheet[2]] == [("'=1+2", "s"), (7, "n"), ("-5", "s")]
    assert [c.value for c in sheet[3]] == ["東京", 2.5, None]


def test_xlsx_defaults_to_a_rewound_temporary_file():
    with write_xlsx(HEADER, [["a", 1, "b"]]) as out:
        assert out.read(4) == b"PK\x03\x04"


text_cells = st.text(
    alphabet=st.characters(exclude_categories=("Cs", "Cc")) | st.sampled_from("=+-@'\t\r\n 東京都０１"),
    max_size=12,
)
rows_strategy = st.lists(st.lists(text_cells | st.integers(), min_size=3, max_size=3), max_size=8)


def expected_rows(rows, normalise=lambda text: text):
    expected = []
    for row in rows:
        values = [str(v) if isinstance(v, int) else normalise(v).strip() for v in row]
        if any(values):
            expected.append(dict(zip(HEADER, values, strict=True)))
    return expected


def read_back(stream, filename):
    with open_table(stream, filename, required=set(HEADER)) as table:
        return [row for _, row in table]


# a row whose only text is a tab comes back as a blank line, skipped like an empty row (once failed in CI)
@settings(database=None, deadline=None)
@given(rows_strategy)
@example([["", "", ""], ["", "", "\t"]])
def test_csv_export_then_import_round_trips(rows):
    data = b"".join(write_csv(HEADER, rows))
    assert read_back(io.BytesIO(data), "export.csv") == expected_rows(rows)


@settings(database=None, deadline=None, max_examples=50)
@given(rows_strategy)
@example([["", "", ""], ["", "", "\t"]])
def test_xlsx_export_then_import_round_trips(rows):
    # XML stores every line break as LF, so that is what comes back from an xlsx
    def as_lf(text):
        return text.replace("\r\n", "\n").replace("\r", "\n")

    with write_xlsx(HEADER, rows) as out:
        assert read_back(out, "export.xlsx") == expected_rows(rows, as_lf)
