"""An import records the figures it creates with one revision for the batch; the history, the audit page and its
download show each created figure as its own revision: created by that import, by whom, when, with its value."""

import io
from datetime import timedelta

from sqlalchemy import func, select

from tests import factories
from tracker.affiliations.importer import import_affiliations
from tracker.affiliations.services import save_affiliation
from tracker.audit.queries import AuditFilter, revision_page, revision_rows
from tracker.exports.importer import import_exports
from tracker.exports.services import ExporterInput, SaleInput, update_exporter
from tracker.exports.services import save_month as save_sales
from tracker.extensions import db
from tracker.models import Affiliation, ExportSale, ImportBatch, Note, Product, Revision, VisitorCount
from tracker.models._types import utcnow
from tracker.notes.importer import import_notes
from tracker.notes.services import delete_note
from tracker.periods import Month, current_month
from tracker.revisions import all_revisions, history, newest_first, revisions_from
from tracker.revisions import revision_page as page_of_revisions
from tracker.visitors.importer import import_visitors
from tracker.visitors.services import Entry, save_month

SHIBUYA, CHIYODA, OSAKA_CITY = "131130", "131016", "271004"
HEADER = "area_code,year,month,market,visitors,status\n"


def _import_visitors(body: str, user, name: str = "visitors.csv"):
    result = import_visitors(io.BytesIO((HEADER + body).encode()), name, user)
    assert result.ok, result.errors
    db.session.commit()
    return result


def _seen(revisions) -> list[tuple]:
    return [(r.record_key, r.old_value, r.new_value, r.source, r.user.email if r.user else None,
             r.batch.filename if r.batch else None, r.area.code if r.area else None, r.note) for r in revisions]


def test_a_bulk_import_writes_one_revision_and_the_history_shows_each_created_figure(app):
    shibuya, chiyoda = factories.area(SHIBUYA), factories.area(CHIYODA)
    officer = factories.user("officer", email="sato@example.jp", areas=[factories.area("130001")])
    db.session.commit()
    result = _import_visitors("131130,2015,4,CN,1200,provisional\n131130,2015,4,KR,300,\n"
                              "131016,2015,4,CN,50,estimate\n", officer)
    assert db.session.scalar(select(func.count()).select_from(Revision)) == 1
    assert _seen(history("visitor_counts", f"{SHIBUYA}/2015-04/")) == [
        (f"{SHIBUYA}/2015-04/KR", None, "300", "import", "sato@example.jp", "visitors.csv", SHIBUYA,
         "status: final"),
        (f"{SHIBUYA}/2015-04/CN", None, "1200", "import", "sato@example.jp", "visitors.csv", SHIBUYA,
         "status: provisional"),
    ]
    created = history("visitor_counts", f"{CHIYODA}/2015-04/")
    assert _seen(created) == [(f"{CHIYODA}/2015-04/CN", None, "50", "import", "sato@example.jp", "visitors.csv",
                               CHIYODA, "status: estimate")]
    assert created[0].batch_id == result.batch_id
    assert abs(created[0].created_at - db.session.get(ImportBatch, result.batch_id).created_at) < timedelta(seconds=5)
    assert history("visitor_counts", f"{SHIBUYA}/2015-05/") == []
    assert shibuya.id != chiyoda.id


def test_an_update_after_the_import_shows_old_to_new_and_the_creation_keeps_its_value(app):
    shibuya = factories.area(SHIBUYA)
    officer = factories.user("officer", email="sato@example.jp", areas=[shibuya])
    db.session.commit()
    _import_visitors("131130,2015,4,CN,1200,provisional\n131130,2015,4,KR,300,provisional\n", officer,
                     name="first.csv")
    _import_visitors("131130,2015,4,CN,1500,final\n131130,2015,4,KR,300,provisional\n", None, name="second.csv")
    save_month(officer, shibuya, Month(2015, 4), [Entry("KR", 310)], read={"KR": 1}, status="provisional",
              restatus=False)
    db.session.commit()
    seen = _seen(history("visitor_counts", f"{SHIBUYA}/2015-04/"))
    assert seen == [
        (f"{SHIBUYA}/2015-04/KR", "300", "310", "form", "sato@example.jp", None, SHIBUYA, ""),
        (f"{SHIBUYA}/2015-04/CN", "1200", "1500", "import", None, "second.csv", SHIBUYA,
         "status: provisional -> final"),
        (f"{SHIBUYA}/2015-04/KR", None, "300", "import", "sato@example.jp", "first.csv", SHIBUYA,
         "status: provisional"),
        (f"{SHIBUYA}/2015-04/CN", None, "1200", "import", "sato@example.jp", "first.csv", SHIBUYA,
         "status: provisional"),
    ]


def test_the_audit_filters_an_imports_created_figures_by_account_area_kind_source_and_time(app):
    shibuya, osaka = factories.area(SHIBUYA), factories.area(OSAKA_CITY)
    officer = factories.user("officer", email="sato@example.jp", areas=[shibuya])
    admin = factories.user("admin", email="admin@example.jp")
    db.session.commit()
    _import_visitors("131130,2015,4,CN,1200,\n", officer)
    _import_visitors("271004,2015,4,KR,70,\n", admin, name="osaka.csv")

    def keys(**where) -> list[str]:
        return [revision.record_key for revision in revision_page(AuditFilter(**where), 1).items]

    assert keys() == [f"{OSAKA_CITY}/2015-04/KR", f"{SHIBUYA}/2015-04/CN"]
    assert keys(user_id=officer.id) == [f"{SHIBUYA}/2015-04/CN"]
    assert keys(area_id=shibuya.parent_id) == [f"{SHIBUYA}/2015-04/CN"]
    assert keys(area_id=osaka.id) == [f"{OSAKA_CITY}/2015-04/KR"]
    assert keys(kind="export_sales") == [] and keys(source="form") == []
    assert keys(kind="visitor_counts", source="import", user_id=admin.id) == [f"{OSAKA_CITY}/2015-04/KR"]
    now = utcnow()
    assert keys(start=now + timedelta(minutes=1)) == []
    assert keys(end=now - timedelta(minutes=1)) == []
    assert len(keys(start=now - timedelta(minutes=1), end=now + timedelta(minutes=1))) == 2
    page = revision_page(AuditFilter(user_id=officer.id), 1)
    assert (page.total, page.has_next, page.has_prev) == (1, False, False)
    rows = [row[1:] for row in revision_rows(AuditFilter(user_id=officer.id))]
    assert rows == [("sato@example.jp", "visitor_counts", f"{SHIBUYA}/2015-04/CN", SHIBUYA, None, "1200", "import",
                     "visitors.csv", "status: final")]


def test_the_audit_pages_through_created_figures_and_stored_revisions_newest_first(app):
    shibuya = factories.area(SHIBUYA)
    officer = factories.user("officer", areas=[shibuya])
    db.session.commit()
    markets = ["CN", "KR", "US", "TW", "HK", "TH", "SG", "GB", "FR", "DE", "AU", "CA"]
    for market in markets:
        factories.market(market)
    db.session.commit()
    lines = "".join(f"131130,{2015 + index // 12},{index % 12 + 1},{market},{index + 1},\n"
                    for index in range(60) for market in markets[index % 12:index % 12 + 1])
    _import_visitors(lines, officer)
    save_month(officer, shibuya, Month(2015, 1), [Entry("CN", 999)], read={"CN": 1}, status="final", restatus=False)
    db.session.commit()
    first, second = revision_page(AuditFilter(), 1), revision_page(AuditFilter(), 2)
    assert first.total == 61 and len(first.items) == 50 and len(second.items) == 11 and not second.has_next
    assert (first.items[0].old_value, first.items[0].new_value, first.items[0].source) == ("1", "999", "form")
    assert len({revision.record_key for revision in first.items + second.items}) == 60


def test_an_export_imports_created_sales_show_in_the_exporters_history(app):
    factories.area(CHIYODA)
    factories.market("US")
    db.session.commit()
    result, importer = import_exports(io.BytesIO(
        ("exporter,area_code,year,month,product,hs_code,destination,quantity,unit,value_jpy\n"
         f"Sakura Foods,{CHIYODA},2024,1,Sake,220600,US,12.5,l,1000\n").encode()), "sales.csv", None)
    assert result.ok and importer.created_exporters == ["Sakura Foods"]
    db.session.commit()
    exporter_id, product_id = db.session.execute(select(Product.exporter_id, Product.id)).one()
    assert _seen(history("export_sales", f"{exporter_id}/2024-01/")) == [
        (f"{exporter_id}/2024-01/{product_id}/US", None, "1000 JPY; 12.5 l", "import", None, "sales.csv", CHIYODA, "")]


def test_notes_import_through_the_engine_and_their_history_shows_each_note(app):
    shibuya = factories.area(SHIBUYA)
    officer = factories.user("officer", email="sato@example.jp", areas=[shibuya])
    db.session.commit()
    last = current_month().shift(-1)
    body = f"area_code,year,month,note\n131130,{last.year},{last.month},Typhoon\n131130,{last.year},{last.month},Fair\n"
    result = import_notes(io.BytesIO(body.encode()), "notes.csv", officer)
    assert result.ok and (result.created, result.unchanged) == (2, 0)
    db.session.commit()
    again = import_notes(io.BytesIO(body.encode()), "notes.csv", officer)
    assert (again.created, again.unchanged) == (0, 2)
    db.session.commit()
    seen = _seen(history("notes", f"area/{SHIBUYA}/{last}/"))
    assert [(key.rsplit("/", 1)[0], *rest) for key, *rest in seen] == [
        (f"area/{SHIBUYA}/{last}", None, "Fair", "import", "sato@example.jp", "notes.csv", SHIBUYA, ""),
        (f"area/{SHIBUYA}/{last}", None, "Typhoon", "import", "sato@example.jp", "notes.csv", SHIBUYA, ""),
    ]


def test_the_audit_page_lists_created_figures_of_two_kinds_that_share_an_id_once_each(app):
    factories.area(CHIYODA)
    factories.market("US")
    db.session.commit()
    _import_visitors("131016,2015,4,US,10,\n", None)
    result, _importer = import_exports(io.BytesIO(
        ("exporter,area_code,year,month,product,hs_code,destination,quantity,unit,value_jpy\n"
         f"Sakura Foods,{CHIYODA},2015,4,Sake,220600,US,,,1000\n").encode()), "sales.csv", None)
    assert result.ok
    db.session.commit()
    items = revision_page(AuditFilter(), 1).items
    assert [(revision.table_name, revision.new_value) for revision in items] == [
        ("export_sales", "1000 JPY"), ("visitor_counts", "10")]


def test_a_deleted_figure_keeps_the_import_that_created_it_in_its_history(app):
    shibuya = factories.area(SHIBUYA)
    officer = factories.user("officer", email="sato@example.jp", areas=[shibuya])
    db.session.commit()
    _import_visitors("131130,2015,4,CN,1200,provisional\n131130,2015,4,KR,300,provisional\n", officer,
                     name="first.csv")
    _import_visitors("131130,2015,4,CN,1500,provisional\n", None, name="second.csv")
    version = db.session.scalar(select(VisitorCount.version).where(VisitorCount.visitors == 1500))
    save_month(officer, shibuya, Month(2015, 4), [Entry("CN", None)], read={"CN": version}, status="provisional",
              restatus=False)
    db.session.commit()
    assert _seen(history("visitor_counts", f"{SHIBUYA}/2015-04/CN")) == [
        (f"{SHIBUYA}/2015-04/CN", "1500", None, "form", "sato@example.jp", None, SHIBUYA, ""),
        (f"{SHIBUYA}/2015-04/CN", "1200", "1500", "import", None, "second.csv", SHIBUYA, ""),
        (f"{SHIBUYA}/2015-04/CN", None, "1200", "import", "sato@example.jp", "first.csv", SHIBUYA,
         "status: provisional"),
    ]
    assert [r.new_value for r in history("visitor_counts", f"{SHIBUYA}/2015-04/KR")] == ["300"]


def test_a_deleted_sale_and_note_keep_their_creation_in_their_history(app):
    shibuya = factories.area(SHIBUYA)
    factories.area(CHIYODA)
    factories.market("US")
    officer = factories.user("officer", email="sato@example.jp", areas=[shibuya])
    db.session.commit()
    result, _importer = import_exports(io.BytesIO(
        ("exporter,area_code,year,month,product,hs_code,destination,quantity,unit,value_jpy\n"
         f"Sakura Foods,{CHIYODA},2024,1,Sake,220600,US,12.5,l,1000\n").encode()), "sales.csv", None)
    assert result.ok
    db.session.commit()
    sale = db.session.scalars(select(ExportSale)).one()
    save_sales(None, sale.exporter, Month(2024, 1), [], read={(sale.product_id, "US"): sale.version})
    db.session.commit()
    assert [(r.old_value, r.new_value, r.source) for r in history("export_sales", f"{sale.exporter_id}/2024-01/")] == [
        ("1000 JPY; 12.5 l", None, "form"), (None, "1000 JPY; 12.5 l", "import")]

    last = current_month().shift(-1)
    assert import_notes(io.BytesIO(f"area_code,year,month,note\n131130,{last.year},{last.month},Typhoon\n".encode()),
                        "notes.csv", officer).ok
    db.session.commit()
    delete_note(officer, db.session.scalars(select(Note)).one())
    db.session.commit()
    assert [(r.old_value, r.new_value, r.source) for r in history("notes", f"area/{SHIBUYA}/{last}/")] == [
        ("Typhoon", None, "form"), (None, "Typhoon", "import")]


def test_a_page_of_the_audit_holds_only_its_own_created_figures_when_two_kinds_share_ids(app):
    factories.area(CHIYODA)
    db.session.commit()
    markets = ["CN", "KR", "US", "TW", "HK", "TH", "SG", "GB", "FR", "DE", "AU", "CA"]
    _import_visitors("".join(f"131016,{2010 + index // 12},{index % 12 + 1},{market},{index + 1},\n"
                             for index in range(5) for market in markets), None)
    result, _importer = import_exports(io.BytesIO(
        ("exporter,area_code,year,month,product,hs_code,destination,quantity,unit,value_jpy\n"
         f"Sakura Foods,{CHIYODA},2015,4,Sake,220600,US,,,1000\n"
         f"Sakura Foods,{CHIYODA},2015,4,Sake,220600,CN,,,2000\n").encode()), "sales.csv", None)
    assert result.ok
    db.session.commit()
    first, second = revision_page(AuditFilter(), 1), revision_page(AuditFilter(), 2)
    assert first.total == 62 and (len(first.items), len(second.items)) == (50, 12)
    seen = [(revision.table_name, revision.record_key) for revision in first.items + second.items]
    assert len(set(seen)) == 62
    assert [table for table, _key in seen[:2]] == ["export_sales", "export_sales"]



def test_a_tie_renamed_after_its_import_keeps_its_creation_under_the_name_it_was_created_with(app):
    city = factories.area("422011")
    officer = factories.user("officer", areas=[city.parent])
    db.session.commit()
    header = "area_code,partner_name,partner_name_en,country,partner_level,kind,established,ended,fields,note\n"
    assert import_affiliations(io.BytesIO(
        (header + "422011,セントポール市,Saint Paul,US,city,sister,1955,,culture,first\n").encode()),
        "ties.csv", None).ok
    db.session.commit()
    tie = db.session.scalars(select(Affiliation)).one()
    raw = {"partner_name": "セントポール市", "partner_name_en": "Saint Paul", "country": "US", "partner_level": "city",
           "kind": "sister", "established": "1955", "ended": "", "fields": "culture", "note": "first"}
    for version, changes in enumerate(({"note": "edited"}, {"partner_name_en": "St. Paul", "note": "renamed"},
                                       {"partner_name_en": "St. Paul", "note": "later"}), start=1):
        save_affiliation(officer, city, {**raw, **changes}, affiliation=tie, version=version)
        db.session.commit()

    def notes(text: str | None) -> str | None:
        return text and text.rsplit("note: ", 1)[1]

    seen = [(r.record_key, notes(r.old_value), notes(r.new_value), r.source)
            for r in history("affiliations", "422011/")]
    assert seen == [
        ("422011/US/St. Paul", "renamed", "later", "form"),
        ("422011/US/St. Paul", None, "renamed", "form"),
        ("422011/US/Saint Paul", "edited", None, "form"),
        ("422011/US/Saint Paul", "first", "edited", "form"),
        ("422011/US/Saint Paul", None, "first", "import"),
    ]
    assert [notes(r.new_value) for r in revision_page(AuditFilter(), 1).items] == ["later", "renamed", None, "edited",
                                                                                  "first"]


def test_an_exporter_moved_to_another_area_leaves_its_imported_sales_creations_in_the_area_they_were_made_in(app):
    chiyoda, osaka = factories.area(CHIYODA), factories.area(OSAKA_CITY)
    factories.market("US")
    factories.market("CN")
    db.session.commit()
    header = "exporter,area_code,year,month,product,hs_code,destination,quantity,unit,value_jpy\n"
    assert import_exports(io.BytesIO((header + f"Sakura Foods,{CHIYODA},2024,1,Sake,220600,US,,,1000\n"
                                      f"Sakura Foods,{CHIYODA},2024,1,Sake,220600,CN,,,2000\n"
                                      f"Ume Trading,{CHIYODA},2024,1,Tea,090210,US,,,500\n").encode()),
                          "sales.csv", None)[0].ok
    db.session.commit()
    sale = db.session.scalars(select(ExportSale).where(ExportSale.value_jpy == 1000)).one()
    exporter, product_id = sale.exporter, sale.product_id
    save_sales(None, exporter, Month(2024, 1), [SaleInput(product_id, "US", 1500), SaleInput(product_id, "CN", 2000)],
               read={(product_id, "US"): 1, (product_id, "CN"): 1})
    db.session.commit()
    updated_at = db.session.scalar(select(ExportSale.updated_at).where(ExportSale.id == sale.id))
    update_exporter(exporter, ExporterInput(name=exporter.name, area_code=OSAKA_CITY))
    db.session.commit()

    def seen(area) -> list[tuple]:
        return sorted(((r.record_key, r.old_value, r.new_value, r.source, r.area.code)
                       for r in revision_page(AuditFilter(area_id=area.id), 1).items), key=str)

    sake = f"{exporter.id}/2024-01/{product_id}"
    assert [row for row in seen(chiyoda) if row[0].startswith(f"{exporter.id}/")] == [
        (f"{sake}/CN", None, "2000 JPY", "import", CHIYODA),
        (f"{sake}/US", "1000 JPY", "1500 JPY", "form", CHIYODA),
        (f"{sake}/US", None, "1000 JPY", "import", CHIYODA),
    ]
    assert len(seen(chiyoda)) == 4 and seen(osaka) == []
    assert [(r.record_key, r.old_value, r.new_value, r.source, r.batch.filename if r.batch else None)
            for r in history("export_sales", f"{sake}/US")] == [
        (f"{sake}/US", "1000 JPY", "1500 JPY", "form", None), (f"{sake}/US", None, "1000 JPY", "import", "sales.csv")]
    assert db.session.scalar(select(func.count()).select_from(ExportSale).where(
        ExportSale.exporter_id == exporter.id, ExportSale.created_batch_id.is_not(None))) == 0
    assert db.session.scalar(select(ExportSale.updated_at).where(ExportSale.id == sale.id)) == updated_at


def test_every_page_of_every_size_is_the_slice_of_all_revisions_newest_first(app):
    shibuya = factories.area(SHIBUYA)
    factories.area(CHIYODA)
    officer = factories.user("officer", areas=[shibuya])
    db.session.commit()
    _import_visitors("".join(f"131130,2015,{month},CN,{month},\n131130,2015,{month},KR,{month},\n"
                             for month in range(1, 4)), officer, name="a.csv")
    save_month(officer, shibuya, Month(2015, 2), [Entry("CN", 20), Entry("KR", None)], read={"CN": 1, "KR": 1},
               status="final", restatus=False)
    db.session.commit()
    assert import_exports(io.BytesIO(
        ("exporter,area_code,year,month,product,hs_code,destination,quantity,unit,value_jpy\n" + "".join(
            f"Sakura Foods,{CHIYODA},2015,{month},Sake,220600,US,,,{month}000\n" for month in range(1, 5))).encode()),
        "sales.csv", None)[0].ok
    db.session.commit()
    save_month(officer, shibuya, Month(2015, 3), [Entry("CN", 30)], read={"CN": 1}, status="final", restatus=False)
    db.session.commit()
    _import_visitors("131130,2015,5,CN,5,\n131130,2015,5,KR,5,\n131130,2015,4,CN,4,\n", None, name="b.csv")

    def seen(revisions) -> list[tuple]:
        return [(r.table_name, r.record_key, r.old_value, r.new_value, r.batch_id) for r in revisions]

    for conditions in (lambda columns: [], lambda columns: [columns["area_id"] == shibuya.id],
                       lambda columns: [columns["source"] == "import"]):
        rows = all_revisions(conditions)
        every = seen(revisions_from(db.session.execute(select(rows).order_by(*newest_first(rows)))))
        assert len(every) > 10
        for limit in (1, 3, 4, 50):
            for offset in range(0, len(every) + 1, limit):
                total, items = page_of_revisions(conditions, None, limit, offset)
                assert (total, seen(items)) == (len(every), every[offset:offset + limit]), (limit, offset)
