import io

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from tests import factories
from tracker.cli import main
from tracker.extensions import db
from tracker.formatting import month_label
from tracker.imports.writers import write_csv, write_xlsx
from tracker.models import ImportBatch, Market, Revision, VisitorCount, VisitorRollup
from tracker.periods import current_month
from tracker.revisions import history
from tracker.visitors.importer import import_visitors
from tracker.visitors.queries import export_rows

HEADER = "area_code,year,month,market,visitors,status\r\n"


def _csv(*lines: str, header: str = HEADER, encoding: str = "utf-8") -> bytes:
    return (header + "".join(line + "\r\n" for line in lines)).encode(encoding)


def _snapshot():
    """Everything an import may write, to prove that a refused file wrote nothing."""
    return (
        sorted(db.session.execute(select(VisitorCount.area_id, VisitorCount.year, VisitorCount.month,
                                         VisitorCount.market_id, VisitorCount.visitors, VisitorCount.status,
                                         VisitorCount.version)).all()),
        db.session.scalar(select(func.count()).select_from(Revision)),
        db.session.scalar(select(func.count()).select_from(ImportBatch)),
        db.session.scalar(select(func.count()).select_from(VisitorRollup)),
    )


def _cli(runner, tmp_path, content: bytes, *options, name="visitors.csv"):
    path = tmp_path / name
    path.write_bytes(content)
    return runner.invoke(main, ["import", "visitors", str(path), *options], catch_exceptions=False)


@pytest.fixture
def shibuya(app):
    area = factories.area("131130")
    db.session.commit()
    return area


def test_the_cli_imports_a_clean_file_with_revisions_tied_to_its_batch(runner, tmp_path, shibuya):
    content = _csv("131130,2015,4,CN,1200,provisional", "13113,2015,4,KR,300,", "JP,2015,4,CN,400000,final")
    result = _cli(runner, tmp_path, content)
    assert result.exit_code == 0, result.output
    assert result.output.strip().splitlines()[-1] == "created 3, updated 0, unchanged 0"
    rows = db.session.execute(select(VisitorCount.visitors, VisitorCount.status).order_by(VisitorCount.visitors))
    assert rows.all() == [(300, "final"), (1200, "provisional"), (400000, "final")]
    batch = db.session.scalar(select(ImportBatch))
    assert (batch.kind, batch.filename, batch.rows, batch.created, batch.outcome) == (
        "visitors", "visitors.csv", 3, 3, "applied")
    revisions = sorted(history("visitor_counts", ""), key=lambda r: r.record_key)  # as the history shows them
    assert [(r.record_key, r.old_value, r.new_value, r.source, r.batch_id) for r in revisions] == [
        ("131130/2015-04/CN", None, "1200", "import", batch.id),
        ("131130/2015-04/KR", None, "300", "import", batch.id),
        ("JP/2015-04/CN", None, "400000", "import", batch.id),
    ]
    tokyo = db.session.scalar(select(VisitorRollup.visitors).where(
        VisitorRollup.area_id == shibuya.parent_id, VisitorRollup.market_id == factories.market("CN").id))
    assert tokyo == 1200


def test_a_second_import_of_the_same_file_changes_nothing_and_says_so(runner, tmp_path, shibuya):
    content = _csv("131130,2015,4,CN,1200,provisional")
    assert _cli(runner, tmp_path, content).exit_code == 0
    again = _cli(runner, tmp_path, content)
    assert again.exit_code == 0
    lines = again.output.strip().splitlines()
    assert lines[-1] == "created 0, updated 0, unchanged 1"
    assert "nothing changed" in again.output and "imported before" in again.output
    assert db.session.scalar(select(func.count()).select_from(Revision)) == 1
    assert db.session.scalar(select(VisitorCount.version)) == 1


def test_an_update_records_old_and_new_values(runner, tmp_path, shibuya):
    factories.visitor_count(shibuya, 2015, 4, "CN", 1000, status="provisional")
    db.session.commit()
    result = _cli(runner, tmp_path, _csv("131130,2015,4,CN,1100,final", "131130,2015,5,CN,900,final"))
    assert result.output.strip().splitlines()[-1] == "created 1, updated 1, unchanged 0"
    row = db.session.scalar(select(VisitorCount).where(VisitorCount.month == 4))
    assert (row.visitors, row.status, row.version) == (1100, "final", 2)
    revision = db.session.scalar(select(Revision).where(Revision.record_key == "131130/2015-04/CN"))
    assert (revision.old_value, revision.new_value, revision.note) == ("1000", "1100", "status: provisional -> final")


ERROR_CASES = [
    ("999997,2015,4,CN,1,final", "area_code", "Unknown area: 999997."),
    ("131131,2015,4,CN,1,final", "area_code", "Wrong check digit in 131131: expected 0."),
    ("131130,2015,4,QQ,1,final", "market", "Unknown country or region code: QQ."),
    ("131130,2015,4,CN,1.5,final", "visitors", "Not a whole number: 1.5."),
    ("131130,2015,4,CN,-3,final", "visitors", "Must not be negative: -3."),
    ("131130,2015,4,CN,99999999999,final", "visitors", "Too large: 99999999999 (at most 2,147,483,647)."),
    ("131130,2015,13,CN,1,final", "month", "The month must be from 1 to 12, not 13."),
    ("131130,2015,4,CN,1,done", "status", "The status must be estimate, provisional or final, not done."),
]


@pytest.mark.parametrize(("line", "column", "message"), ERROR_CASES)
def test_each_bad_row_is_reported_with_line_column_and_reason_and_nothing_is_written(
        runner, tmp_path, shibuya, line, column, message):
    factories.visitor_count(shibuya, 2014, 4, "CN", 10)
    db.session.commit()
    before = _snapshot()
    result = _cli(runner, tmp_path, _csv("131130,2015,5,CN,1,final", line))
    assert result.exit_code == 1
    assert f"line 3, {column}: {message}" in result.output.splitlines()
    assert _snapshot() == before


def test_a_future_month_is_refused(runner, tmp_path, shibuya):
    future = current_month().shift(1)
    before = _snapshot()
    result = _cli(runner, tmp_path, _csv(f"131130,{future.year},{future.month},CN,1,final"))
    assert result.exit_code == 1
    written = month_label(future.year, future.month, "en")
    assert f"line 2, month: {written} is in the future." in result.output.splitlines()
    assert _snapshot() == before


def test_the_same_key_twice_names_both_lines(runner, tmp_path, shibuya):
    before = _snapshot()
    result = _cli(runner, tmp_path, _csv("131130,2015,4,CN,1,final", "JP,2015,4,CN,5,final", "131130,2015,04,cn,2,"))
    assert result.exit_code == 1
    assert ("line 4, area_code, year, month, market: The same figure is given twice: on line 2 and on line 4."
            in result.output.splitlines())
    assert _snapshot() == before


def test_every_error_of_the_file_is_listed(runner, tmp_path, shibuya):
    result = _cli(runner, tmp_path, _csv("131130,2015,4,CN,x,final", "131130,2015,4,KR,1,final",
                                         "131131,2015,4,QQ,1,final"))
    errors = [line for line in result.output.splitlines() if line.startswith("line ")]
    assert errors == ["line 2, visitors: Not a whole number: x.",
                      "line 4, area_code: Wrong check digit in 131131: expected 0.",
                      "line 4, market: Unknown country or region code: QQ."]


def test_an_area_outside_the_officers_scope_is_refused(runner, tmp_path, shibuya):
    osaka_city = factories.area("271004")
    officer = factories.user("officer", areas=[db.session.get(type(shibuya), shibuya.parent_id)])
    db.session.commit()
    before = _snapshot()
    result = _cli(runner, tmp_path, _csv("131130,2015,4,CN,1,final", "271004,2015,4,CN,1,final"),
                  "--as", officer.email)
    assert result.exit_code == 1
    assert result.output.splitlines()[-2:] == ["line 3, area_code: The area 271004 is outside your areas.",
                                                "nothing was imported"]
    assert osaka_city.code == "271004" and _snapshot() == before


@pytest.mark.parametrize(("content", "expected"), [
    (b"", "file: The file is empty: it has no header row."),
    (HEADER.encode(), "file: The file has no rows below its header."),
    (b"area_code,year,market\r\n131130,2015,CN\r\n",
     "line 1, month, visitors: Missing required columns: month, visitors."),
    (b"\x00\x01\x02garbage", "file: This is not a CSV or xlsx file."),
])
def test_empty_unreadable_or_incomplete_files_are_refused(runner, tmp_path, shibuya, content, expected):
    before = _snapshot()
    result = _cli(runner, tmp_path, content)
    assert result.exit_code == 1
    assert expected in result.output.splitlines()
    assert _snapshot() == before


def test_cp932_files_with_japanese_headers_and_bom_files_are_read(runner, tmp_path, shibuya):
    japanese = "団体コード,年,月,国・地域コード,外国人訪問者数,確定区分\r\n"
    content = _csv("131130,2015,4,CN,1200,速報", header=japanese, encoding="cp932")
    assert _cli(runner, tmp_path, content).output.strip().splitlines()[-1] == "created 1, updated 0, unchanged 0"
    assert db.session.scalar(select(VisitorCount.status)) == "estimate"  # 速報: JNTO's first release, 推計値
    bom = b"\xef\xbb\xbf" + _csv("131130,2015,4,KR,７００,final")
    assert _cli(runner, tmp_path, bom).output.strip().splitlines()[-1] == "created 1, updated 0, unchanged 0"
    korea = select(VisitorCount.visitors).where(VisitorCount.market_id == factories.market("KR").id)
    assert db.session.scalar(korea) == 700
    forced = _cli(runner, tmp_path, content, "--encoding", "cp932")
    assert forced.output.strip().splitlines()[-1] == "created 0, updated 0, unchanged 1"


def test_xlsx_files_are_read(runner, tmp_path, shibuya):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["visitors", "market", "area_code", "year", "month"])
    sheet.append([1500, "TW", "131130", 2016, 1])
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = _cli(runner, tmp_path, buffer.getvalue(), name="visitors.xlsx")
    assert result.output.strip().splitlines()[-1] == "created 1, updated 0, unchanged 0"
    figure = db.session.execute(select(VisitorCount.year, VisitorCount.month, VisitorCount.visitors)).one()
    assert tuple(figure) == (2016, 1, 1500)


def test_outliers_are_warnings_and_are_imported(app, shibuya):
    factories.visitor_count(shibuya, 2010, 3, "CN", 1000)
    db.session.commit()
    content = _csv("131130,2011,3,CN,200,final", "131130,2012,3,CN,900,final", "131130,2013,3,CN,901,final")
    result = import_visitors(io.BytesIO(content), "jumps.csv", None)
    assert result.ok and result.created == 3
    assert [(w.line, w.column) for w in result.warnings] == [(2, "visitors"), (3, "visitors")]
    assert "200 is far from the same month last year (1,000)" in result.warnings[0].message



def test_a_status_stepping_back_is_a_warning_and_is_imported(app, shibuya):
    factories.visitor_count(shibuya, 2015, 4, "CN", 1000, status="final")
    factories.visitor_count(shibuya, 2015, 4, "KR", 500, status="provisional")
    db.session.commit()
    content = _csv("131130,2015,4,CN,1000,estimate", "131130,2015,4,KR,500,final")
    result = import_visitors(io.BytesIO(content), "back.csv", None)
    assert result.ok and result.updated == 2
    assert [(w.line, w.column, w.message) for w in result.warnings] == [
        (2, "status", "The status goes back from Final to Estimate: please check it.")]
    assert db.session.scalar(select(VisitorCount.status).join(Market).where(Market.code == "CN")) == "estimate"


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_then_import_is_a_round_trip_without_changes(app, shibuya, fmt):
    factories.visitor_count(shibuya, 2015, 4, "CN", 1200, status="estimate")
    factories.visitor_count(shibuya, 2015, 5, "ZZ", 77)
    factories.visitor_count(factories.area("JP"), 2015, 4, "US", 99_000)
    db.session.commit()
    rows = list(export_rows(None, None, None, None))
    header = ["area_code", "year", "month", "market", "visitors", "status"]
    if fmt == "csv":
        content = b"".join(write_csv(header, rows))
    else:
        with write_xlsx(header, rows) as workbook:
            content = workbook.read()
    result = import_visitors(io.BytesIO(content), f"export.{fmt}", None)
    assert result.ok, result.errors
    assert (result.created, result.updated, result.unchanged) == (0, 0, 3)


def test_progress_is_reported_in_bytes_up_to_the_end(app, shibuya):
    markets = db.session.scalars(select(Market.code).order_by(Market.code)).all()[:200]
    lines = [f"131130,{year},{month},{code},{year + month},final"
             for year in (2012, 2013, 2014) for month in range(1, 13) for code in markets][:5000]
    content = _csv(*lines)
    seen = []
    result = import_visitors(io.BytesIO(content), "big.csv", None, progress=lambda done, total: seen.append(
        (done, total)))
    assert result.ok and result.created == 5000
    assert len(seen) >= 3 and seen[-1] == (len(content), len(content))
    assert [done for done, _total in seen] == sorted(done for done, _total in seen)


def test_the_cli_refuses_an_unknown_acting_account(runner, tmp_path, shibuya):
    result = _cli(runner, tmp_path, _csv("131130,2015,4,CN,1,final"), "--as", "nobody@example.jp")
    assert result.exit_code == 1
    assert "no user with the email nobody@example.jp" in result.output
    assert db.session.scalar(select(func.count()).select_from(VisitorCount)) == 0
