"""`tracker import notes FILE`: the shared pipeline's all-or-nothing import, adding notes with a revision each."""

import io

from sqlalchemy import func, select

from tests import factories
from tracker.cli import main
from tracker.extensions import db
from tracker.models import ImportBatch, Note
from tracker.notes.importer import import_notes
from tracker.periods import current_month
from tracker.revisions import history

LAST = current_month().shift(-1)


def _notes() -> list[tuple[str, int, int, str, int | None]]:
    db.session.rollback()
    return [tuple(row) for row in db.session.execute(
        select(func.coalesce(Note.area_id, 0), Note.year, Note.month, Note.text, Note.author_id).order_by(Note.id))]


def test_the_command_line_adds_the_files_notes_once_with_a_revision_each(runner, tmp_path):
    tokyo, shinjuku = factories.area("130001"), factories.area("131041")
    factories.note(f"{LAST}", "Already here", area=tokyo)
    db.session.commit()
    path = tmp_path / "notes.csv"
    path.write_text(f"団体コード,年,月,備考\n130001,{LAST.year},{LAST.month},Already here\n"
                    f'13104,{LAST.year},{LAST.month},"台風で欠航\n2日間"\n'
                    f"131041,2015,4,=Festival\n", encoding="cp932")
    result = runner.invoke(main, args=["import", "notes", str(path), "--encoding", "cp932"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1] == "created 2, updated 0, unchanged 1"
    assert _notes()[1:] == [(shinjuku.id, LAST.year, LAST.month, "台風で欠航\n2日間", None),
                            (shinjuku.id, 2015, 4, "=Festival", None)]
    keys = [(r.record_key, r.new_value, r.source, r.batch_id, r.area_id)  # as the history shows them
            for r in history("notes", "area/") if r.batch_id is not None]
    ids = db.session.scalars(select(Note.id).where(Note.area_id == shinjuku.id).order_by(Note.id)).all()
    batch = db.session.scalar(select(ImportBatch.id).where(ImportBatch.kind == "notes"))
    assert sorted(keys) == sorted([
        (f"area/131041/{LAST}/{ids[0]}", "台風で欠航\n2日間", "import", batch, shinjuku.id),
        (f"area/131041/2015-04/{ids[1]}", "=Festival", "import", batch, shinjuku.id)])
    again = runner.invoke(main, args=["import", "notes", str(path), "--encoding", "cp932"])
    assert again.stdout.splitlines()[-1] == "created 0, updated 0, unchanged 3"
    assert len(_notes()) == 3


def test_a_file_with_any_bad_line_adds_nothing_and_names_each_line(app, tmp_path):
    factories.area("131041")
    officer = factories.user("officer", areas=[factories.area("130001")])
    body = (f"area_code,year,month,note\n131041,{LAST.year},{LAST.month},fine\n"
            f"271004,{LAST.year},{LAST.month},Osaka\n999999,{LAST.year},13,x\n"
            f"131041,{LAST.year},{LAST.month},   \n131041,{LAST.year},{LAST.month},fine\n"
            f"131041,{LAST.year},{LAST.month},{'x' * 2001}\n")
    factories.area("271004")
    db.session.commit()
    result = import_notes(io.BytesIO(body.encode()), "notes.csv", officer)
    assert not result.ok
    assert [(issue.line, issue.column) for issue in result.errors] == [
        (3, "area_code"), (4, "area_code"), (4, "month"), (5, "note"), (6, "area_code, year, month, note"),
        (7, "note")]
    assert "outside your areas" in result.errors[0].message
    db.session.rollback()
    assert _notes() == []


def test_only_who_writes_area_notes_may_import_them(runner, tmp_path):
    viewer = factories.user("viewer", email="viewer@example.jp")
    db.session.commit()
    path = tmp_path / "notes.csv"
    path.write_text("area_code,year,month,note\n130001,2015,4,x\n", encoding="utf-8")
    result = runner.invoke(main, args=["import", "notes", str(path), "--as", viewer.email])
    assert result.exit_code != 0 and "may not import notes" in result.output
    assert _notes() == []
