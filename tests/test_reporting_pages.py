"""The reporting pages: the buttons on the grid and the sales form, the home strip, the approvers' queue, the
completeness page and its heatmap, and the admins' rules."""

import json
import re

import plotly.graph_objects as go
import pytest
from sqlalchemy import select

from tests import factories
from tracker.charts import Table
from tracker.charts.completeness import completeness_figure
from tracker.extensions import db
from tracker.models import DueException, ReportingMonth, ReportingRule, ReportingUnitArea
from tracker.periods import Month, current_month
from tracker.reporting.services import current_state, transition
from tracker.reporting.units import Unit

EN = {"Accept-Language": "en"}
APRIL = Month(2015, 4)


@pytest.fixture
def tokyo(app):
    shibuya, chuo = factories.area("131130"), factories.area("131016")
    people = {
        "officer": factories.user("officer", areas=[shibuya], email="shibuya@example.jp"),
        "approver": factories.user("officer", areas=[shibuya.parent], email="tokyo@example.jp"),
        "viewer": factories.user("viewer"),
        "admin": factories.user("admin"),
    }
    factories.visitor_count(shibuya, 2015, 4, "CN", 100)
    factories.visitor_count(chuo, 2015, 4, "CN", 50)
    db.session.commit()
    return {"shibuya": shibuya, "chuo": chuo, **people}


def test_the_grid_offers_submit_once_the_month_has_figures_and_submitting_goes_back_to_it(client, auth, tokyo):
    auth.login(tokyo["officer"].email)
    empty = client.get("/visitors/131130/2015-05", headers=EN).get_data(as_text=True)
    assert "not reported" in empty and "/reporting/visitors/131130/2015-05/submit" not in empty
    page = client.get("/visitors/131130/2015-04", headers=EN).get_data(as_text=True)
    assert "/reporting/visitors/131130/2015-04/submit" in page and "late" in page
    response = client.post("/reporting/visitors/131130/2015-04/submit", data={"next": "/visitors/131130/2015-04"})
    assert response.status_code == 302 and response.headers["Location"] == "/visitors/131130/2015-04"
    assert current_state(Unit.of(tokyo["shibuya"]), APRIL) == "submitted"
    again = client.get("/visitors/131130/2015-04", headers=EN).get_data(as_text=True)
    assert "submitted" in again and "/2015-04/submit" not in again and "/2015-04/approve" not in again
    assert client.post("/reporting/visitors/131130/2015-04/approve", data={"next": "/"}).status_code == 403
    assert client.post("/reporting/visitors/131130/2015-04/submit", data={"next": "https://evil.example/"},
                       headers=EN).headers["Location"] == "/"


def test_the_sales_form_offers_submit_to_its_exporter(client, auth, app):
    exporter = factories.new_exporter(factories.area("131016"))
    factories.export_sale(factories.product(exporter), 2015, 4, "HK", 100)
    user = factories.user("exporter", exporter=exporter)
    db.session.commit()
    auth.login(user.email)
    page = client.get(f"/exports/exporters/{exporter.id}/sales?month=2015-04", headers=EN).get_data(as_text=True)
    assert f"/reporting/exports/{exporter.id}/2015-04/submit" in page
    assert client.post(f"/reporting/exports/{exporter.id}/2015-04/submit", data={"next": "/"}).status_code == 302
    assert current_state(Unit.of(exporter), APRIL) == "submitted"


def test_the_officers_home_shows_its_last_twelve_months(client, auth, tokyo):
    last = current_month().shift(-1)
    factories.visitor_count(tokyo["shibuya"], last.year, last.month, "KR", 5)
    db.session.commit()
    auth.login(tokyo["officer"].email)
    page = client.get("/", headers=EN).get_data(as_text=True)
    assert "the last twelve months" in page
    assert page.count('<li class="state-') == 12
    assert f"/visitors/131130/{last}" in page and f"/visitors/131130/{last.shift(-11)}" in page
    assert '<li class="state-entered' in page


def test_an_approver_approves_a_prefecture_at_once_and_returns_with_a_comment(client, auth, tokyo):
    for area in (tokyo["shibuya"], tokyo["chuo"]):
        transition(tokyo["admin"], Unit.of(area), APRIL, "submit")
    db.session.commit()
    auth.login(tokyo["officer"].email)
    assert "Nothing is waiting" in client.get("/reporting/queue", headers=EN).get_data(as_text=True)
    auth.logout()
    auth.login(tokyo["approver"].email)
    page = client.get("/reporting/queue", headers=EN).get_data(as_text=True)
    assert 'value="131016/2015-04"' in page and 'value="131130/2015-04"' in page
    refused = client.post("/reporting/queue", data={"selected": ["131130/2015-04"], "send_back": "1"}, headers=EN)
    assert "Give a comment." in refused.get_data(as_text=True)
    returned = client.post("/reporting/queue", data={"selected": ["131130/2015-04"], "send_back": "1",
                                                     "comment": "KR missing"})
    assert returned.status_code == 302
    assert current_state(Unit.of(tokyo["shibuya"]), APRIL) == "entered"
    transition(tokyo["admin"], Unit.of(tokyo["shibuya"]), APRIL, "submit")
    db.session.commit()
    bulk = client.post("/reporting/queue", data={"all": "131016/2015-04 131130/2015-04"})
    assert bulk.status_code == 302
    assert {row.status for row in db.session.scalars(select(ReportingMonth))} == {"approved"}


def test_the_completeness_page_shows_rates_the_heatmap_and_the_late_with_contacts(client, auth, tokyo):
    transition(tokyo["admin"], Unit.of(tokyo["chuo"]), APRIL, "submit")
    db.session.commit()
    auth.login(tokyo["officer"].email)
    assert client.get("/reporting/").status_code == 403
    auth.logout()
    auth.login(tokyo["viewer"].email)
    page = client.get("/reporting/?metric=visitors&area=130001&month=2015-04", headers=EN).get_data(as_text=True)
    assert "1 of 2 units submitted." in page
    assert "50.0%" in page  # reporting rate (and the on-time rate: chuo submitted long after the due date)
    assert 'id="chart-completeness"' in page
    assert "mailto:shibuya@example.jp" in page
    nation = client.get("/reporting/?month=2015-04", headers=EN).get_data(as_text=True)
    assert "Tokyo" in nation or "東京都" in nation


def test_the_heatmap_colours_each_unit_month_by_its_state(app):
    with app.test_request_context(headers=EN):
        labels = {"missing": "not reported", "entered": "entered", "submitted": "submitted", "approved": "approved"}
        table = Table(("unit", "code", "2015-03", "2015-04"), (
            ("Chuo", "131016", ("approved", False), ("submitted", True)),
            ("Shibuya", "131130", ("entered", True), ("missing", False)),
        ))
        figure = completeness_figure(table, labels)
    go.Figure(figure)
    json.dumps(figure)
    trace = figure["data"][0]
    assert trace["z"] == [[3, 2], [1, 0]]
    assert trace["text"] == [["approved", "submitted (late)"], ["entered (late)", "not reported"]]
    assert trace["y"] == ["Chuo (131016)", "Shibuya (131130)"]
    assert trace["x"] == ["March 2015", "April 2015"]


def test_admins_set_the_rule_the_unit_set_and_exceptions(client, auth, tokyo):
    auth.login(tokyo["viewer"].email)
    assert client.get("/reporting/rules").status_code == 403
    auth.logout()
    auth.login(tokyo["admin"].email)
    assert client.get("/reporting/rules", headers=EN).status_code == 200
    saved = client.post("/reporting/rules?metric=visitors", data={
        "rule-months_after": "1", "rule-day": "20", "rule-listed_units": "y", "rule-unit_areas": "130001 131130",
        "rule-save_rule": "1"})
    assert saved.status_code == 302
    rule = db.session.get(ReportingRule, "visitors")
    assert (rule.months_after, rule.day, rule.listed_units) == (1, 20, True)
    assert {row.area.code for row in db.session.scalars(select(ReportingUnitArea))} == {"130001", "131130"}
    bad = client.post("/reporting/rules?metric=visitors", data={
        "rule-months_after": "1", "rule-unit_areas": "999999", "rule-listed_units": "y", "rule-save_rule": "1"},
        headers=EN)
    assert "Unknown area codes: 999999." in bad.get_data(as_text=True)
    added = client.post("/reporting/rules", data={"exception-metric": "visitors", "exception-unit": "131130",
                                                  "exception-months_after": "2", "exception-day": "",
                                                  "exception-add_exception": "1"})
    assert added.status_code == 302
    exception = db.session.scalar(select(DueException))
    assert (exception.area_id, exception.months_after, exception.day) == (tokyo["shibuya"].id, 2, None)
    page = client.get("/visitors/131130/2015-04", headers=EN).get_data(as_text=True)
    assert "June 30, 2015" in page
    assert client.post(f"/reporting/rules/exceptions/{exception.id}/delete").status_code == 302
    assert db.session.scalar(select(DueException)) is None


def test_the_states_head_the_completeness_columns_capitalised_and_stay_words_in_the_rows(client, auth, tokyo):
    auth.login(tokyo["viewer"].email)
    url = "/reporting/?metric=visitors&area=130001&month=2015-04"
    page = client.get(url, headers=EN).get_data(as_text=True)
    headings = re.findall(r'<th scope="col">([^<]*)</th>', page)
    assert headings[2:6] == ["Not reported", "Entered", "Submitted", "Approved"]
    # a late unit's state, in the late units' table, is a word of its row
    assert "<td>entered</td>" in page
    japanese = client.get(url, headers={"Accept-Language": "ja"}).get_data(as_text=True)
    assert re.findall(r'<th scope="col">([^<]*)</th>', japanese)[2:6] == ["未報告", "入力済み", "提出済み", "承認済み"]
