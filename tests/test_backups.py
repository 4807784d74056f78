"""`tracker backup` and `tracker restore`: a copy taken while the app runs, checked before it is put back."""

import shutil
import sqlite3

import pytest
from sqlalchemy import select

from tests import factories
from tracker.backups import services
from tracker.cli import main
from tracker.extensions import db
from tracker.models import ExportSale, Revision, VisitorCount
from tracker.revisions import Change, record_changes


def _run(runner, *args):
    return runner.invoke(main, list(args), catch_exceptions=False)


def _figures() -> dict:
    db.session.rollback()
    visitors = {(c.area.code, c.year, c.month, c.market.code): c.visitors for c in db.session.scalars(
        select(VisitorCount))}
    sales = {(s.exporter.name, s.year, s.month, s.destination.code): s.value_jpy for s in db.session.scalars(
        select(ExportSale))}
    return {"visitors": visitors, "sales": sales, "revisions": len(db.session.scalars(select(Revision)).all())}


def _some_figures():
    tokyo, chiyoda = factories.area("130001"), factories.area("131016")
    for month in range(1, 13):
        factories.visitor_count(tokyo, 2023, month, "CN", 1000 + month)
        factories.visitor_count(chiyoda, 2023, month, "KR", 10 * month)
    sake = factories.product(factories.new_exporter(chiyoda, name="Sakura Foods"))
    for month in range(1, 7):
        factories.export_sale(sake, 2023, month, "US", 1_000_000 * month)
    record_changes("visitor_counts", [Change("130001/2023-01/CN", None, "1001")], source="form", user_id=None)
    db.session.commit()


def _needs_backend_tools():
    if db.engine.dialect.name == "postgresql":
        for tool in ("pg_dump", "pg_restore"):
            try:
                services._tool(tool)
            except services.BackupError:
                pytest.skip(f"{tool} is not installed")


def test_a_restored_backup_holds_every_figure_and_only_those(app, runner, tmp_path):
    _needs_backend_tools()
    _some_figures()
    saved = _figures()
    path = tmp_path / "tracker.backup"
    result = _run(runner, "backup", str(path))
    assert result.exit_code == 0 and result.output.startswith(f"backed up to {path} (")
    # after the backup: a figure changed, one deleted, one added
    db.session.execute(VisitorCount.__table__.update().where(VisitorCount.month == 1).values(visitors=1))
    db.session.execute(ExportSale.__table__.delete().where(ExportSale.month == 2))
    factories.visitor_count(factories.area("270008"), 2023, 1, "US", 5)
    db.session.commit()
    assert _figures() != saved
    db.session.remove()

    result = _run(runner, "restore", "--yes", str(path))
    assert result.exit_code == 0, result.output
    assert result.output == f"restored {path} (schema revision {services.expected_revision()})\n"
    assert _figures() == saved
    assert len(saved["visitors"]) == 24 and len(saved["sales"]) == 6


def test_a_backup_taken_while_another_connection_writes_is_whole(app, runner, tmp_path):
    """The copy is one moment of the database: a transaction still open elsewhere is in it entirely or not at all."""
    _needs_backend_tools()
    _some_figures()
    saved = _figures()
    other = db.engine.connect()
    transaction = other.begin()
    other.execute(VisitorCount.__table__.update().values(visitors=0))
    try:
        result = _run(runner, "backup", str(tmp_path / "copy"))
    finally:
        transaction.rollback()
        other.close()
    assert result.exit_code == 0
    db.session.execute(VisitorCount.__table__.delete())
    db.session.commit()
    db.session.remove()
    assert _run(runner, "restore", "--yes", str(tmp_path / "copy")).exit_code == 0
    assert _figures() == saved


def test_restore_refuses_a_file_that_is_no_backup_and_changes_nothing(app, runner, tmp_path):
    _needs_backend_tools()
    _some_figures()
    saved = _figures()
    junk = tmp_path / "junk.backup"
    junk.write_bytes(b"this is not a database\n" * 100)
    result = runner.invoke(main, ["restore", "--yes", str(junk)])
    assert result.exit_code == 1
    assert result.output.count("\n") == 1 and result.output.startswith("Error: ")
    assert _figures() == saved


def test_restore_asks_before_replacing_the_database(app, runner, tmp_path):
    _needs_backend_tools()
    path = tmp_path / "tracker.backup"
    assert _run(runner, "backup", str(path)).exit_code == 0
    result = runner.invoke(main, ["restore", str(path)], input="n\n")
    assert result.exit_code == 1 and "Aborted" in result.output


def _sqlite_only():
    if db.engine.dialect.name != "sqlite":
        pytest.skip("a check of SQLite files")


def test_restore_refuses_a_sqlite_file_without_the_trackers_tables(app, runner, tmp_path):
    _sqlite_only()
    other = tmp_path / "other.sqlite"
    with sqlite3.connect(other) as connection:
        connection.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY)")
    result = runner.invoke(main, ["restore", "--yes", str(other)])
    assert result.exit_code == 1
    assert "is not a backup of the tracker: it lacks the tables" in result.output and "visitor_counts" in result.output


def test_restore_refuses_a_backup_of_another_schema_revision(app, runner, tmp_path):
    _sqlite_only()
    path = tmp_path / "old.sqlite"
    assert _run(runner, "backup", str(path)).exit_code == 0
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '0005'")
    result = runner.invoke(main, ["restore", "--yes", str(path)])
    assert result.exit_code == 1
    assert f"holds schema revision 0005, this version of the tracker needs {services.expected_revision()}" in (
        result.output)


def test_restore_refuses_a_damaged_sqlite_file(app, runner, tmp_path):
    _sqlite_only()
    _some_figures()
    path = tmp_path / "damaged.sqlite"
    assert _run(runner, "backup", str(path)).exit_code == 0
    data = bytearray(path.read_bytes())
    page = 4096
    for offset in range(3 * page, len(data) - page, page):  # every page's header after the first few
        data[offset:offset + 8] = b"\xff" * 8
    path.write_bytes(bytes(data))
    result = runner.invoke(main, ["restore", "--yes", str(path)])
    assert result.exit_code == 1 and "Error: " in result.output
    assert _figures()["visitors"]


def test_a_sqlite_backup_is_one_file_and_never_the_database_itself(app, runner, tmp_path):
    _sqlite_only()
    path = tmp_path / "copy.sqlite"
    assert _run(runner, "backup", str(path)).exit_code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["copy.sqlite"]
    with sqlite3.connect(path) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone() == ("delete",)
    result = runner.invoke(main, ["backup", db.engine.url.database])
    assert result.exit_code == 1 and "cannot be written over the database itself" in result.output


def test_without_pg_dump_the_backup_says_how_in_one_line(app, runner, tmp_path, monkeypatch):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite needs no client program")
    monkeypatch.setattr(shutil, "which", lambda name: None)
    monkeypatch.setattr(services.glob, "glob", lambda pattern: [])
    result = runner.invoke(main, ["backup", str(tmp_path / "x.dump")])
    assert result.exit_code == 1
    assert result.output.count("\n") == 1
    assert "pg_dump is not installed: install PostgreSQL's client programs" in result.output
    assert not (tmp_path / "x.dump").exists()
