import io
import re

import pytest
from sqlalchemy import func, select

from tests import factories
from tracker.extensions import db
from tracker.formatting import month_label
from tracker.models import ImportBatch, Revision, VisitorCount, VisitorRollup
from tracker.periods import Month, current_month
from tracker.visitors.services import Conflict, Entry, VisitorSaveError, save_month

EN = {"Accept-Language": "en"}


@pytest.fixture
def shibuya(app):
    area = factories.area("131130")
    db.session.commit()
    return area


@pytest.fixture
def officer(shibuya):
    user = factories.user("officer", areas=[shibuya])
    db.session.commit()
    return user


def _login(auth, user):
    assert auth.login(user.email).status_code == 302


def _figures():
    rows = db.session.execute(select(VisitorCount.month, VisitorCount.market_id, VisitorCount.visitors,
                                     VisitorCount.status, VisitorCount.version))
    return sorted(tuple(row) for row in rows)


def test_an_officer_saves_a_month_in_one_go_with_a_revision_per_figure(client, auth, officer, shibuya):
    _login(auth, officer)
    page = client.get("/visitors/131130/2015-04", headers=EN).get_data(as_text=True)
    assert 'name="visitors-CN"' in page and 'name="visitors-ZZ"' in page
    response = client.post("/visitors/131130/2015-04", data={"visitors-CN": "1,200", "visitors-KR": "３００",
                                                              "visitors-US": "", "status": "provisional"})
    assert response.status_code == 302
    assert _figures() == [(4, factories.market("CN").id, 1200, "provisional", 1),
                          (4, factories.market("KR").id, 300, "provisional", 1)]
    revisions = db.session.scalars(select(Revision).order_by(Revision.record_key)).all()
    assert [(r.record_key, r.old_value, r.new_value, r.source, r.user_id) for r in revisions] == [
        ("131130/2015-04/CN", None, "1200", "form", officer.id), ("131130/2015-04/KR", None, "300", "form", officer.id)]
    tokyo = select(func.sum(VisitorRollup.visitors)).where(VisitorRollup.area_id == shibuya.parent_id)
    rollup = db.session.scalar(tokyo)
    assert rollup == 1500


def test_the_grid_shows_last_year_and_the_previous_month_beside_each_market(client, auth, officer, shibuya):
    factories.visitor_count(shibuya, 2014, 4, "CN", 4321)
    factories.visitor_count(shibuya, 2015, 3, "CN", 8765)
    db.session.commit()
    _login(auth, officer)
    page = client.get("/visitors/131130/2015-04", headers=EN).get_data(as_text=True)
    assert "4,321" in page and "8,765" in page


def test_invalid_figures_and_future_months_are_refused_with_messages(client, auth, officer, shibuya):
    _login(auth, officer)
    response = client.post("/visitors/131130/2015-04", data={"visitors-CN": "-5", "visitors-KR": "1.5",
                                                              "status": "final"}, headers=EN)
    assert response.status_code == 422
    assert response.get_data(as_text=True).count("Enter a whole number of 0 or more.") == 2
    response = client.post("/visitors/131130/2015-04", data={"visitors-CN": "３０００００００００", "status": "final"},
                           headers=EN)
    assert response.status_code == 422 and "Too large: at most 2,147,483,647." in response.get_data(as_text=True)
    future = current_month().shift(2)
    response = client.post(f"/visitors/131130/{future}", data={"visitors-CN": "5", "status": "final"}, headers=EN)
    written = month_label(future.year, future.month, "en")  # April 2015, not 2015-04
    assert response.status_code == 422 and f"{written} is in the future." in response.get_data(as_text=True)
    assert _figures() == []


def test_an_outlier_needs_confirmation_which_is_recorded(client, auth, officer, shibuya):
    factories.visitor_count(shibuya, 2014, 4, "CN", 1000)
    db.session.commit()
    _login(auth, officer)
    refused = client.post("/visitors/131130/2015-04", data={"visitors-CN": "3500", "status": "final"}, headers=EN)
    assert refused.status_code == 422
    assert "more than three times" in refused.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).where(VisitorCount.year == 2015)) == 0
    saved = client.post("/visitors/131130/2015-04", data={"visitors-CN": "3500", "status": "final",
                                                           "confirm_outliers": "y"}, headers=EN)
    assert saved.status_code == 302
    revision = db.session.scalar(select(Revision).where(Revision.record_key == "131130/2015-04/CN"))
    assert revision.new_value == "3500" and "outlier confirmed: 3500 against 1000 last year" in revision.note


def test_a_second_save_over_changed_figures_is_refused_with_both_values(client, auth, officer, shibuya):
    figure = factories.visitor_count(shibuya, 2015, 4, "CN", 1000, status="provisional")
    db.session.commit()
    _login(auth, officer)
    # two officers opened the month at version 1; the first saves 1100
    first = client.post("/visitors/131130/2015-04", data={"visitors-CN": "1100", "version-CN": "1",
                                                           "status": "provisional"})
    assert first.status_code == 302
    second = client.post("/visitors/131130/2015-04", data={"visitors-CN": "1050", "version-CN": "1",
                                                            "status": "provisional"}, headers=EN)
    page = second.get_data(as_text=True)
    assert second.status_code == 409  # the same words as the sales page's conflict, above the comparison
    assert "<p>Someone else saved some of these figures since you opened the form; nothing was saved." in page
    assert '<td class="yours">1,050</td>' in page and '<td class="theirs">1,100</td>' in page
    db.session.expire_all()
    assert (db.session.get(VisitorCount, figure.id).visitors, db.session.get(VisitorCount, figure.id).version) == (
        1100, 2)


def test_a_final_month_can_be_corrected_and_the_history_shows_it(client, auth, officer, shibuya):
    factories.visitor_count(shibuya, 2015, 4, "CN", 1000, status="provisional")
    db.session.commit()
    _login(auth, officer)
    assert client.post("/visitors/131130/2015-04", data={"visitors-CN": "1000", "version-CN": "1",
                                                          "status": "final"}).status_code == 302
    assert client.post("/visitors/131130/2015-04", data={"visitors-CN": "1010", "version-CN": "2",
                                                          "status": "final"}).status_code == 302
    row = db.session.scalar(select(VisitorCount))
    assert (row.visitors, row.status, row.version) == (1010, "final", 3)
    page = client.get("/visitors/131130/2015-04/history", headers=EN).get_data(as_text=True)
    assert "Status: Provisional → Final" in page and "1,010" in page


def test_an_officer_cannot_write_outside_its_areas(client, auth, officer):
    factories.area("271004")
    db.session.commit()
    _login(auth, officer)
    assert client.get("/visitors/271004/2015-04").status_code == 403
    assert client.post("/visitors/271004/2015-04", data={"visitors-CN": "5", "status": "final"}).status_code == 403
    upload = client.post("/visitors/import", data={"file": (io.BytesIO(
        b"area_code,year,month,market,visitors\n271004,2015,4,CN,5\n"), "v.csv")}, headers=EN, follow_redirects=True)
    assert upload.request.path.startswith("/imports/")
    assert "The area 271004 is outside your areas." in upload.get_data(as_text=True)
    assert _figures() == [] and db.session.scalar(select(func.count()).select_from(ImportBatch)) == 0


def test_the_service_refuses_a_viewer(app, shibuya):
    viewer = factories.user("viewer")
    with pytest.raises(PermissionError):
        save_month(viewer, shibuya, Month(2015, 4), [Entry("CN", 5)], read={}, status="final")


def test_the_service_refuses_unknown_markets(app, officer, shibuya):
    with pytest.raises(VisitorSaveError) as refused:
        save_month(officer, shibuya, Month(2015, 4), [Entry("QQ", 5)], read={}, status="final")
    assert refused.value.errors == {"QQ": "Unknown country or region code: QQ."}


def test_the_upload_page_reports_every_error_with_its_line(client, auth, officer):
    _login(auth, officer)
    content = b"area_code,year,month,market,visitors\n131130,2015,4,CN,x\n131130,2015,4,QQ,1\n"
    response = client.post("/visitors/import", data={"file": (io.BytesIO(content), "v.csv")}, headers=EN)
    assert response.status_code == 303 and response.headers["Location"].startswith("/imports/")
    page = client.get(response.headers["Location"], headers=EN).get_data(as_text=True)
    assert "Not imported" in page
    assert "<td>2</td><td>visitors</td><td>Not a whole number: x.</td>" in page
    assert "<td>3</td><td>market</td><td>Unknown country or region code: QQ.</td>" in page
    fixed = content.replace(b"x", b"7").replace(b"QQ", b"KR")
    clean = client.post("/visitors/import", data={"file": (io.BytesIO(fixed), "v.csv")}, headers=EN,
                        follow_redirects=True)
    assert clean.status_code == 200 and "created 2, updated 0, unchanged 0" in clean.get_data(as_text=True)


def test_the_overview_shows_statuses_totals_and_the_share_that_reported(client, auth, officer, shibuya):
    factories.visitor_count(shibuya, 2015, 4, "CN", 1000, status="provisional")
    factories.visitor_count(shibuya, 2015, 4, "KR", 500, status="final")
    factories.area("131016")
    from tracker.rollups import refresh_visitor_rollups

    refresh_visitor_rollups([(2015, 4)])
    admin = factories.user("admin")
    db.session.commit()
    _login(auth, officer)
    page = client.get("/visitors/?year=2015", headers=EN).get_data(as_text=True)
    assert "1,500" in page and "Provisional" in page and "/visitors/131130/2015-04" in page
    auth.logout()
    _login(auth, admin)
    nation = client.get("/visitors/?year=2015", headers=EN).get_data(as_text=True)
    assert "Municipalities that reported" in nation and "<td>50%</td>" in nation
    assert '<a href="/visitors/?year=2015&amp;area=130001">Tokyo</a>' in nation
    assert '<a href="/visitors/?year=2015&amp;area=010006">Hokkaido</a>' in nation  # no figures, still listed
    tokyo = client.get("/visitors/?year=2015&area=130001", headers=EN).get_data(as_text=True)
    body = tokyo[tokyo.index("<tbody>"):tokyo.index("</tbody>")]
    rows = re.findall(r'<tr>\s*<th scope="row">(.*?)</tr>', body, re.S)
    assert [re.search(r"<small>(\d+)</small>", row).group(1) for row in rows] == ["130001", "131016", "131130"]
    assert "1,500" in rows[2] and "1,500" not in rows[1]
    assert "Municipalities that reported (Tokyo)" in tokyo and "<td>50%</td>" in tokyo
    assert 'href="/visitors/?year=2015&amp;area=JP">Up to Japan</a>' in tokyo


def test_templates_and_exports_download(client, auth, officer, shibuya):
    factories.visitor_count(shibuya, 2015, 4, "CN", 1000)
    factories.visitor_count(shibuya, 2016, 4, "CN", 2000)
    db.session.commit()
    _login(auth, officer)
    template = client.get("/visitors/template.csv")
    assert template.get_data().decode("utf-8-sig").splitlines()[0] == "area_code,year,month,market,visitors,status"
    with client.get("/visitors/template.xlsx?lang=ja") as workbook:  # sent from a temporary file
        assert workbook.data[:2] == b"PK"
    export = client.get("/visitors/export.csv?areas=131130&from=2015-01&to=2015-12&markets=CN")
    assert export.get_data().decode("utf-8-sig").splitlines() == [
        "area_code,year,month,market,visitors,status", "131130,2015,4,CN,1000,final"]
    japanese = client.get("/visitors/export.csv?areas=131130&from=2015-01&to=2015-12&lang=ja")
    assert japanese.get_data().decode("utf-8-sig").splitlines() == [
        "団体コード,年,月,国・地域コード,外国人訪問者数,確定区分", "131130,2015,4,CN,1000,確定値"]
    template = client.get("/visitors/template.csv?lang=ja")
    assert template.get_data().decode("utf-8-sig").splitlines()[0] == japanese.get_data().decode(
        "utf-8-sig").splitlines()[0]


def test_an_officer_picks_one_of_its_areas_and_a_month(client, auth, officer):
    _login(auth, officer)
    page = client.get("/visitors/entry", headers=EN).get_data(as_text=True)
    assert 'value="131130"' in page
    response = client.get("/visitors/entry?area=131130&month=2015-4")
    assert response.status_code == 302 and response.headers["Location"].endswith("/visitors/131130/2015-04")
    assert client.get("/visitors/entry?area=131130&month=April", headers=EN).status_code == 200


def test_an_xlsx_export_of_a_selection_imports_back_unchanged(client, auth, officer, shibuya):
    factories.visitor_count(shibuya, 2015, 4, "CN", 1000, status="estimate")
    db.session.commit()
    _login(auth, officer)
    with client.get("/visitors/export.xlsx?areas=131130&markets=CN") as download:
        workbook = download.data
    response = client.post("/visitors/import", data={"file": (io.BytesIO(workbook), "export.xlsx")}, headers=EN,
                           follow_redirects=True)
    assert response.status_code == 200 and "created 0, updated 0, unchanged 1" in response.get_data(as_text=True)


def test_clearing_a_cell_removes_the_figure_with_a_revision(app, officer, shibuya):
    factories.visitor_count(shibuya, 2015, 4, "CN", 1000)
    factories.visitor_count(shibuya, 2015, 4, "KR", 50)
    changed = save_month(officer, shibuya, Month(2015, 4), [Entry("CN", None), Entry("KR", 50)],
                         read={"CN": 1, "KR": 1}, status="final")
    assert changed == 1
    assert _figures() == [(4, factories.market("KR").id, 50, "final", 1)]
    revision = db.session.scalar(select(Revision))
    assert (revision.record_key, revision.old_value, revision.new_value) == ("131130/2015-04/CN", "1000", None)


def test_a_figure_saved_since_the_form_was_read_is_a_conflict_and_nothing_is_written(app, officer, shibuya):
    factories.visitor_count(shibuya, 2015, 4, "CN", 1000)
    db.session.commit()
    save_month(officer, shibuya, Month(2015, 4), [Entry("CN", 1100)], read={"CN": 1}, status="final")
    db.session.commit()
    with pytest.raises(VisitorSaveError) as refused:
        save_month(officer, shibuya, Month(2015, 4), [Entry("CN", 1200), Entry("KR", 5)], read={"CN": 1},
                   status="final")
    db.session.rollback()
    assert refused.value.conflicts == [Conflict("CN", 1200, 1100)]
    assert _figures() == [(4, factories.market("CN").id, 1100, "final", 2)]


def test_the_page_script_gets_the_job_then_follows_it_to_the_report(client, auth, officer):
    _login(auth, officer)
    lines = "".join(f"131130,2015,{month},{code},{month * 10},final\n" for month in range(1, 13)
                    for code in ("CN", "KR", "TW", "HK", "US", "GB", "FR", "DE", "AU", "TH", "SG", "MY"))
    content = ("area_code,year,month,market,visitors,status\n" + lines).encode()
    response = client.post("/visitors/import", data={"file": (io.BytesIO(content), "v.csv")},
                           headers={**EN, "X-Requested-With": "fetch"})
    assert response.status_code == 202
    job = response.get_json()
    assert job == {"job": job["job"], "page": f"/imports/{job['job']}", "status": f"/api/v1/jobs/{job['job']}",
                   "report": f"/imports/{job['job']}/report"}
    status = client.get(job["status"], headers=EN).get_json()
    assert status == {"id": job["job"], "kind": "visitors", "status": "done", "progress": 1.0,
                      "result": {"created": 144, "updated": 0, "unchanged": 0}, "errors": []}
    assert 'data-saving="Saving…"' in client.get("/visitors/import", headers=EN).get_data(as_text=True)
    report = client.get(job["report"], headers=EN).get_data(as_text=True)
    assert report.lstrip().startswith('<section id="import-report"')
    assert "created 144, updated 0, unchanged 0" in report
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(VisitorCount)) == 144
def test_a_prefecture_officer_reaches_its_municipalities_and_reads_the_rest(client, auth, shibuya):
    tokyo = factories.area("130001")
    factories.visitor_count(shibuya, 2015, 4, "CN", 1000)
    officer = factories.user("officer", areas=[tokyo])
    db.session.commit()
    _login(auth, officer)
    mine = client.get("/visitors/?year=2015", headers=EN).get_data(as_text=True)
    assert '<a href="/visitors/?year=2015&amp;area=130001">Tokyo</a>' in mine
    below = client.get("/visitors/?year=2015&area=130001", headers=EN).get_data(as_text=True)
    assert "1,000" in below and "/visitors/131130/2015-04" in below
    assert '<a href="/visitors/?year=2015">Your areas</a>' in below and "Up to Japan" in below
    osaka = client.get("/visitors/?year=2015&area=270008", headers=EN).get_data(as_text=True)
    assert "Osaka" in osaka and "/visitors/270008/2015-04" not in osaka  # read, never an edit link
    picker = client.get("/visitors/entry", headers=EN).get_data(as_text=True)
    assert 'value="130001"' in picker and 'value="131130"' in picker and 'value="JP"' not in picker


def test_an_export_selection_naming_unknown_areas_or_bad_months_exports_nothing(client, auth, officer, shibuya):
    factories.visitor_count(shibuya, 2015, 4, "CN", 1000)
    db.session.commit()
    _login(auth, officer)
    response = client.get("/visitors/export.csv?areas=131130,999999&from=2015-01", headers=EN)
    assert response.status_code == 302 and response.headers["Location"] == "/visitors/"
    page = client.get("/visitors/", headers=EN).get_data(as_text=True)
    assert "Unknown area codes: 999999." in page
    response = client.get("/visitors/export.xlsx?from=April", headers=EN, follow_redirects=True)
    assert "Months are written YYYY-MM, for example 2015-04." in response.get_data(as_text=True)


def test_the_overview_opens_on_the_latest_year_with_figures(client, auth, officer, shibuya):
    factories.visitor_count(shibuya, 2015, 4, "CN", 1000)
    factories.visitor_count(shibuya, current_month().year + 1, 1, "CN", 5)  # never a future year
    db.session.commit()
    _login(auth, officer)
    page = client.get("/visitors/", headers=EN).get_data(as_text=True)
    assert "<h1>Visitor figures · 2015</h1>" in page and "1,000" in page
    assert "<h1>Visitor figures · 2016</h1>" in client.get("/visitors/?year=2016", headers=EN).get_data(as_text=True)
