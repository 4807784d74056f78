from datetime import date

import pytest
from sqlalchemy import func, select

from tests import factories
from tracker.affiliations.page import timeline_table
from tracker.affiliations.services import AffiliationSaveError, save_affiliation
from tracker.extensions import db
from tracker.models import Affiliation, Revision

TODAY = date(2024, 7, 1)
SAINT_PAUL = {"partner_name": "セントポール市", "partner_name_en": "Saint Paul", "country": "US",
              "partner_level": "city", "kind": "sister", "established": "1955-12-07", "ended": "",
              "fields": "culture;education", "note": ""}


def _counts():
    return (db.session.scalar(select(func.count()).select_from(Affiliation)),
            db.session.scalar(select(func.count()).select_from(Revision)))


@pytest.fixture
def nagasaki(app):
    city = factories.area("422011")
    officer = factories.user("officer", areas=[city.parent])  # the prefecture's officer writes its cities' ties
    db.session.commit()
    return city, officer


def test_adding_a_tie_records_it_with_one_revision_from_the_form(nagasaki):
    city, officer = nagasaki
    tie = save_affiliation(officer, city, SAINT_PAUL, today=TODAY)
    db.session.commit()
    assert (tie.established, tie.established_year, tie.fields, tie.version, tie.updated_by_id) == (
        "1955-12-07", 1955, "education;culture", 1, officer.id)
    revision = db.session.scalar(select(Revision))
    assert (revision.record_key, revision.old_value, revision.source, revision.user_id, revision.area_id) == (
        "422011/US/Saint Paul", None, "form", officer.id, city.id)
    assert revision.new_value == "sister city: セントポール市; 1955 (1955-12-07); fields: education;culture; note: "


def test_an_edit_is_one_revision_from_old_to_new_and_an_unchanged_save_is_none(nagasaki):
    city, officer = nagasaki
    tie = save_affiliation(officer, city, SAINT_PAUL, today=TODAY)
    save_affiliation(officer, city, {**SAINT_PAUL, "fields": "education;culture"}, affiliation=tie, version=1,
                     today=TODAY)
    assert (tie.version, _counts()) == (1, (1, 1))
    save_affiliation(officer, city, {**SAINT_PAUL, "kind": "friendship", "ended": "2020"}, affiliation=tie,
                     version=1, today=TODAY)
    db.session.commit()
    change = db.session.scalars(select(Revision).order_by(Revision.id.desc())).first()
    assert (tie.version, tie.ended, change.record_key) == (2, "2020", "422011/US/Saint Paul")
    assert change.old_value.startswith("sister city") and change.new_value.startswith("friendship city")
    assert "1955 (1955-12-07) - 2020;" in change.new_value


def test_renaming_the_partner_records_the_old_key_closed_and_the_new_one_opened(nagasaki):
    city, officer = nagasaki
    tie = save_affiliation(officer, city, SAINT_PAUL, today=TODAY)
    save_affiliation(officer, city, {**SAINT_PAUL, "partner_name_en": "St. Paul"}, affiliation=tie, version=1,
                     today=TODAY)
    rows = db.session.execute(select(Revision.record_key, Revision.old_value.is_(None), Revision.new_value.is_(None),
                                     Revision.note).order_by(Revision.id)).all()
    assert rows[1:] == [("422011/US/Saint Paul", False, True, "renamed to 422011/US/St. Paul"),
                        ("422011/US/St. Paul", True, False, "renamed from 422011/US/Saint Paul")]


@pytest.mark.parametrize("changes, field", [
    ({"country": "XX"}, "country"),
    ({"kind": "twin"}, "kind"),
    ({"partner_level": "village"}, "partner_level"),
    ({"fields": "culture;magic"}, "fields"),
    ({"established": "2025"}, "established"),
    ({"established": "2024-07-02"}, "established"),
    ({"ended": "1950"}, "ended"),
    ({"established": "55"}, "established"),
    ({"partner_name": "  "}, "partner_name"),
])
def test_a_refused_value_names_its_field_and_writes_nothing(nagasaki, changes, field):
    city, officer = nagasaki
    with pytest.raises(AffiliationSaveError) as refused:
        save_affiliation(officer, city, {**SAINT_PAUL, **changes}, today=TODAY)
    assert list(refused.value.errors) == [field]
    db.session.rollback()
    assert _counts() == (0, 0)


def test_a_second_tie_with_the_same_partner_and_a_stale_version_are_refused(nagasaki):
    city, officer = nagasaki
    tie = save_affiliation(officer, city, SAINT_PAUL, today=TODAY)
    db.session.commit()
    with pytest.raises(AffiliationSaveError) as duplicate:
        save_affiliation(officer, city, {**SAINT_PAUL, "partner_name": "別名"}, today=TODAY)
    assert duplicate.value.errors == {"partner_name_en": "This area already has a tie with Saint Paul (US)."}
    assert not duplicate.value.conflict  # a key to correct, not someone else's save in the way
    db.session.rollback()
    with pytest.raises(AffiliationSaveError) as stale:
        save_affiliation(officer, city, {**SAINT_PAUL, "note": "x"}, affiliation=tie, version=0, today=TODAY)
    assert list(stale.value.errors) == [""] and stale.value.conflict
    db.session.rollback()
    assert _counts() == (1, 1)


def test_an_officer_of_another_area_and_a_viewer_may_not_write_the_tie(nagasaki):
    city, _officer = nagasaki
    for user in (factories.user("officer", areas=[factories.area("130001")]), factories.user("viewer")):
        with pytest.raises(PermissionError):
            save_affiliation(user, city, SAINT_PAUL, today=TODAY)
    assert _counts() == (0, 0)


def test_the_form_page_saves_and_shows_the_tie_on_the_areas_page(client, auth, nagasaki):
    city, officer = nagasaki
    auth.login(officer.email)
    response = client.post("/affiliations/areas/422011/new", data={
        **SAINT_PAUL, "fields": ["culture", "education"], "established": "1955"})
    assert response.status_code == 302 and response.location.endswith("/affiliations/areas/422011")
    page = client.get("/affiliations/areas/422011", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "セントポール市" in page and "1955" in page and 'id="chart-timeline"' in page
    assert "It is a comparison, not proof of cause" in page


def test_a_refused_form_answers_422_with_the_reason_under_its_field(client, auth, nagasaki):
    city, officer = nagasaki
    auth.login(officer.email)
    response = client.post("/affiliations/areas/422011/new", data={**SAINT_PAUL, "ended": "1900"},
                           headers={"Accept-Language": "en"})
    assert response.status_code == 422
    assert "The end (1900) comes before the start (1955-12-07)." in response.get_data(as_text=True)
    assert _counts() == (0, 0)


def test_the_edit_page_shows_the_stored_values_and_the_history_lists_the_change(client, auth, nagasaki):
    city, officer = nagasaki
    tie = save_affiliation(officer, city, SAINT_PAUL, today=TODAY)
    db.session.commit()
    auth.login(officer.email)
    form = client.get(f"/affiliations/{tie.id}/edit").get_data(as_text=True)
    assert 'value="1955-12-07"' in form
    assert '<input checked id="fields-1" name="fields" type="checkbox" value="culture">' in form
    response = client.post(f"/affiliations/{tie.id}/edit", data={**SAINT_PAUL, "fields": ["culture"],
                                                                "version": "1", "note": "first in Japan"})
    assert response.status_code == 302
    history = client.get(f"/affiliations/{tie.id}/history").get_data(as_text=True)
    assert "メモ: first in Japan" in history and history.count("<tr>") == 3  # the header and two changes
    assert "; fields:" not in history  # the stored text, read in words


def test_a_stale_edit_answers_409_with_the_reason_above_the_form_and_changes_nothing(client, auth, nagasaki):
    city, officer = nagasaki
    tie = save_affiliation(officer, city, SAINT_PAUL, today=TODAY)
    db.session.commit()
    auth.login(officer.email)
    first = client.post(f"/affiliations/{tie.id}/edit", data={**SAINT_PAUL, "version": "1", "note": "mine"})
    assert first.status_code == 302
    second = client.post(f"/affiliations/{tie.id}/edit", data={**SAINT_PAUL, "version": "1", "note": "theirs"},
                         headers={"Accept-Language": "en"})
    assert second.status_code == 409
    assert ('<p class="error" role="alert">Someone else saved this affiliation since you opened the form; nothing was '
            'saved. Check it and save again.</p>') in second.get_data(as_text=True)
    db.session.rollback()
    assert (db.session.get(Affiliation, tie.id).note, db.session.get(Affiliation, tie.id).version) == ("mine", 2)


def test_english_pages_name_the_partner_in_english_and_japanese_pages_in_japanese(client, auth, nagasaki):
    tie = factories.affiliation(nagasaki[0], "Saint Paul", partner_name="セントポール市")
    viewer = factories.user("viewer", language="en")
    db.session.commit()
    auth.login(viewer.email)
    area = client.get("/affiliations/areas/422011").get_data(as_text=True)
    history = client.get(f"/affiliations/{tie.id}/history").get_data(as_text=True)
    assert "<h3>Saint Paul (United States), 1955</h3>" in area
    assert "– Saint Paul (United States)</h1>" in history
    viewer.language = "ja"
    db.session.commit()
    japanese = client.get("/affiliations/areas/422011").get_data(as_text=True)
    assert "<h3>セントポール市 (アメリカ合衆国), 1955</h3>" in japanese


def test_the_timeline_names_the_partner_in_the_page_s_language():
    records = [Affiliation(partner_name="セントポール市", partner_name_en="Saint Paul", country="US",
                           established_year=1955, kind="sister")]
    assert timeline_table(records, lambda code: code, "en").rows[0][0] == "Saint Paul (US)"
    assert timeline_table(records, lambda code: code, "ja").rows[0][0] == "セントポール市 (US)"
