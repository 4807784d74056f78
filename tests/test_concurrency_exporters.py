"""An exporter moved to another municipality while its sales are being written, in real threads.

The prefecture and national sums count each sale where its exporter is. A write of sales (an import, the sales
form) sums them in the exporter's area; a move sums again every month the exporter sold in. Were the two to run
side by side, the move would miss the month the write adds, and the write would count it where the exporter no
longer is. So the move waits for the write under way to commit, and then sums its months too."""

from __future__ import annotations

import io
import threading
import time

import pytest
from sqlalchemy import select, text

from tests import factories
from tests.test_concurrency import EN, _assert_rollups_equal_a_recomputation, _client
from tracker.exports.importer import import_exports
from tracker.exports.services import SaleInput, save_month
from tracker.extensions import db
from tracker.models import Area, Exporter, ExportRollup
from tracker.periods import Month

IMPORT = ("exporter,area_code,year,month,product,hs_code,destination,quantity,unit,value_jpy\n"
          "Sakura Foods,131130,2024,6,Sake,220600,US,,,500\n")


def _import(exporter_id: int) -> None:
    result, _importer = import_exports(io.BytesIO(IMPORT.encode()), "june.csv", None)
    assert result.ok, [str(error) for error in result.errors]


def _sales_form(exporter_id: int) -> None:
    exporter = db.session.get(Exporter, exporter_id)
    save_month(None, exporter, Month(2024, 6), [SaleInput(product_id=exporter.products[0].id, destination="US",
                                                          value_jpy=500)], read={})


def _waiting_on_a_lock(moved: threading.Event) -> bool:
    """Whether the move waits: on PostgreSQL for a lock the write holds; SQLite runs one writer at a time, so
    there the move has simply not ended within a second."""
    deadline = time.monotonic() + (10 if db.engine.dialect.name == "postgresql" else 1)
    while time.monotonic() < deadline and not moved.is_set():
        if db.engine.dialect.name == "postgresql":
            with db.engine.connect() as connection:
                if connection.execute(text("SELECT count(*) FROM pg_locks WHERE NOT granted")).scalar():
                    return True
        time.sleep(0.05)
    return not moved.is_set()


@pytest.mark.parametrize("write", [_import, _sales_form], ids=["import", "sales form"])
def test_an_exporter_moved_while_its_new_month_is_written_is_summed_where_it_went(app, write):
    tokyo, osaka = factories.area("130001"), factories.area("270008")
    exporter = factories.new_exporter(factories.area("131130"), name="Sakura Foods")
    factories.area("271004")
    factories.export_sale(factories.product(exporter, name_ja="Sake", hs_code="220600"), 2024, 5, "US", 700)
    admin = factories.user("admin")
    db.session.commit()
    exporter_id = exporter.id
    written, release, moved = threading.Event(), threading.Event(), threading.Event()
    failures: list[BaseException] = []

    def writer() -> None:
        with app.app_context():
            try:
                write(exporter_id)
                written.set()
                release.wait(30)
                db.session.commit()
            except BaseException as error:  # noqa: BLE001 (reported by the test's assertion)
                failures.append(error)
                written.set()

    client = _client(app, admin)
    answers = []

    def move() -> None:
        answers.append(client.post(f"/exports/exporters/{exporter_id}/edit",
                                   data={"name": "Sakura Foods", "area_code": "271004"}, headers=EN).status_code)
        moved.set()

    threads = [threading.Thread(target=writer), threading.Thread(target=move)]
    threads[0].start()
    assert written.wait(30) and not failures, failures
    threads[1].start()
    waited = _waiting_on_a_lock(moved)
    release.set()
    for thread in threads:
        thread.join(60)
    assert not failures and answers == [302], (failures, answers)
    db.session.rollback()
    sums = db.session.execute(select(Area.code, ExportRollup.month, ExportRollup.value_jpy)
                              .join(Area, Area.id == ExportRollup.area_id)
                              .where(ExportRollup.area_id.in_([tokyo.id, osaka.id]))
                              .order_by(ExportRollup.month)).all()
    assert sums == [("270008", 5, 700), ("270008", 6, 500)]
    assert waited, "the move ended while sales of the exporter were being written"
    _assert_rollups_equal_a_recomputation()
