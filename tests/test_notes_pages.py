"""Notes where people work: added from the entry grid and the sales form, shown beside the figures in tables, on
the target page's monthly chart and in downloads; edited and deleted with a revision each."""

import csv
import io
import json
import re

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from tests import factories
from tracker import create_app
from tracker.exports.importer import import_exports
from tracker.extensions import db
from tracker.models import Note, Revision
from tracker.notes.services import seen_stamp
from tracker.periods import current_month
from tracker.rollups import rebuild_visitor_rollups
from tracker.visitors.importer import import_visitors

EN = {"Accept-Language": "en"}
LAST_MONTH = current_month().shift(-1)


def _login(auth, user):
    db.session.commit()
    auth.login(user.email)


def _texts() -> list[str]:
    db.session.rollback()
    return list(db.session.scalars(select(Note.text).order_by(Note.id)))


@pytest.fixture
def tokyo(app):
    tokyo, shinjuku = factories.area("130001"), factories.area("131041")
    factories.visitor_count(shinjuku, LAST_MONTH.year, LAST_MONTH.month, "CN", 1200)
    return {"tokyo": tokyo, "shinjuku": shinjuku, "officer": factories.user("officer", areas=[tokyo])}


def test_an_officer_adds_a_note_from_the_entry_grid_and_returns_to_it(client, auth, tokyo):
    _login(auth, tokyo["officer"])
    entry = f"/visitors/131041/{LAST_MONTH}"
    page = client.get(entry, headers=EN).get_data(as_text=True)
    assert f'action="/notes/areas/131041/{LAST_MONTH}"' in page and "No notes on this month." in page
    response = client.post(f"/notes/areas/131041/{LAST_MONTH}", data={"text": "台風で空港が閉鎖", "back": "entry"})
    assert response.status_code == 302 and response.headers["Location"] == entry
    assert _texts() == ["台風で空港が閉鎖"]
    page = client.get(entry, headers=EN).get_data(as_text=True)
    assert '<p class="note-text">台風で空港が閉鎖</p>' in page


def test_a_form_can_only_send_the_browser_back_to_a_page_of_the_tracker(client, auth, tokyo):
    _login(auth, tokyo["officer"])
    response = client.post(f"/notes/areas/131041/{LAST_MONTH}", data={"text": "x", "back": "https://evil.example"})
    assert response.headers["Location"] == f"/notes/areas/131041/{LAST_MONTH}"


def test_a_refused_note_is_named_on_the_form_and_nothing_is_saved(client, auth, tokyo):
    _login(auth, tokyo["officer"])
    future = current_month().shift(2)
    response = client.post(f"/notes/areas/131041/{future}", data={"text": "A new route", "back": "entry"},
                           headers=EN)
    assert response.status_code == 422 and "is in the future" in response.get_data(as_text=True)
    response = client.post(f"/notes/areas/131041/{LAST_MONTH}", data={"text": "x" * 2001}, headers=EN)
    assert response.status_code == 422
    assert _texts() == []


def test_readers_see_notes_beside_the_figures_and_only_writers_get_the_form(client, auth, tokyo):
    factories.note(str(LAST_MONTH), "Festival & fireworks", area=tokyo["shinjuku"], author=tokyo["officer"])
    factories.note(str(LAST_MONTH), "Second note", area=tokyo["shinjuku"], author=tokyo["officer"])
    _login(auth, factories.user("viewer"))
    overview = client.get(f"/visitors/?area=130001&year={LAST_MONTH.year}", headers=EN).get_data(as_text=True)
    mark = re.search(r'<a class="note-mark" href="([^"]+)" title="([^"]*)" aria-label="2 notes">✎2</a>', overview)
    assert mark and mark.group(1) == f"/notes/areas/131041/{LAST_MONTH}"
    assert mark.group(2) == "Festival &amp; fireworks\nSecond note"
    page = client.get(mark.group(1), headers=EN)
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Festival &amp; fireworks" in text and 'name="text"' not in text and "Edit or delete" not in text
    assert client.post(mark.group(1), data={"text": "mine"}).status_code == 403


def test_notes_are_edited_and_deleted_with_a_revision_each_and_a_stale_form_is_refused(client, auth, tokyo):
    note = factories.note(str(LAST_MONTH), "Typhoon", area=tokyo["shinjuku"], author=tokyo["officer"])
    _login(auth, tokyo["officer"])
    page = client.get(f"/notes/{note.id}/edit?back=entry", headers=EN).get_data(as_text=True)
    seen = seen_stamp(note)
    assert f'value="{seen}"' in page and ">\r\nTyphoon</textarea>" in page
    response = client.post(f"/notes/{note.id}/edit", data={"text": "Typhoon No. 10", "seen": seen, "back": "entry"})
    assert response.headers["Location"] == f"/visitors/131041/{LAST_MONTH}"
    assert _texts() == ["Typhoon No. 10"]
    stale = client.post(f"/notes/{note.id}/edit", data={"text": "Mine", "seen": seen}, headers=EN)
    assert stale.status_code == 409 and "Someone changed this note" in stale.get_data(as_text=True)
    assert client.post(f"/notes/{note.id}/delete", data={"seen": seen}).status_code == 302
    assert _texts() == ["Typhoon No. 10"]  # the deletion named the state before the edit
    db.session.refresh(note)
    response = client.post(f"/notes/{note.id}/delete", data={"seen": seen_stamp(note)})
    assert response.headers["Location"] == f"/notes/areas/131041/{LAST_MONTH}"
    assert _texts() == []
    history = client.get(f"/notes/areas/131041/{LAST_MONTH}", headers=EN).get_data(as_text=True)
    assert history.count("<td>Typhoon No. 10</td>") == 2  # new value of the edit, old value of the deletion
    kinds = [(old, new) for old, new in db.session.execute(
        select(Revision.old_value, Revision.new_value).where(Revision.table_name == "notes").order_by(Revision.id))]
    assert kinds == [(None, "Typhoon"), ("Typhoon", "Typhoon No. 10"), ("Typhoon No. 10", None)]


def test_an_officer_of_another_prefecture_may_not_edit_or_delete(client, auth, tokyo):
    note = factories.note(str(LAST_MONTH), "Typhoon", area=tokyo["shinjuku"], author=tokyo["officer"])
    _login(auth, factories.user("officer", areas=[factories.area("270008")]))
    assert client.get(f"/notes/{note.id}/edit").status_code == 403
    assert client.post(f"/notes/{note.id}/delete", data={"seen": seen_stamp(note)}).status_code == 403
    assert _texts() == ["Typhoon"]


def test_an_exporter_notes_its_months_from_the_sales_form_and_sees_them_by_month(client, auth):
    brewery = factories.new_exporter(factories.area("131041"), name="新宿酒造")
    sake = factories.product(brewery, "清酒")
    factories.export_sale(sake, LAST_MONTH.year, LAST_MONTH.month, "HK", 480_000)
    brewer = factories.user("exporter", exporter=brewery)
    _login(auth, brewer)
    sales = f"/exports/exporters/{brewery.id}/sales?month={LAST_MONTH}"
    page = client.get(sales, headers=EN).get_data(as_text=True)
    assert f'action="/notes/exporters/{brewery.id}/{LAST_MONTH}"' in page
    response = client.post(f"/notes/exporters/{brewery.id}/{LAST_MONTH}",
                           data={"text": "New distributor in Hong Kong", "back": "sales"})
    assert response.headers["Location"] == sales
    home = client.get(f"/exports/exporters/{brewery.id}?year={LAST_MONTH.year}", headers=EN).get_data(as_text=True)
    assert f'href="/notes/exporters/{brewery.id}/{LAST_MONTH}" title="New distributor in Hong Kong"' in home
    assert '<input type="checkbox" name="notes" value="1">' in home  # the download form offers the notes column
    other = factories.new_exporter(factories.area("271004"))
    assert client.post(f"/notes/exporters/{other.id}/{LAST_MONTH}", data={"text": "x"}).status_code == 403


def _csv(body: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def test_a_visitor_download_with_notes_has_them_in_a_last_column_and_imports_back_unchanged(client, auth, tokyo):
    factories.visitor_count(tokyo["shinjuku"], LAST_MONTH.year, LAST_MONTH.month, "KR", 300)
    factories.note(str(LAST_MONTH), "=Typhoon", area=tokyo["shinjuku"], author=tokyo["officer"])
    factories.note(str(LAST_MONTH), "Festival", area=tokyo["shinjuku"], author=tokyo["officer"])
    factories.note(str(LAST_MONTH), "Tokyo-wide", area=tokyo["tokyo"], author=tokyo["officer"])
    _login(auth, tokyo["officer"])
    with client.get("/visitors/export.csv?areas=131041&notes=1&lang=ja") as response:
        body = response.get_data()
    rows = _csv(body)
    assert rows[0] == ["団体コード", "年", "月", "国・地域コード", "外国人訪問者数", "確定区分", "備考"]
    # a Japanese file writes the statuses in JNTO's words, which the import reads back
    assert [row[3:] for row in rows[1:]] == [["CN", "1200", "確定値", "'=Typhoon\nFestival"],
                                             ["KR", "300", "確定値", "'=Typhoon\nFestival"]]
    result = import_visitors(io.BytesIO(body), "roundtrip.csv", None)
    assert result.ok, result.errors
    assert (result.created, result.updated, result.unchanged) == (0, 0, 2)
    db.session.rollback()
    with client.get("/visitors/export.xlsx?areas=131041&notes=1") as response:
        sheet = load_workbook(io.BytesIO(response.get_data()), read_only=True).active
        cells = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert cells[0][-1] == "note" and cells[1][-1] == "'=Typhoon\nFestival"
    plain = _csv(client.get("/visitors/export.csv?areas=131041").get_data())
    assert plain[0] == ["area_code", "year", "month", "market", "visitors", "status"]


def test_a_sales_download_with_notes_carries_each_exporters_month_notes(client, auth):
    brewery = factories.new_exporter(factories.area("131041"), name="新宿酒造")
    sake = factories.product(brewery, "清酒")
    factories.export_sale(sake, 2024, 7, "HK", 100)
    factories.export_sale(sake, 2024, 8, "HK", 200)
    factories.note("2024-08", "Typhoon", exporter=brewery, author=None)
    _login(auth, factories.user("admin"))
    with client.get(f"/exports/download.csv?exporter={brewery.id}&notes=1") as response:
        body = response.get_data()
    rows = _csv(body)
    assert rows[0][-2:] == ["value_jpy", "note"]
    assert [(row[3], row[-1]) for row in rows[1:]] == [("7", ""), ("8", "Typhoon")]
    result, _importer = import_exports(io.BytesIO(body), "roundtrip.csv", None)
    assert result.ok, result.errors
    assert (result.created, result.updated, result.unchanged) == (0, 0, 2)


def _monthly_figure(page: str) -> dict:
    body = re.search(r'class="chart-data" data-chart="chart-monthly"[^>]*>(.*?)</script>', page, re.S).group(1)
    return json.loads(body)


def test_the_target_pages_monthly_chart_marks_the_months_with_notes(client, auth, tokyo):
    for month in range(1, 13):
        factories.visitor_count(tokyo["tokyo"], 2015, month, "CN", 100_000)
        factories.visitor_count(tokyo["shinjuku"], 2015, month, "KR", 1_000)
    rebuild_visitor_rollups()
    target = factories.target(tokyo["tokyo"], baseline_year=2011, target_year=2020)
    factories.note("2015-08", "Typhoon <closed> Haneda", area=tokyo["tokyo"], author=tokyo["officer"])
    factories.note("2015-08", "Shinjuku only", area=tokyo["shinjuku"], author=tokyo["officer"])  # not summed here
    _login(auth, factories.user("viewer"))
    page = client.get(f"/dashboard/targets/{target.id}?from=2015&to=2015", headers=EN).get_data(as_text=True)
    (marks,) = [trace for trace in _monthly_figure(page)["data"] if trace["name"] == "Notes"]
    assert marks["x"] == ["2015-08"] and marks["hovertext"] == ["Tokyo: Typhoon &lt;closed> Haneda"]
    page = client.get(f"/dashboard/targets/{target.id}?from=2015&to=2015&subareas=1", headers=EN)
    (marks,) = [trace for trace in _monthly_figure(page.get_data(as_text=True))["data"] if trace["name"] == "Notes"]
    assert marks["hovertext"] == [f"Tokyo: Typhoon &lt;closed> Haneda<br>{tokyo['shinjuku'].name_en}: Shinjuku only"]


def test_an_export_targets_chart_shows_an_exporters_notes_only_to_who_may_see_its_sales(client, auth):
    shinjuku = factories.area("131041")
    brewery = factories.new_exporter(shinjuku, name="新宿酒造")
    sake = factories.product(brewery, "清酒")
    for month in range(1, 13):
        factories.export_sale(sake, 2015, month, "HK", 1_000_000)
    target = factories.target(shinjuku, metric="export_value", baseline_value=10_000_000)
    factories.note("2015-03", "New distributor", exporter=brewery)
    viewer, officer = factories.user("viewer"), factories.user("officer", areas=[factories.area("130001")])
    db.session.commit()
    seen = {}
    for user in (viewer, officer):
        auth.login(user.email)
        page = client.get(f"/dashboard/targets/{target.id}?from=2015&to=2015", headers=EN).get_data(as_text=True)
        seen[user.role] = [trace["hovertext"] for trace in _monthly_figure(page)["data"] if trace["name"] == "Notes"]
        auth.logout()
    assert seen == {"viewer": [], "officer": [["新宿酒造: New distributor"]]}


def test_the_list_of_notes_shows_what_each_reader_may_see(client, auth, tokyo):
    brewery = factories.new_exporter(tokyo["shinjuku"], name="新宿酒造")
    factories.note(str(LAST_MONTH), "Area note", area=tokyo["shinjuku"], author=tokyo["officer"])
    factories.note(str(LAST_MONTH), "Sales note", exporter=brewery)
    factories.note(str(LAST_MONTH), "Osaka note", area=factories.area("270008"))
    readers = {"viewer": factories.user("viewer"), "officer": tokyo["officer"],
               "exporter": factories.user("exporter", exporter=brewery)}
    db.session.commit()
    seen = {}
    for role, user in readers.items():
        auth.login(user.email)
        page = client.get("/notes/?area=130001", headers=EN).get_data(as_text=True)
        seen[role] = re.findall(r'<td class="note-text">([^<]*)</td>', page)
        auth.logout()
    assert seen == {"viewer": ["Area note"], "officer": ["Sales note", "Area note"], "exporter": ["Sales note"]}


@pytest.fixture
def csrf_app(database_url, app):
    """The app as it runs in production: CSRF checks on."""
    production = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "test-secret"})
    yield production
    with production.app_context():
        db.engine.dispose()


def test_the_note_form_beside_the_grid_carries_its_csrf_token(csrf_app, tokyo):
    db.session.commit()
    browser = csrf_app.test_client()
    login = browser.get("/login").get_data(as_text=True)
    browser.post("/login", data={"email": tokyo["officer"].email, "password": factories.PASSWORD,
                                 "csrf_token": re.search(r'name="csrf_token" value="([^"]+)"', login)[1]})
    page = browser.get(f"/visitors/131041/{LAST_MONTH}").get_data(as_text=True)
    panel = page[page.index('class="note-form"'):]
    token = re.search(r'name="csrf_token" value="([^"]+)"', panel)[1]
    url = f"/notes/areas/131041/{LAST_MONTH}"
    assert browser.post(url, data={"text": "forged"}).status_code == 400
    assert browser.post(url, data={"text": "Typhoon", "csrf_token": token, "back": "entry"}).status_code == 302
    assert _texts() == ["Typhoon"]


def test_the_notes_history_names_where_each_change_came_from_in_words(client, auth, tokyo):
    factories.note(str(LAST_MONTH), "Typhoon", area=tokyo["shinjuku"], author=tokyo["officer"])
    _login(auth, tokyo["officer"])
    english = client.get(f"/notes/areas/131041/{LAST_MONTH}", headers=EN).get_data(as_text=True)
    japanese = client.get(f"/notes/areas/131041/{LAST_MONTH}", headers={"Accept-Language": "ja"}).get_data(as_text=True)
    assert "<td>Entry form</td></tr>" in english and "<td>form</td>" not in english
    assert "<td>入力フォーム</td></tr>" in japanese


def test_an_exporter_s_notes_are_headed_with_its_name_in_the_page_s_language(client, auth, tokyo):
    owner = factories.new_exporter(tokyo["shinjuku"], name="越後酒造協同組合")
    owner.name_en = "Echigo Sake Brewers' Cooperative"
    note = factories.note(str(LAST_MONTH), "Late ship", exporter=owner)
    _login(auth, factories.user("exporter", exporter=owner))
    month = client.get(f"/notes/exporters/{owner.id}/{LAST_MONTH}", headers=EN).get_data(as_text=True)
    edit = client.get(f"/notes/{note.id}/edit", headers=EN).get_data(as_text=True)
    assert "Notes · Echigo Sake Brewers&#39; Cooperative ·" in month and "越後酒造協同組合" not in month
    assert "Echigo Sake Brewers&#39; Cooperative" in edit and "越後酒造協同組合" not in edit
