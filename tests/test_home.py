import calendar

import plotly.graph_objects as go

from tests import factories
from tracker.charts import Table
from tracker.charts.sales import sales_trend_figure
from tracker.extensions import db
from tracker.periods import Month
from tracker.reporting import units
from tracker.reporting.deadlines import latest_due_month, today

EN = {"Accept-Language": "en"}
JA = {"Accept-Language": "ja"}


def test_home_says_how_many_of_the_municipalities_reported_the_latest_month_that_is_due(client, auth):
    due = latest_due_month(units.rule("visitors"), today())
    shibuya, chuo, _minato = factories.area("131130"), factories.area("131024"), factories.area("131032")
    factories.visitor_count(shibuya, due.year, due.month, "CN", 10)
    factories.visitor_count(shibuya, due.shift(1).year, due.shift(1).month, "CN", 10)  # a month not due yet
    factories.visitor_count(chuo, due.shift(1).year, due.shift(1).month, "KR", 5)
    factories.visitor_count(factories.area("JP"), due.year, due.month, "CN", 1_000)  # the nation: not a unit
    viewer = factories.user("viewer")
    db.session.commit()
    auth.login(viewer.email)
    english = client.get("/", headers=EN).get_data(as_text=True)
    assert f"<strong>1</strong> of 3 municipalities reported {_english(due)}" in english
    japanese = client.get("/", headers=JA).get_data(as_text=True)
    assert f"3 市区町村のうち <strong>1</strong> が{due.year}年{due.month}月分を報告" in japanese


def _english(month) -> str:
    return f"{calendar.month_name[month.month]} {month.year}"


def test_home_without_municipalities_says_nothing_of_reporting(client, auth):
    viewer = factories.user("viewer")
    db.session.commit()
    auth.login(viewer.email)
    assert "municipalities reported" not in client.get("/", headers=EN).get_data(as_text=True)


def test_an_exporters_home_shows_its_own_sales_trend_and_months_not_the_nations_visitors(client, auth):
    last = Month.of(today()).shift(-1)
    owner = factories.new_exporter(factories.area("131016"), name="酒蔵")
    sake = factories.product(owner, "清酒")
    factories.export_sale(sake, last.year, last.month, "HK", 1_200_000)
    factories.export_sale(sake, last.year, last.month, "US", 300_000)
    earlier = last.shift(-12)
    factories.export_sale(sake, earlier.year, earlier.month, "HK", 900_000)
    factories.visitor_count(factories.area("JP"), last.year, last.month, "CN", 1_000)
    user = factories.user("exporter", exporter=owner)
    db.session.commit()
    auth.login(user.email)
    page = client.get("/", headers=EN).get_data(as_text=True)
    assert "foreign visitors by year" not in page
    assert 'id="chart-own-sales"' in page and "plotly" in page
    latest = f"/exports/exporters/{owner.id}/sales?month={last}"
    assert f'href="{latest}">Enter the sales of {_english(last)}</a>' in page
    row = page[page.index(f'<a href="{latest}">{_english(last)}</a>'):]
    assert row.index("¥1,500,000") < row.index("¥900,000") < row.index("</tr>")
    assert "Your months: the last twelve" in page


def test_the_sales_trend_is_built_from_plain_rows_in_the_pages_language(app):
    rows = Table(("Month", "Sales", "Earlier"), (("2026-10", 1_500_000, None), ("2026-11", None, 900_000)))
    with app.test_request_context(headers=JA):
        figure = sales_trend_figure(rows)
    go.Figure(figure)  # plotly's own schema accepts it
    bars, line = figure["data"]
    assert (bars["type"], bars["name"], bars["x"], bars["y"]) == ("bar", "売上", ["2026-10-01", "2026-11-01"],
                                                                  [1_500_000, None])
    assert (line["type"], line["y"]) == ("scatter", [None, 900_000])
    assert figure["layout"]["yaxis"]["ticktext"][-1] == "150万円"
    assert figure["layout"]["xaxis"]["tickformat"] == "%Y年%-m月"
