"""Notes: who may write and read them, what a note may hold, and the revision every change leaves."""

from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from tests import factories
from tracker import policy
from tracker.exports.queries import detail_visible
from tracker.extensions import db
from tracker.models import Note, Revision
from tracker.notes.queries import area_notes, chart_notes, exporter_notes, exporters_notes
from tracker.notes.services import NoteError, add_note, delete_note, edit_note, seen_stamp
from tracker.periods import Month

AUGUST = Month(2024, 8)


def _revisions() -> list[tuple[str, str | None, str | None, str, str]]:
    rows = db.session.execute(select(Revision.record_key, Revision.old_value, Revision.new_value, Revision.source,
                                     Revision.area_id).where(Revision.table_name == "notes")
                              .order_by(Revision.id))
    return [tuple(row) for row in rows]


@pytest.fixture
def world(app):
    tokyo, shinjuku, osaka = factories.area("130001"), factories.area("131041"), factories.area("270008")
    brewer = factories.new_exporter(shinjuku, name="新宿酒造")
    other = factories.new_exporter(factories.area("271004"), name="大阪酒造")
    users = {
        "admin": factories.user("admin"),
        "tokyo_officer": factories.user("officer", areas=[tokyo]),
        "osaka_officer": factories.user("officer", areas=[osaka]),
        "brewer": factories.user("exporter", exporter=brewer),
        "other_exporter": factories.user("exporter", exporter=other),
        "viewer": factories.user("viewer"),
    }
    return {"tokyo": tokyo, "shinjuku": shinjuku, "osaka": osaka, "brewery": brewer, "other_brewery": other,
            **users}


@pytest.mark.parametrize(("role", "tokyo", "shinjuku", "osaka"), [
    ("admin", True, True, True),
    ("tokyo_officer", True, True, False),  # its prefecture and the municipalities below it
    ("osaka_officer", False, False, True),
    ("brewer", False, False, False),
    ("viewer", False, False, False),
])
def test_officers_write_notes_on_the_months_of_their_areas_and_those_below(world, role, tokyo, shinjuku, osaka):
    user = world[role]
    assert [policy.can_write_area_notes(user, world[name]) for name in ("tokyo", "shinjuku", "osaka")] == \
        [tokyo, shinjuku, osaka]


@pytest.mark.parametrize(("role", "writes", "reads"), [
    ("admin", True, True),
    ("brewer", True, True),
    ("other_exporter", False, False),
    ("tokyo_officer", False, True),  # reads the detail of the exporters it oversees, writes no sales
    ("osaka_officer", False, False),
    ("viewer", False, False),
])
def test_exporters_write_notes_on_their_own_sales_months_only(world, role, writes, reads):
    user = world[role]
    assert policy.can_write_exporter_notes(user, world["brewery"]) is writes
    assert policy.can_read_exporter_notes(user, world["brewery"]) is reads


def test_a_note_is_added_with_its_author_and_a_revision_on_its_area(world):
    note = add_note(world["tokyo_officer"], AUGUST, "  台風10号で羽田空港が2日間閉鎖\r\n（国際線欠航）  ",
                    area=world["shinjuku"], today=date(2024, 9, 10))
    assert note.text == "台風10号で羽田空港が2日間閉鎖\n（国際線欠航）"
    assert (note.year, note.month, note.author_id) == (2024, 8, world["tokyo_officer"].id)
    assert _revisions() == [(f"area/131041/2024-08/{note.id}", None, note.text, "form", world["shinjuku"].id)]


def test_an_exporters_note_is_keyed_by_the_exporter_and_filed_under_its_area(world):
    note = add_note(world["brewer"], AUGUST, "New distributor in Hong Kong", exporter=world["brewery"],
                    source="api", today=date(2024, 9, 1))
    assert _revisions() == [(f"exporter/{world['brewery'].id}/2024-08/{note.id}", None,
                             "New distributor in Hong Kong", "api", world["shinjuku"].id)]


def test_edits_and_deletions_are_revisions_and_an_unchanged_text_is_none(world):
    officer = world["tokyo_officer"]
    note = add_note(officer, AUGUST, "Typhoon", area=world["tokyo"], today=date(2024, 9, 1))
    edit_note(officer, note, "Typhoon", seen=seen_stamp(note))
    edit_note(world["admin"], note, "Typhoon Shanshan closed Haneda", seen=seen_stamp(note))
    key = f"area/130001/2024-08/{note.id}"
    delete_note(officer, note, seen=seen_stamp(note))
    assert db.session.scalars(select(Note)).all() == []
    assert [(k, old, new) for k, old, new, _source, _area in _revisions()] == [
        (key, None, "Typhoon"),
        (key, "Typhoon", "Typhoon Shanshan closed Haneda"),
        (key, "Typhoon Shanshan closed Haneda", None),
    ]


def test_a_note_changed_since_the_form_was_opened_is_not_overwritten(world):
    officer = world["tokyo_officer"]
    note = add_note(officer, AUGUST, "Typhoon", area=world["tokyo"], today=date(2024, 9, 1))
    opened = seen_stamp(note)
    note.updated_at = note.updated_at.replace(year=2025)  # someone else saved it meanwhile
    with pytest.raises(NoteError) as refused:
        edit_note(officer, note, "Mine", seen=opened)
    assert set(refused.value.errors) == {"seen"}
    with pytest.raises(NoteError):
        delete_note(officer, note, seen=opened)
    assert note.text == "Typhoon" and len(_revisions()) == 1


@pytest.mark.parametrize(("text", "month", "fields"), [
    ("   \n ", AUGUST, {"text"}),
    ("x" * 2001, AUGUST, {"text"}),
    ("A new route from Busan", Month(2024, 10), {"month"}),  # after the current month: no figures to explain
])
def test_an_empty_too_long_or_future_note_is_refused_and_nothing_is_written(world, text, month, fields):
    with pytest.raises(NoteError) as refused:
        add_note(world["admin"], month, text, area=world["tokyo"], today=date(2024, 9, 15))
    assert set(refused.value.errors) == fields
    assert db.session.scalars(select(Note)).all() == [] and _revisions() == []


def test_a_note_of_2000_characters_in_japanese_is_accepted(world):
    note = add_note(world["admin"], AUGUST, "台" * 2000, area=world["tokyo"], today=date(2024, 9, 1))
    db.session.commit()
    assert len(db.session.get(Note, note.id).text) == 2000


def test_writing_outside_ones_areas_or_sales_is_refused_by_the_service_too(world):
    with pytest.raises(PermissionError):
        add_note(world["osaka_officer"], AUGUST, "x", area=world["shinjuku"], today=date(2024, 9, 1))
    with pytest.raises(PermissionError):
        add_note(world["other_exporter"], AUGUST, "x", exporter=world["brewery"], today=date(2024, 9, 1))
    note = add_note(world["brewer"], AUGUST, "x", exporter=world["brewery"], today=date(2024, 9, 1))
    with pytest.raises(PermissionError):
        edit_note(world["tokyo_officer"], note, "y")  # officers read an exporter's notes, the exporter writes them
    with pytest.raises(PermissionError):
        delete_note(world["viewer"], note)


def test_the_database_refuses_a_note_on_both_an_area_and_an_exporter_or_on_neither(world):
    for subject in ({"area_id": world["tokyo"].id, "exporter_id": world["brewery"].id}, {}):
        with pytest.raises(IntegrityError), db.session.begin_nested():
            db.session.add(Note(year=2024, month=8, text="x", **subject))
            db.session.flush()


def test_area_notes_read_a_span_of_months_with_or_without_the_areas_below(world):
    admin, day = world["admin"], date(2024, 12, 1)
    add_note(admin, Month(2024, 7), "Tokyo in July", area=world["tokyo"], today=day)
    add_note(admin, AUGUST, "Shinjuku in August", area=world["shinjuku"], today=day)
    add_note(admin, AUGUST, "Tokyo in August", area=world["tokyo"], today=day)
    add_note(admin, Month(2024, 9), "Osaka in September", area=world["osaka"], today=day)
    add_note(world["brewer"], AUGUST, "The brewer in August", exporter=world["brewery"], today=day)

    assert [row.text for row in area_notes(world["tokyo"])] == ["Tokyo in July", "Tokyo in August"]
    below = area_notes(world["tokyo"], AUGUST, Month(2024, 12), include_subareas=True)
    assert [(row.area_code, str(row.month), row.text) for row in below] == [
        ("130001", "2024-08", "Tokyo in August"), ("131041", "2024-08", "Shinjuku in August")]
    nation = area_notes(factories.area("JP"), None, None, include_subareas=True)
    assert len(nation) == 4  # every area's, no exporter's
    row = below[0]
    assert (row.author, row.area_name_ja, row.area_name_en, row.exporter_id) == ("admin user", "東京都", "Tokyo", None)
    assert row.as_json() == {"id": row.id, "area_code": "130001", "month": "2024-08", "text": "Tokyo in August",
                             "author": "admin user", "created_at": row.created_at.isoformat()}


def test_exporter_notes_are_read_by_exporter_and_by_what_the_reader_may_see(world):
    day = date(2024, 12, 1)
    add_note(world["brewer"], AUGUST, "Brewer", exporter=world["brewery"], today=day)
    add_note(world["other_exporter"], AUGUST, "Other", exporter=world["other_brewery"], today=day)
    rows = exporter_notes(world["brewery"], AUGUST, AUGUST)
    assert [(row.text, row.exporter_name, row.area_code, row.subject("en")) for row in rows] == [
        ("Brewer", "新宿酒造", "131041", "新宿酒造")]
    assert exporter_notes(world["brewery"], Month(2024, 9), None) == []
    seen_by = {role: [row.text for row in exporters_notes(detail_visible(world[role]))]
               for role in ("admin", "tokyo_officer", "brewer", "viewer")}
    assert seen_by == {"admin": ["Brewer", "Other"], "tokyo_officer": ["Brewer"], "brewer": ["Brewer"], "viewer": []}
    assert [row.text for row in exporters_notes(detail_visible(world["admin"]), within=world["osaka"])] == ["Other"]


def test_chart_notes_are_the_markers_of_the_areas_chart_in_the_readers_language(world):
    day = date(2024, 12, 1)
    add_note(world["admin"], AUGUST, "Shinjuku festival", area=world["shinjuku"], today=day)
    add_note(world["admin"], Month(2024, 7), "Tokyo typhoon", area=world["tokyo"], today=day)
    add_note(world["brewer"], AUGUST, "Brewer", exporter=world["brewery"], today=day)
    first, last = Month(2024, 1), Month(2024, 12)
    assert chart_notes(world["tokyo"], first, last, "en", include_subareas=False) == [
        ("2024-07", "Tokyo", "Tokyo typhoon")]
    assert chart_notes(world["tokyo"], first, last, "ja", include_subareas=True,
                       exporters_visible=detail_visible(world["tokyo_officer"])) == [
        ("2024-07", "東京都", "Tokyo typhoon"), ("2024-08", "テスト市131041", "Shinjuku festival"),
        ("2024-08", "新宿酒造", "Brewer")]
