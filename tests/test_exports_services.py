"""Exporters, products and a month's sales, written without a request."""

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from tests import factories
from tracker.exports import queries
from tracker.exports.services import (
    ExporterInput,
    ExportError,
    Figures,
    ProductInput,
    SaleConflict,
    SaleInput,
    SalesConflict,
    create_exporter,
    create_product,
    hs_code_error,
    save_month,
    update_exporter,
    update_product,
    versions_after_conflict,
)
from tracker.extensions import db
from tracker.models import ExportProductRollup, ExportRollup, ExportSale, ReportingRollup, Revision
from tracker.periods import Month
from tracker.revisions import history
from tracker.rollups import rebuild_export_rollups

APRIL = Month(2024, 4)


def _sales():
    return sorted((s.product.name_ja, s.destination.code, s.value_jpy, s.quantity, s.unit, s.version)
                  for s in db.session.scalars(select(ExportSale).where(ExportSale.year == 2024)))


@pytest.mark.parametrize(("code", "ok"), [("220600", True), ("010121", True), ("970110", True), ("980000", False),
                                           ("000000", False), ("22060", False), ("2206000", False), ("22O600", False)])
def test_an_hs_code_has_six_digits_and_a_chapter_from_01_to_97(app, code, ok):
    assert (hs_code_error(code) is None) is ok


def test_an_exporter_belongs_to_a_municipality_and_has_a_unique_name(app):
    home = factories.area("172014")
    exporter = create_exporter(ExporterInput(name="金沢酒造", area_code="172014", contact="info@example.jp"))
    assert (exporter.area.code, exporter.contact) == ("172014", "info@example.jp")
    assert home.id == exporter.area_id
    with pytest.raises(ExportError) as duplicate:
        create_exporter(ExporterInput(name="金沢酒造", area_code="17"))
    assert set(duplicate.value.errors) == {"name", "area_code"}


def test_a_product_checks_hs_code_origin_and_unit(app):
    owner = factories.new_exporter()
    product = create_product(owner, ProductInput(name_ja="純米酒", name_en="Junmai sake", hs_code="220600",
                                                 origin_area_code="131016", default_unit="l"))
    assert (product.name_in("en"), product.name_in("ja"), product.origin_area.code) == (
        "Junmai sake", "純米酒", "131016")
    with pytest.raises(ExportError) as bad:
        create_product(owner, ProductInput(name_ja="純米酒", hs_code="990000", origin_area_code="999999",
                                           default_unit="box"))
    assert set(bad.value.errors) == {"name_ja", "hs_code", "origin_area_code", "default_unit"}
    update_product(product, ProductInput(name_ja="純米吟醸", hs_code=None))
    assert (product.name_ja, product.hs_code, product.origin_area) == ("純米吟醸", None, None)


def test_a_save_writes_the_month_with_revisions_and_rollups_in_one_go(app):
    owner = factories.new_exporter()
    sake, tea = factories.product(owner, "清酒"), factories.product(owner, "緑茶", hs_code="090210")
    user = factories.user("exporter", exporter=owner)
    result = save_month(user, owner, APRIL, [
        SaleInput(sake.id, "HK", 1_200_000, Decimal("300"), "l"),
        SaleInput(tea.id, "US", 450_000),
        SaleInput(tea.id, "SG", None),
    ], read={}, note="first")
    assert (result.created, result.updated, result.unchanged) == (2, 0, 0)
    assert _sales() == [("清酒", "HK", 1_200_000, Decimal("300.000"), "l", 1), ("緑茶", "US", 450_000, None, None, 1)]
    revisions = history("export_sales", f"{owner.id}/2024-04/")
    assert sorted((r.record_key, r.old_value, r.new_value, r.source, r.note, r.user_id) for r in revisions) == [
        (f"{owner.id}/2024-04/{sake.id}/HK", None, "1200000 JPY; 300 l", "form", "first", user.id),
        (f"{owner.id}/2024-04/{tea.id}/US", None, "450000 JPY", "form", "first", user.id),
    ]
    national = db.session.scalar(select(func.sum(ExportRollup.value_jpy)).where(
        ExportRollup.area_id == factories.area("JP").id, ExportRollup.year == 2024, ExportRollup.month == 4))
    assert national == 1_650_000


def _read(owner):
    """The versions of the month's sales, as the form reads them."""
    return {(r.product_id, r.destination): r.version for r in queries.month_rows(owner, APRIL) if r.version}


def test_a_second_save_updates_removes_and_counts_unchanged_rows(app):
    owner = factories.new_exporter()
    sake, tea = factories.product(owner, "清酒"), factories.product(owner, "緑茶")
    save_month(None, owner, APRIL, [SaleInput(sake.id, "HK", 100), SaleInput(tea.id, "US", 200)], read={})
    result = save_month(None, owner, APRIL, [SaleInput(sake.id, "HK", 150), SaleInput(tea.id, "US", None)],
                        read=_read(owner))
    assert (result.created, result.updated, result.deleted, result.unchanged) == (0, 1, 1, 0)
    assert _sales() == [("清酒", "HK", 150, None, None, 2)]
    removed = history("export_sales", f"{owner.id}/2024-04/{tea.id}/US")
    assert [(r.old_value, r.new_value) for r in removed] == [("200 JPY", None), (None, "200 JPY")]
    again = save_month(None, owner, APRIL, [SaleInput(sake.id, "HK", 150)], read=_read(owner))
    assert (again.updated, again.unchanged) == (0, 1)


def test_a_sale_read_but_left_out_of_the_rows_is_removed(app):
    owner = factories.new_exporter()
    sake = factories.product(owner, "清酒")
    save_month(None, owner, APRIL, [SaleInput(sake.id, "HK", 100), SaleInput(sake.id, "US", 5)], read={})
    result = save_month(None, owner, APRIL, [SaleInput(sake.id, "US", 5)], read=_read(owner))
    assert (result.deleted, result.unchanged) == (1, 1)
    assert _sales() == [("清酒", "US", 5, None, None, 1)]


def test_a_stale_version_refuses_the_whole_save_and_names_both_figures(app):
    owner = factories.new_exporter()
    sake, tea = factories.product(owner, "清酒"), factories.product(owner, "緑茶")
    save_month(None, owner, APRIL, [SaleInput(sake.id, "HK", 100)], read={})
    db.session.commit()
    read = _read(owner)
    save_month(None, owner, APRIL, [SaleInput(sake.id, "HK", 120, Decimal("3"), "t")], read=read)  # someone else's save
    db.session.commit()
    revisions_before = db.session.scalar(select(func.count()).select_from(Revision))
    with pytest.raises(SalesConflict) as conflict:
        save_month(None, owner, APRIL, [SaleInput(tea.id, "US", 5), SaleInput(sake.id, "HK", 999)], read=read)
    db.session.rollback()
    assert conflict.value.conflicts == [SaleConflict(sake.id, "HK", Figures(999), Figures(120, Decimal("3"), "t"))]
    assert _sales() == [("清酒", "HK", 120, Decimal("3.000"), "t", 2)]
    assert db.session.scalar(select(func.count()).select_from(Revision)) == revisions_before


def test_someone_else_saving_the_same_figures_is_no_conflict(app):
    owner = factories.new_exporter()
    sake = factories.product(owner, "清酒")
    save_month(None, owner, APRIL, [SaleInput(sake.id, "HK", 100)], read={})
    read = _read(owner)
    save_month(None, owner, APRIL, [SaleInput(sake.id, "HK", 120)], read=read)
    result = save_month(None, owner, APRIL, [SaleInput(sake.id, "HK", 120)], read=read)
    assert (result.updated, result.unchanged) == (0, 1)


def test_a_new_row_that_someone_else_created_meanwhile_is_a_conflict(app):
    owner = factories.new_exporter()
    sake = factories.product(owner, "清酒")
    save_month(None, owner, APRIL, [SaleInput(sake.id, "HK", 100)], read={})
    with pytest.raises(SalesConflict) as conflict:
        save_month(None, owner, APRIL, [SaleInput(sake.id, "HK", 300)], read={})
    assert conflict.value.conflicts == [SaleConflict(sake.id, "HK", Figures(300), Figures(100))]


def test_a_line_moved_to_another_destination_or_product_moves_the_sale_with_revisions(app):
    owner = factories.new_exporter()
    sake, tea = factories.product(owner, "清酒"), factories.product(owner, "緑茶")
    save_month(None, owner, APRIL, [SaleInput(sake.id, "HK", 100), SaleInput(tea.id, "US", 7)], read={})
    result = save_month(None, owner, APRIL, [SaleInput(sake.id, "SG", 100), SaleInput(sake.id, "US", 7)],
                        read=_read(owner))
    assert (result.created, result.updated, result.deleted) == (2, 0, 2)
    assert _sales() == [("清酒", "SG", 100, None, None, 1), ("清酒", "US", 7, None, None, 1)]
    key = f"{owner.id}/2024-04/{{}}/{{}}".format
    moves = {(r.record_key, r.old_value, r.new_value) for r in history("export_sales", f"{owner.id}/2024-04/")}
    assert moves == {(key(sake.id, "HK"), None, "100 JPY"), (key(tea.id, "US"), None, "7 JPY"),
                            (key(sake.id, "HK"), "100 JPY", None), (key(sake.id, "SG"), None, "100 JPY"),
                            (key(tea.id, "US"), "7 JPY", None), (key(sake.id, "US"), None, "7 JPY")}
    swapped = save_month(None, owner, APRIL, [SaleInput(sake.id, "SG", 7), SaleInput(sake.id, "US", 100)],
                         read=_read(owner))
    assert (swapped.updated, swapped.created, swapped.deleted) == (2, 0, 0)


def test_a_moved_line_whose_old_sale_changed_meanwhile_is_a_conflict(app):
    owner = factories.new_exporter()
    sake = factories.product(owner, "清酒")
    save_month(None, owner, APRIL, [SaleInput(sake.id, "HK", 100)], read={})
    read = _read(owner)
    save_month(None, owner, APRIL, [SaleInput(sake.id, "HK", 130)], read=read)
    with pytest.raises(SalesConflict) as conflict:
        save_month(None, owner, APRIL, [SaleInput(sake.id, "SG", 100)], read=read)
    assert conflict.value.conflicts == [SaleConflict(sake.id, "HK", None, Figures(130))]


def test_a_future_month_is_refused(app):
    owner = factories.new_exporter()
    sake = factories.product(owner, "清酒")
    with pytest.raises(ExportError) as future:
        save_month(None, owner, Month(2024, 5), [SaleInput(sake.id, "HK", 1)], read={},
                   today=date(2024, 4, 30))
    assert future.value.errors == {"month": "May 2024 is in the future."}
    assert save_month(None, owner, APRIL, [SaleInput(sake.id, "HK", 1)], read={},
                      today=date(2024, 4, 1)).created == 1


def test_invalid_rows_are_named_by_position_and_field(app):
    owner, other = factories.new_exporter(), factories.new_exporter()
    sake, foreign = factories.product(owner, "清酒"), factories.product(other, "和牛")
    with pytest.raises(ExportError) as invalid:
        save_month(None, owner, APRIL, [
            SaleInput(foreign.id, "HK", 1), SaleInput(sake.id, "XX", 1), SaleInput(sake.id, "hk", 1),
            SaleInput(sake.id, "US", -1), SaleInput(sake.id, "SG", 1, Decimal("5"), None),
            SaleInput(sake.id, "TW", 1, Decimal("5"), "box"), SaleInput(sake.id, "SG", 2),
        ], read={})
    assert invalid.value.errors.keys() == {(0, "product"), (1, "destination"), (2, "destination"), (3, "value_jpy"),
                                           (4, "unit"), (5, "unit"), (6, "destination")}
    assert _sales() == []


def test_the_month_rows_show_last_year_beside_this_year(app):
    owner = factories.new_exporter()
    sake = factories.product(owner, "清酒")
    factories.export_sale(sake, 2023, 4, "HK", 900)
    factories.export_sale(sake, 2023, 4, "US", 50)
    factories.export_sale(sake, 2024, 4, "HK", 1000)
    rows = queries.month_rows(owner, APRIL)
    assert [(r.destination, r.value_jpy, r.version, r.last_value) for r in rows] == [
        ("HK", 1000, 1, 900), ("US", None, None, 50)]


def test_a_refused_form_carries_the_versions_saved_now_of_its_sales_and_of_those_in_conflict():
    read = {(1, "HK"): 2}
    conflicts = [SaleConflict(1, "US", None, None)]
    current = {(1, "HK"): 3, (1, "US"): 1, (2, "TW"): 5}
    assert versions_after_conflict(read, conflicts, current) == {(1, "HK"): 3, (1, "US"): 1}
    assert versions_after_conflict({(9, "HK"): 1}, [], current) == {}  # removed meanwhile: nothing to carry


def test_an_exporter_moved_to_another_prefecture_moves_its_sales_in_the_prefecture_sums(app):
    tokyo, osaka = factories.area("130001"), factories.area("270008")
    exporter = factories.new_exporter(factories.area("131130"), name="Sakura Foods")
    factories.area("271004")
    item = factories.product(exporter, name_ja="Sake", hs_code="220600")
    factories.export_sale(item, 2024, 4, "US", 1000)
    factories.export_sale(item, 2024, 5, "US", 700)
    db.session.commit()
    rebuild_export_rollups()
    db.session.commit()

    update_exporter(exporter, ExporterInput(name="Sakura Foods", area_code="271004"))
    db.session.commit()

    def sums(model, value):
        return sorted(db.session.execute(select(model.area_id, model.month, value).where(
            model.area_id.in_([tokyo.id, osaka.id]))).all())

    assert sums(ExportRollup, ExportRollup.value_jpy) == [(osaka.id, 4, 1000), (osaka.id, 5, 700)]
    assert sums(ExportProductRollup, ExportProductRollup.value_jpy) == [(osaka.id, 4, 1000), (osaka.id, 5, 700)]
    assert sums(ReportingRollup, ReportingRollup.reporters) == [(osaka.id, 4, 1), (osaka.id, 5, 1)]
