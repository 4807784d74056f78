"""History and audit pages show revisions in words, while the stored revision text stays in codes."""

from datetime import date

import pytest

from tests import factories
from tracker.affiliations.services import REVISIONS as AFFILIATION_REVISIONS
from tracker.affiliations.services import TABLE as AFFILIATIONS
from tracker.exports.services import TABLE as SALES
from tracker.extensions import db
from tracker.formatting import status_label, status_words
from tracker.models import Revision
from tracker.revision_text import note_text, source_text, value_text
from tracker.revisions import Change, record_changes
from tracker.visitors.services import TABLE as VISITORS


@pytest.fixture
def japanese(app):
    with app.test_request_context(headers={"Accept-Language": "ja"}):
        yield


@pytest.fixture
def english(app):
    with app.test_request_context(headers={"Accept-Language": "en"}):
        yield


def test_status_words_are_jntos_in_japanese(japanese):
    assert [status_label(s) for s in ("estimate", "provisional", "final")] == ["推計値", "暫定値", "確定値"]


def test_status_words_in_english(english):
    assert [status_label(s) for s in ("estimate", "provisional", "final")] == ["Estimate", "Provisional", "Final"]


def test_every_status_word_the_screens_show_and_each_code_name_their_status(english):
    codes = status_words()
    words = ("推計値", "暫定値", "確定値", "Estimate", "PROVISIONAL", "final")
    assert [codes[word.casefold()] for word in words] == ["estimate", "provisional", "final"] * 2


def test_a_status_note_reads_in_words_and_a_persons_note_stays(japanese):
    assert note_text("status: estimate -> provisional") == "確定区分: 推計値 → 暫定値"
    assert note_text("status: final; 台風の影響で修正") == "確定区分: 確定値; 台風の影響で修正"
    assert note_text("") == ""


def test_a_status_note_in_english(english):
    assert note_text("status: estimate -> final; typhoon") == "Status: Estimate → Final; typhoon"


def test_values_read_as_amounts(japanese):
    sale = Revision(table_name=SALES, record_key="12/2015-04/7/HK")
    assert value_text(sale, "1200000 JPY; 300 l") == "1,200,000円・300 L"
    assert value_text(sale, "1200000 JPY; 12.5 kg") == "1,200,000円・12.5 kg"
    assert value_text(sale, "5000 JPY") == "5,000円"
    assert value_text(sale, None) == "–"
    assert value_text(Revision(table_name=VISITORS, record_key="130001/2015-04/CN"), "1200000") == "1,200,000"
    assert source_text("form") == "入力フォーム"


def test_values_read_as_amounts_in_english(english):
    sale = Revision(table_name=SALES, record_key="12/2015-04/7/HK")
    assert value_text(sale, "1200000 JPY; 300 l") == "¥1,200,000 · 300 L"
    assert source_text("form") == "Entry form"


def _tie_value(**given) -> str:
    values = {"kind": "sister", "partner_level": "city", "partner_name": "ポートランド市", "established_year": 1959,
              "established_on": None, "ended_year": None, "ended_on": None, "fields": "", "note": ""}
    return AFFILIATION_REVISIONS.value_text(**{**values, **given})


def test_a_tie_reads_in_words_with_only_the_parts_given(japanese):
    tie = Revision(table_name=AFFILIATIONS, record_key="011002/US/Portland")
    assert value_text(tie, _tie_value()) == "姉妹 · 都市: ポートランド市 · 1959"
    assert value_text(tie, _tie_value(fields="culture;tourism", note="30周年", ended_year=2001,
                                      established_on=date(1959, 5, 10))) == (
        "姉妹 · 都市: ポートランド市 · 1959 (1959-05-10) – 2001 · 交流分野: 文化, 観光 · メモ: 30周年")


def test_a_tie_reads_in_english(english):
    tie = Revision(table_name=AFFILIATIONS, record_key="011002/US/Portland")
    assert value_text(tie, _tie_value(kind="friendship", fields="economy")) == (
        "Friendship · City: ポートランド市 · 1959 · Fields of exchange: Economy")


def _history_revision(user):
    area = factories.area("130001")
    record_changes(VISITORS, [Change("130001/2024-01/CN", "1000000", "1200000", "status: estimate -> provisional")],
                   source="form", user_id=user.id, area_id=area.id)
    db.session.commit()


def test_the_visitor_history_page_shows_words_not_codes(client, auth):
    viewer = factories.user("viewer")
    _history_revision(viewer)
    auth.login(viewer.email)
    page = client.get("/visitors/130001/2024-01/history", headers={"Accept-Language": "ja"}).get_data(as_text=True)
    assert "確定区分: 推計値 → 暫定値" in page and "入力フォーム" in page and "1,200,000" in page
    assert "status:" not in page and ">form<" not in page
    stored = db.session.scalar(db.select(Revision.note))
    assert stored == "status: estimate -> provisional"


def test_the_audit_page_shows_words_not_codes(client, auth):
    admin = factories.user("admin")
    _history_revision(admin)
    auth.login(admin.email)
    page = client.get("/admin/audit/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Status: Estimate → Provisional" in page and "<td>130001/2024-01/CN</td>" in page
    assert "Entry form" in page and "1,200,000" in page
    csv = client.get("/admin/audit/audit.csv").data.decode("utf-8-sig")
    assert "status: estimate -> provisional" in csv  # the download is the record itself
