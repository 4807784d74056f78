"""Many offices at once on the registers and the notes: real threads writing the same tie or the same note.

As in test_concurrency.py, each writer has its own client (or app context), connection and transaction, and all
start together at a barrier. A conflict is only where two edits read the same version; everything else succeeds,
never a 500, and the rows and revisions are exactly what the winners wrote."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import delete, func, select

from tests import factories
from tests.test_concurrency import EN, WRITERS, _client, _statuses, _together, import_at_once
from tracker.extensions import db
from tracker.models import Affiliation, Note
from tracker.notes.services import NoteGone, edit_note, seen_stamp
from tracker.periods import current_month
from tracker.revisions import history

TIE = {"partner_name": "セントポール市", "partner_name_en": "Saint Paul", "country": "US", "partner_level": "city",
       "kind": "sister", "established": "1955-12-07", "ended": "", "fields": "culture", "note": ""}
HEADER = "area_code,partner_name,partner_name_en,country,partner_level,kind,established,ended,fields,note\n"
SHARED = ("422011,セントポール市,Saint Paul,US,city,sister,1955-12-07,,education;culture,first\n"
          "422011,大邱広域市,Daegu,KR,city,sister,1997,,sports,\n")
MONTH = current_month().shift(-1)


def _revisions(table: str) -> list[tuple[str | None, str | None]]:
    """Each change as the history shows it (an import's created records one by one), oldest first."""
    return [(revision.old_value, revision.new_value) for revision in reversed(history(table, ""))]


@pytest.fixture
def nagasaki(app):
    city = factories.area("422011")
    officers = [factories.user("officer", areas=[city]) for _ in range(WRITERS)]
    db.session.commit()
    return city, officers


def test_the_same_tie_added_from_many_pages_at_once_is_one_tie_and_the_rest_are_told_so(app, nagasaki):
    city, officers = nagasaki
    clients, url = [_client(app, officer) for officer in officers], f"/affiliations/areas/{city.code}/new"
    results = _together([lambda c=c, i=i: c.post(url, data={**TIE, "note": f"writer {i}"}, headers=EN)
                         for i, c in enumerate(clients)])
    statuses = _statuses(results)
    assert sorted(statuses) == [302] + [422] * (WRITERS - 1)  # a key to correct, not a conflict
    for result in results:
        if result.status_code == 422:
            assert "This area already has a tie with Saint Paul (US)." in result.get_data(as_text=True)
    winner = statuses.index(302)
    ties = db.session.execute(select(Affiliation.partner_name_en, Affiliation.note, Affiliation.version)).all()
    assert [tuple(tie) for tie in ties] == [("Saint Paul", f"writer {winner}", 1)]
    assert len(_revisions("affiliations")) == 1


def test_edits_of_one_tie_from_the_same_version_leave_one_winner_and_conflicts(app, nagasaki):
    city, officers = nagasaki
    tie = Affiliation(area_id=city.id, partner_name="セントポール市", partner_name_en="Saint Paul", country="US",
                      partner_level="city", kind="sister", established_year=1955, established_on=date(1955, 12, 7),
                      fields="culture", note="", version=1)
    db.session.add(tie)
    db.session.commit()
    clients, url = [_client(app, officer) for officer in officers], f"/affiliations/{tie.id}/edit"
    results = _together([lambda c=c, i=i: c.post(url, data={**TIE, "version": "1", "note": f"edit {i}"}, headers=EN)
                         for i, c in enumerate(clients)])
    statuses = _statuses(results)
    assert sorted(statuses) == [302] + [409] * (WRITERS - 1)
    for result in results:
        if result.status_code == 409:
            assert "Someone else saved this affiliation since you opened the form" in result.get_data(as_text=True)
    stored = db.session.execute(select(Affiliation.note, Affiliation.version)).one()
    assert tuple(stored) == (f"edit {statuses.index(302)}", 2)
    assert len(_revisions("affiliations")) == 1  # the tie was stored without one: only the winner's change


def test_edits_of_different_ties_at_once_all_succeed_without_a_false_conflict(app, nagasaki):
    city, officers = nagasaki
    ties = [Affiliation(area_id=city.id, partner_name=f"提携先{i}", partner_name_en=f"Partner {i}", country="US",
                        partner_level="city", kind="sister", established_year=1990, fields="", note="", version=1)
            for i in range(WRITERS)]
    db.session.add_all(ties)
    db.session.commit()
    jobs = []
    for index, (tie, officer) in enumerate(zip(ties, officers, strict=True)):
        data = {**TIE, "partner_name": f"提携先{index}", "partner_name_en": f"Partner {index}", "established": "1990",
                "version": "1", "note": f"note {index}"}
        client, url = _client(app, officer), f"/affiliations/{tie.id}/edit"
        jobs.append(lambda c=client, u=url, d=data: c.post(u, data=d))
    assert _statuses(_together(jobs)) == [302] * WRITERS
    stored = db.session.execute(select(Affiliation.partner_name_en, Affiliation.note, Affiliation.version)
                                .order_by(Affiliation.id)).all()
    assert [tuple(row) for row in stored] == [(f"Partner {i}", f"note {i}", 2) for i in range(WRITERS)]
    assert len(_revisions("affiliations")) == WRITERS


def test_imports_of_overlapping_files_at_once_create_each_tie_once(app, nagasaki):
    city, officers = nagasaki
    admin = factories.user("admin")
    uploads = []
    for index in range(WRITERS):
        own = f"422011,提携先{index},Partner {index},FR,city,friendship,{1980 + index},,,\n"
        # the shared ties first in some files and last in others
        uploads.append((admin, f"ties{index}.csv", HEADER + (SHARED + own if index % 2 else own + SHARED)))
    jobs = import_at_once(app, "affiliations", uploads)
    assert [job.status for job in jobs] == ["done"] * WRITERS
    results = [job.result for job in jobs]
    assert all(result["updated"] == 0 and result["created"] + result["unchanged"] == 3 for result in results)
    assert sum(result["created"] for result in results) == WRITERS + 2  # each shared tie created by one job only
    stored = db.session.execute(select(Affiliation.partner_name_en, Affiliation.version)
                                .order_by(Affiliation.partner_name_en)).all()
    assert [tuple(row) for row in stored] == sorted([("Daegu", 1), ("Saint Paul", 1)]
                                                    + [(f"Partner {i}", 1) for i in range(WRITERS)])
    revisions = _revisions("affiliations")
    assert len(revisions) == WRITERS + 2 and all(old is None for old, _new in revisions)


def test_notes_added_to_one_month_at_once_are_all_kept_each_with_its_revision(app, nagasaki):
    city, officers = nagasaki
    clients, url = [_client(app, officer) for officer in officers], f"/notes/areas/{city.code}/{MONTH}"
    results = _together([lambda c=c, i=i: c.post(url, data={"text": f"note {i}", "back": "notes"}, headers=EN)
                         for i, c in enumerate(clients)])
    assert _statuses(results) == [302] * WRITERS
    assert sorted(db.session.scalars(select(Note.text))) == sorted(f"note {i}" for i in range(WRITERS))
    assert sorted(_revisions("notes")) == sorted((None, f"note {i}") for i in range(WRITERS))


def test_edits_of_one_note_from_the_same_page_leave_one_winner_and_conflicts(app, nagasaki):
    city, officers = nagasaki
    note = factories.note(str(MONTH), "typhoon", area=city, author=officers[0])
    db.session.commit()
    seen, url = seen_stamp(note), f"/notes/{note.id}/edit"
    clients = [_client(app, officer) for officer in officers]
    results = _together([lambda c=c, i=i: c.post(url, data={"text": f"typhoon {i}", "seen": seen}, headers=EN)
                         for i, c in enumerate(clients)])
    statuses = _statuses(results)
    assert sorted(statuses) == [302] + [409] * (WRITERS - 1)
    for result in results:
        if result.status_code == 409:
            assert "Someone changed this note since you opened it" in result.get_data(as_text=True)
    winner = f"typhoon {statuses.index(302)}"
    assert db.session.scalars(select(Note.text)).all() == [winner]
    assert _revisions("notes") == [(None, "typhoon"), ("typhoon", winner)]


def test_a_note_edited_and_deleted_at_once_ends_as_exactly_one_of_them(app, nagasaki):
    city, officers = nagasaki
    note = factories.note(str(MONTH), "typhoon", area=city, author=officers[0])
    db.session.commit()
    seen, note_id = seen_stamp(note), note.id
    clients = [_client(app, officer) for officer in officers]
    editors, deleters = clients[:WRITERS // 2], clients[WRITERS // 2:]
    results = _together(
        [lambda c=c, i=i: c.post(f"/notes/{note_id}/edit", data={"text": f"edit {i}", "seen": seen}, headers=EN)
         for i, c in enumerate(editors)]
        + [lambda c=c: c.post(f"/notes/{note_id}/delete", data={"seen": seen}, headers=EN) for c in deleters])
    statuses = _statuses(results)
    edits, deletions = statuses[:len(editors)], statuses[len(editors):]
    # refused or not, a deletion returns to the list with its message; one that finds the note gone is a 404
    assert all(status in (302, 404) for status in deletions) and 302 in deletions, deletions
    texts = db.session.scalars(select(Note.text)).all()
    revisions = _revisions("notes")
    if texts:  # an edit won: the deletions read the note before it
        assert sorted(edits) == [302] + [409] * (len(editors) - 1)
        assert texts == [f"edit {edits.index(302)}"] and revisions == [(None, "typhoon"), ("typhoon", texts[0])]
    else:  # a deletion won: every edit was refused, as a conflict or as a note no longer there
        assert all(status in (404, 409) for status in edits), edits
        assert revisions == [(None, "typhoon"), ("typhoon", None)]
    for result in results[:len(editors)]:
        if result.status_code == 409:
            page = result.get_data(as_text=True)
            assert "Someone changed this note since you opened it" in page or (
                "Someone deleted this note since you opened it; nothing was saved." in page)
    assert db.session.scalar(select(func.count()).select_from(Note)) == len(texts)


def test_an_edit_of_a_note_deleted_after_its_page_was_read_is_a_conflict_not_an_error(app, nagasaki):
    city, officers = nagasaki
    note = factories.note(str(MONTH), "typhoon", area=city, author=officers[0])
    db.session.commit()
    seen = seen_stamp(note)
    db.session.execute(delete(Note).execution_options(synchronize_session=False))  # another office's deletion
    with pytest.raises(NoteGone) as gone:
        edit_note(officers[1], note, "typhoon No. 10", seen=seen)
    assert gone.value.conflict and gone.value.errors == {
        "seen": "Someone deleted this note since you opened it; nothing was saved."}
