import csv
import io
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook
from sqlalchemy import func, select

from tests import factories
from tracker.affiliations.importer import AffiliationImporter, import_affiliations
from tracker.cli import main
from tracker.extensions import db
from tracker.imports.pipeline import run_import
from tracker.models import Affiliation, ImportBatch, ImportJob, Revision
from tracker.revisions import history

HEADER = "area_code,partner_name,partner_name_en,country,partner_level,kind,established,ended,fields,note\r\n"
JAPANESE_HEADER = "団体コード,提携先名,提携先名（英語）,国コード,提携先区分,提携種別,提携日,終了日,交流分野,備考\r\n"
SAINT_PAUL = "422011,セントポール市,Saint Paul,US,city,sister,1955-12-07,,education;culture,first"
DAEGU = "341002,大邱広域市,Daegu,KR,city,sister,1997,,sports;education;tourism,"


def _csv(*lines: str, header: str = HEADER, encoding: str = "utf-8") -> bytes:
    return (header + "".join(line + "\r\n" for line in lines)).encode(encoding)


def _snapshot():
    """Everything an import may write, to prove that a refused file wrote nothing."""
    return (
        sorted(db.session.execute(select(Affiliation.area_id, Affiliation.country, Affiliation.partner_name_en,
                                         Affiliation.fields, Affiliation.version)).all()),
        db.session.scalar(select(func.count()).select_from(Revision)),
        db.session.scalar(select(func.count()).select_from(ImportBatch)),
    )


def _cli(runner, tmp_path, content: bytes, *options, name="affiliations.csv"):
    path = tmp_path / name
    path.write_bytes(content)
    return runner.invoke(main, ["import", "affiliations", str(path), *options], catch_exceptions=False)


@pytest.fixture
def areas(app):
    found = {code: factories.area(code) for code in ("422011", "341002", "420000")}
    db.session.commit()
    return found


def test_the_cli_imports_a_clean_file_with_one_revision_per_tie_tied_to_its_batch(runner, tmp_path, areas):
    result = _cli(runner, tmp_path, _csv(SAINT_PAUL, DAEGU, "420000,福建省,Fujian,CN,state,friendship,1982,,,"))
    assert result.exit_code == 0, result.output
    assert result.output.strip().splitlines()[-1] == "created 3, updated 0, unchanged 0"
    ties = db.session.scalars(select(Affiliation).order_by(Affiliation.established_year)).all()
    assert [(t.partner_name_en, t.established, t.ended, t.fields, t.kind, t.partner_level) for t in ties] == [
        ("Saint Paul", "1955-12-07", None, "education;culture", "sister", "city"),
        ("Fujian", "1982", None, "", "friendship", "state"),
        ("Daegu", "1997", None, "education;tourism;sports", "sister", "city")]  # fields kept in their fixed order
    batch = db.session.scalar(select(ImportBatch))
    revisions = sorted(history("affiliations", ""), key=lambda r: r.record_key)  # as the history shows them
    assert [(r.table_name, r.record_key, r.old_value, r.new_value, r.batch_id, r.area_id) for r in revisions] == [
        ("affiliations", "341002/KR/Daegu", None,
         "sister city: 大邱広域市; 1997; fields: education;tourism;sports; note: ", batch.id, areas["341002"].id),
        ("affiliations", "420000/CN/Fujian", None, "friendship state: 福建省; 1982; fields: ; note: ", batch.id,
         areas["420000"].id),
        ("affiliations", "422011/US/Saint Paul", None,
         "sister city: セントポール市; 1955 (1955-12-07); fields: education;culture; note: first", batch.id,
         areas["422011"].id)]


def test_importing_the_same_file_again_changes_nothing_and_a_changed_row_is_one_update(runner, tmp_path, areas):
    _cli(runner, tmp_path, _csv(SAINT_PAUL, DAEGU))
    again = _cli(runner, tmp_path, _csv(SAINT_PAUL, DAEGU))
    assert again.exit_code == 0
    assert "nothing changed" in again.output and again.output.strip().endswith("created 0, updated 0, unchanged 2")
    ended = _cli(runner, tmp_path, _csv(SAINT_PAUL, DAEGU.replace("1997,,", "1997,2020-03-31,")))
    assert ended.output.strip().splitlines()[-1] == "created 0, updated 1, unchanged 1"
    daegu = db.session.scalar(select(Affiliation).where(Affiliation.partner_name_en == "Daegu"))
    assert (daegu.ended, daegu.ended_year, daegu.version) == ("2020-03-31", 2020, 2)
    change = db.session.scalars(select(Revision).order_by(Revision.id.desc())).first()
    assert change.record_key == "341002/KR/Daegu"
    assert change.old_value.startswith("sister city: 大邱広域市; 1997; ")
    assert change.new_value.startswith("sister city: 大邱広域市; 1997 - 2020 (2020-03-31); ")


def test_a_shift_jis_file_with_japanese_headers_and_words_imports(runner, tmp_path, areas):
    content = _csv("422011,セントポール市,Saint Paul,ＵＳ,都市,姉妹,１９５５,,教育、文化,長崎市の最初の姉妹都市",
                   header=JAPANESE_HEADER, encoding="cp932")
    result = _cli(runner, tmp_path, content)
    assert result.exit_code == 0, result.output
    tie = db.session.scalar(select(Affiliation))
    assert (tie.country, tie.partner_level, tie.kind, tie.established, tie.fields, tie.note) == (
        "US", "city", "sister", "1955", "education;culture", "長崎市の最初の姉妹都市")


def test_an_xlsx_file_imports_like_its_csv(app, areas):
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER.strip().split(","))
    sheet.append(SAINT_PAUL.split(","))
    stream = io.BytesIO()
    book.save(stream)
    stream.seek(0)
    result = import_affiliations(stream, "ties.xlsx", None)
    assert result.ok, result.errors
    db.session.commit()
    assert db.session.scalar(select(Affiliation.partner_name)) == "セントポール市"


@pytest.mark.parametrize("line, expected", [
    ("422011,A,Saint Paul,XX,city,sister,1955,,,", "line 2, country: Unknown country code"),
    ("422011,A,Saint Paul,ZZ,city,sister,1955,,,", "line 2, country: Unknown country code"),
    ("422011,A,Saint Paul,US,city,twin,1955,,,", "line 2, kind: Must be one of sister, friendship, other, not twin."),
    ("422011,A,Saint Paul,US,town,sister,1955,,,", "line 2, partner_level: Must be one of city, state, other"),
    ("422011,A,Saint Paul,US,city,sister,1955,,magic;culture,", "line 2, fields: Unknown fields of exchange: magic"),
    ("422011,A,Saint Paul,US,city,sister,2999,,,", "line 2, established: 2999 is in the future."),
    ("422011,A,Saint Paul,US,city,sister,2024-07-02,,,", "line 2, established: 2024-07-02 is in the future."),
    ("422011,A,Saint Paul,US,city,sister,1955,1954,,", "line 2, ended: The end (1954) comes before the start (1955)."),
    ("422011,A,Saint Paul,US,city,sister,1955-12-07,1955-12-06,,", "line 2, ended: The end (1955-12-06) comes"),
    ("422011,A,Saint Paul,US,city,sister,1955-02-30,,,", "line 2, established: Write a year (YYYY) or a day"),
    ("422011,A,Saint Paul,US,city,sister,,,,", "line 2, established: This cell is empty."),
    ("422011,A,,US,city,sister,1955,,,", "line 2, partner_name_en: This cell is empty."),
    ("422012,A,Saint Paul,US,city,sister,1955,,,", "line 2, area_code: Wrong check digit in 422012"),
    ("JP,日本,Japan,US,city,sister,1955,,,", "line 2, area_code: A tie belongs to a prefecture or a municipality"),
])
def test_every_refusal_names_its_line_and_column_and_leaves_the_database_unchanged(app, areas, line, expected):
    import_affiliations(io.BytesIO(_csv(DAEGU)), "first.csv", None)
    db.session.commit()
    before = _snapshot()
    importer = AffiliationImporter(None, today=date(2024, 7, 1))
    result = run_import(importer, io.BytesIO(_csv(line, SAINT_PAUL)), "bad.csv", user_id=None)
    assert not result.ok
    assert any(str(issue).startswith(expected) for issue in result.errors), [str(i) for i in result.errors]
    db.session.rollback()
    assert _snapshot() == before


def test_a_file_refused_on_its_last_line_writes_none_of_its_good_lines(runner, tmp_path, areas):
    result = _cli(runner, tmp_path, _csv(SAINT_PAUL, DAEGU.replace("KR", "QQ")))
    assert result.exit_code == 1
    assert "line 3, country: Unknown country code (ISO 3166-1 alpha-2, such as US or KR): QQ." in result.output
    assert "nothing was imported" in result.output
    assert _snapshot() == ([], 0, 0)


def test_the_same_tie_twice_in_a_file_names_both_lines(app, areas):
    result = import_affiliations(io.BytesIO(_csv(SAINT_PAUL, DAEGU, SAINT_PAUL.replace("first", "again"))),
                                 "twice.csv", None)
    assert [str(issue) for issue in result.errors] == [
        "line 4, area_code, country, partner_name_en: The same figure is given twice: on line 2 and on line 4."]


def test_an_officer_imports_the_ties_of_its_areas_and_below_only(runner, tmp_path, areas):
    officer = factories.user("officer", areas=[areas["420000"]])  # Nagasaki prefecture
    db.session.commit()
    refused = _cli(runner, tmp_path, _csv(SAINT_PAUL, DAEGU), "--as", officer.email)
    assert refused.exit_code == 1
    assert "line 3, area_code: The area 341002 is outside your areas." in refused.output
    allowed = _cli(runner, tmp_path, _csv(SAINT_PAUL), "--as", officer.email)
    assert allowed.exit_code == 0, allowed.output
    assert db.session.scalar(select(Revision.user_id)) == officer.id


def test_a_viewer_may_not_import_affiliations_from_the_command_line(runner, tmp_path, areas):
    viewer = factories.user("viewer")
    db.session.commit()
    result = _cli(runner, tmp_path, _csv(SAINT_PAUL), "--as", viewer.email)
    assert result.exit_code == 1
    assert "may not import affiliations: nothing was imported" in result.output
    assert _snapshot() == ([], 0, 0)


def test_the_upload_page_imports_through_a_job_with_the_shared_report(client, auth, areas):
    officer = factories.user("officer", areas=[areas["420000"]], language="en")
    db.session.commit()
    auth.login(officer.email)
    page = client.post("/affiliations/import", data={"file": (io.BytesIO(_csv(SAINT_PAUL)), "ties.csv")},
                       follow_redirects=True).get_data(as_text=True)
    assert "Import of ties.csv" in page and "created 1, updated 0, unchanged 0" in page
    assert db.session.scalar(select(ImportJob.kind)) == "affiliations"
    listing = client.get("/imports/").get_data(as_text=True)
    assert "ties.csv" in listing and "<td>Affiliations</td>" in listing
    refused = client.post("/affiliations/import", data={"file": (io.BytesIO(_csv(DAEGU)), "daegu.csv")},
                          follow_redirects=True).get_data(as_text=True)
    assert "The area 341002 is outside your areas." in refused
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(Affiliation)) == 1


def test_the_templates_and_the_download_read_back_into_the_import(client, auth, areas):
    auth.login(factories.user("admin").email)
    import_affiliations(io.BytesIO(_csv(SAINT_PAUL, DAEGU)), "ties.csv", None)
    db.session.commit()
    template = client.get("/affiliations/template.csv?lang=ja").get_data(as_text=True)
    assert template.splitlines()[0].lstrip("\ufeff") == JAPANESE_HEADER.strip()
    download = client.get("/affiliations/download.csv")
    assert download.status_code == 200
    again = import_affiliations(io.BytesIO(download.get_data()), "download.csv", None)
    assert again.ok and (again.created, again.updated, again.unchanged) == (0, 0, 2)
    workbook = client.get("/affiliations/download.xlsx?area=340006")
    workbook.close()  # sent from a temporary file
    assert workbook.status_code == 200


CELLS = st.one_of(st.sampled_from(["", "422011", "JP", "US", "ZZ", "city", "state", "姉妹", "sister", "1955", "2999",
                                   "1955-02-30", "1955-12-07", "０１", "education;;culture", "観光、教育", "=1+1",
                                   "9" * 300, "\x00", "<a href=x>"]),
                  st.text(max_size=20))


@given(rows=st.lists(st.lists(CELLS, min_size=9, max_size=11), min_size=1, max_size=4))
def test_no_cell_breaks_the_import_and_a_refused_file_writes_nothing(app, rows):
    factories.area("422011")
    db.session.commit()
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER.strip().split(","))
    writer.writerows(rows)
    try:
        content = out.getvalue().encode("utf-8")
    except UnicodeEncodeError:
        return  # lone surrogates: not a file anyone can save
    before = _snapshot()  # the examples share the test's database
    result = import_affiliations(io.BytesIO(content), "cells.csv", None)
    if result.ok:
        db.session.commit()
    else:
        db.session.rollback()
        assert all(issue.message for issue in result.errors)
        assert _snapshot() == before
