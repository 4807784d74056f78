"""`tracker import NAME`: what a feature's few lines with `file_import` get from tracker/imports/cli.py."""

import pytest

from tests import factories
from tracker import policy
from tracker.cli import main
from tracker.extensions import db
from tracker.imports.cli import file_import, import_group
from tracker.imports.pipeline import ImportResult, Issue


@pytest.fixture
def samples(tmp_path):
    """A `tracker import samples` command, as a feature's cli.py declares one; what it was called with."""
    calls = []

    @file_import("samples", policy.can_import_visitors, "samples")
    def import_samples_command(stream, filename, user, **options):
        """Import samples."""
        calls.append((stream.read(), filename, user, options["encoding"]))
        result = ImportResult(filename, rows=2, created=1, unchanged=1)
        if b"bad" in calls[-1][0]:
            result.add_error(Issue(2, "sample", "not a sample"))
        return result, ["new sample: 見本"]

    import_group.add_command(import_samples_command)
    path = tmp_path / "samples.csv"
    path.write_bytes(b"sample\nok\n")
    yield path, calls
    import_group.commands.pop("samples")


def test_a_declared_import_reads_the_file_commits_and_prints_its_lines_and_counts(runner, samples):
    path, calls = samples
    officer = factories.user("officer", areas=[factories.area("131130")], email="officer@example.jp")
    db.session.commit()
    result = runner.invoke(main, ["import", "samples", str(path), "--encoding", "cp932", "--as", officer.email])
    assert result.exit_code == 0, result.output
    assert calls == [(b"sample\nok\n", "samples.csv", officer, "cp932")]
    assert result.stdout.splitlines() == ["new sample: 見本", "created 1, updated 0, unchanged 1"]
    assert "Import samples." in runner.invoke(main, ["import", "samples", "--help"]).output


def test_a_declared_import_refuses_an_account_without_the_right(runner, samples):
    path, calls = samples
    viewer = factories.user("viewer", email="viewer@example.jp")
    db.session.commit()
    result = runner.invoke(main, ["import", "samples", str(path), "--as", viewer.email])
    assert (result.exit_code, calls) == (1, [])
    assert "Error: viewer@example.jp (viewer) may not import samples: nothing was imported" in result.output


def test_a_declared_import_with_errors_prints_them_and_exits_1(runner, samples):
    path, calls = samples
    path.write_bytes(b"sample\nbad\n")
    result = runner.invoke(main, ["import", "samples", str(path)])
    assert result.exit_code == 1
    assert calls[0][2] is None  # no --as: the command line's admin rights
    assert "new sample" not in result.output
    assert result.stderr.splitlines()[-2:] == ["line 2, sample: not a sample", "nothing was imported"]
