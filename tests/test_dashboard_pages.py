import json
import re

import pytest

from tests import factories
from tracker.extensions import db
from tracker.rollups import rebuild_export_rollups, rebuild_visitor_rollups

EN = {"Accept-Language": "en"}


@pytest.fixture
def national_target(app):
    nation, sapporo = factories.area("JP"), factories.area("011002")
    for year, monthly in ((2011, 518_229), (2012, 696_508), (2014, 1_117_789), (2015, 1_644_784)):
        for month in range(1, 13):
            factories.visitor_count(nation, year, month, "CN", monthly)
            factories.visitor_count(sapporo, year, month, "KR", monthly // 100)
    rebuild_visitor_rollups()
    target = factories.target(nation, name="18 million by 2016")
    db.session.commit()
    return target


def _login(auth, role):
    user = factories.user(role, areas=[factories.area("011002")] if role == "officer" else ())
    db.session.commit()
    auth.login(user.email)


@pytest.mark.parametrize("role", ["admin", "officer", "viewer"])
def test_readers_see_a_card_per_target_with_its_status(client, auth, national_target, role):
    _login(auth, role)
    page = client.get("/dashboard/", headers=EN).get_data(as_text=True)
    assert "18 million by 2016" in page
    assert 'class="status status-met"' in page
    assert "23.7%" in page  # the growth needed per year
    assert f'href="/dashboard/targets/{national_target.id}"' in page


def test_exporters_and_strangers_see_no_dashboard(client, auth, national_target):
    assert client.get("/dashboard/").status_code == 302
    assert client.get(f"/dashboard/targets/{national_target.id}").status_code == 302
    _login(auth, "exporter")
    assert client.get("/dashboard/").status_code == 403
    assert client.get(f"/dashboard/targets/{national_target.id}").status_code == 403
    assert client.get(f"/dashboard/targets/{national_target.id}/annual.csv").status_code == 403


def test_the_dashboard_is_in_the_navigation_and_linked_from_home(client, auth):
    _login(auth, "viewer")
    home = client.get("/", headers=EN).get_data(as_text=True)
    assert '<a href="/dashboard/">Dashboard</a>' in home
    assert 'href="/dashboard/">Dashboard: progress against every target' in home
    assert 'href="/targets/"' not in home
    assert 'class="card"' not in home  # no targets yet: no cards


def test_leaderships_home_opens_on_a_card_per_target(client, auth, national_target):
    _login(auth, "viewer")
    home = client.get("/", headers=EN).get_data(as_text=True)
    card = home[home.index('<article class="card">'):]
    assert f'<a href="/dashboard/targets/{national_target.id}">18 million by 2016</a>' in card
    assert "Met" in card and '<span title="18,000,000">18.0 M</span>' in card
    auth.logout()
    _login(auth, "exporter")
    assert 'class="card"' not in client.get("/", headers=EN).get_data(as_text=True)


def test_a_target_page_embeds_each_chart_as_json_and_loads_scripts_only_from_files(client, auth, national_target):
    _login(auth, "viewer")
    response = client.get(f"/dashboard/targets/{national_target.id}", headers=EN)
    page = response.get_data(as_text=True)
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"].split("script-src")[1].split(";")[0]
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", page, re.S)
    inline = [attrs for attrs, body in scripts if body.strip() and 'type="application/json"' not in attrs]
    assert inline == []
    figures = {attrs.split('data-chart="chart-')[1].split('"')[0]: json.loads(body)
               for attrs, body in scripts if 'class="chart-data"' in attrs}
    assert {"annual", "monthly", "markets", "areas", "reporting"} <= set(figures)
    actual = next(t for t in figures["annual"]["data"] if t["name"] == "Actual")
    assert actual["y"][actual["x"].index("2015")] == 12 * 1_644_784
    # its map too is drawn by the tracker's own bundle
    assert re.search(r'<script src="/static/vendor/plotly-tracker\.min\.[0-9a-f]{12}\.js" defer>', page)
    assert f'href="/dashboard/targets/{national_target.id}/annual.csv"' in page


def test_filters_live_in_the_url_and_the_csv_links_keep_them(client, auth, national_target):
    _login(auth, "viewer")
    page = client.get(f"/dashboard/targets/{national_target.id}?area=011002&from=2011&to=2015&market=KR",
                      headers=EN).get_data(as_text=True)
    link = re.search(rf'href="(/dashboard/targets/{national_target.id}/markets\.csv\?[^"]+)"', page).group(1)
    assert set(link.split("?")[1].replace("&amp;", "&").split("&")) == {"area=011002", "from=2011", "to=2015",
                                                                        "market=KR"}
    csv = client.get(link.replace("&amp;", "&"), headers=EN)
    assert csv.mimetype == "text/csv"
    assert csv.data.decode("utf-8-sig").splitlines() == ["Market,Visitors,Share", "South Korea,197364,1.0"]


def test_bad_filters_are_named_and_ignored(client, auth, national_target):
    _login(auth, "viewer")
    response = client.get(f"/dashboard/targets/{national_target.id}?area=99999X&from=2020&to=1990&market=QQ",
                          headers=EN)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Area: no area has the code 99999X." in page
    assert "Market: unknown country or region code QQ." in page
    assert "Years: choose a range of 1 to 30 years, the first year first." in page


def test_the_annual_csv_holds_what_the_chart_draws(client, auth, national_target):
    _login(auth, "viewer")
    response = client.get(f"/dashboard/targets/{national_target.id}/annual.csv", headers=EN)
    assert response.headers["Content-Disposition"] == f'attachment; filename="target-{national_target.id}-annual.csv"'
    lines = response.data.decode("utf-8-sig").splitlines()
    assert lines[0] == "Year,Visitors,Months reported,Required,Projected"
    assert "2015,19737408,12,14553205," in lines
    assert lines[-1] == "2016,,0,18000000,"


def test_unknown_targets_and_charts_are_not_found(client, auth, national_target):
    _login(auth, "viewer")
    assert client.get("/dashboard/targets/999").status_code == 404
    assert client.get(f"/dashboard/targets/{national_target.id}/destinations.csv").status_code == 404


def test_an_export_target_shows_destinations_and_products(client, auth):
    brewery = factories.new_exporter(factories.area("151009"))
    sake = factories.product(brewery, hs_code="220600")
    factories.export_sale(sake, 2024, 1, "US", 9_000)
    factories.export_sale(sake, 2024, 2, "HK", 1_000)
    target = factories.target(factories.area("151009"), metric="export_value", baseline_year=2023,
                              baseline_value=5_000, target_year=2030, target_value=50_000)
    db.session.commit()
    _login(auth, "admin")  # sees every exporter: one or two exporters are no group for a viewer
    page = client.get(f"/dashboard/targets/{target.id}", headers=EN).get_data(as_text=True)
    assert 'data-chart="chart-destinations"' in page and 'data-chart="chart-products"' in page
    assert 'data-chart="chart-markets"' not in page
    assert "Value by destination" in page
    csv = client.get(f"/dashboard/targets/{target.id}/destinations.csv", headers=EN).data.decode("utf-8-sig")
    assert csv.splitlines()[1:] == ["United States,9000,0.9", "Hong Kong,1000,0.1"]


def test_a_national_export_target_says_its_products_are_by_hs_code(client, auth):
    for code, name in (("401307", "八女煎茶"), ("402079", "抹茶")):
        factories.export_sale(factories.product(factories.new_exporter(factories.area(code)), name_ja=name,
                                                hs_code="090210"), 2024, 1, "US", 500)
    rebuild_export_rollups()
    target = factories.target(factories.area("JP"), include_subareas=True, metric="export_value",
                              baseline_year=2023, baseline_value=5_000, target_year=2030, target_value=50_000)
    db.session.commit()
    _login(auth, "admin")  # sees every exporter: one or two exporters are no group for a viewer
    page = client.get(f"/dashboard/targets/{target.id}", headers={"Accept-Language": "ja"}).get_data(as_text=True)
    assert "HSコード別の輸出額" in page and "品目別の輸出額" not in page
    products = _figures(page)["products"]["data"][0]
    assert products["y"] == ["HS 090210：八女煎茶ほか1品目"]
    assert products["hovertemplate"] == "%{y}: ¥%{x:,.0f}<extra></extra>"


def _figures(page):
    blocks = re.findall(r'<script type="application/json" class="chart-data" data-chart="chart-([a-z]+)"[^>]*>(.*?)'
                        r"</script>", page, re.S)
    return {key: json.loads(body) for key, body in blocks}


def _toolbar(page):
    return json.loads(re.search(r'<script type="application/json" id="chart-toolbar">(.*?)</script>', page,
                                re.S).group(1))


def test_the_chart_toolbar_speaks_the_pages_language(client, auth, national_target):
    _login(auth, "viewer")
    url = f"/dashboard/targets/{national_target.id}"
    japanese = client.get(url, headers={"Accept-Language": "ja"}).get_data(as_text=True)
    assert '<html lang="ja">' in japanese
    toolbar = _toolbar(japanese)
    assert toolbar["Download plot as a PNG"] == "グラフをPNGでダウンロード"
    assert toolbar["Reset axes"] == "軸をリセット"
    assert _toolbar(client.get(url, headers=EN).get_data(as_text=True)) == {}  # plotly's own English


def test_japanese_pages_tick_in_man_and_name_the_year_a_target_was_reached(client, auth, national_target):
    _login(auth, "viewer")
    page = client.get(f"/dashboard/targets/{national_target.id}", headers={"Accept-Language": "ja"}).get_data(
        as_text=True)
    assert "目標達成年" in page and "目標達成見込み" not in page
    axis = _figures(page)["annual"]["layout"]["yaxis"]
    assert axis["ticktext"][:3] == ["0", "500万", "1,000万"]


@pytest.mark.parametrize("role", ["admin", "officer", "viewer"])
def test_every_reader_opens_a_target_page_and_only_admins_see_the_edit_link(client, auth, national_target, role):
    _login(auth, role)
    response = client.get(f"/dashboard/targets/{national_target.id}", headers=EN)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Year by year against the required path" in page
    assert (f'href="/targets/{national_target.id}"' in page) == (role == "admin")
    csv = client.get(f"/dashboard/targets/{national_target.id}/annual.csv", headers=EN)
    assert csv.status_code == 200 and "2015,19737408,12" in csv.data.decode("utf-8-sig")


def test_a_fiscal_target_names_its_years_as_fiscal_years_in_both_languages(client, auth):
    nation = factories.area("JP")
    # FY2014 = April 2014 to March 2015: 12 months of 1,000,000; FY2015 only April to September.
    for year, month in [(2014, m) for m in range(4, 13)] + [(2015, m) for m in range(1, 10)]:
        factories.visitor_count(nation, year, month, "CN", 1_000_000)
    rebuild_visitor_rollups()
    target = factories.target(nation, name="FY target", year_basis="fiscal", baseline_year=2014,
                              baseline_value=12_000_000, target_year=2016, target_value=14_520_000)
    db.session.commit()
    _login(auth, "viewer")
    japanese = client.get(f"/dashboard/targets/{target.id}", headers={"Accept-Language": "ja"}).get_data(as_text=True)
    assert "2014年度 → 2016年度" in japanese
    lines = client.get(f"/dashboard/targets/{target.id}/annual.csv", headers=EN).data.decode("utf-8-sig").splitlines()
    # Required: 12,000,000 x 1.1 a year. FY2015 has April to September; the figures stop there and its other
    # months are long overdue, so FY2015 is never projected: the progress reads FY2014, the latest complete year.
    assert "FY2014,12000000,12,12000000," in lines
    assert "FY2015,6000000,6,13200000," in lines
    assert lines[-1] == "FY2016,,0,14520000,"
    english = client.get(f"/dashboard/targets/{target.id}", headers=EN).get_data(as_text=True)
    assert re.search(r"\(FY2014:\s*<span", english)
    # October 2015 to March 2017: the rest of FY2015 and all of FY2016
    assert "18 months not reported</strong>:" in english
    assert "October 2015–March 2017" in english


def _reserved_and_drawn(page: str) -> tuple[dict[str, int], dict[str, int]]:
    """Each chart's place: the height it reserves before plotly draws, and the height its figure draws at."""
    reserved = {key: int(height) for key, height in re.findall(
        r'<div class="chart(?: map)?" id="chart-([\w-]+)"[^>]*style="--chart-height: (\d+)px"', page)}
    drawn = {key: json.loads(body)["layout"]["height"] for key, body in
             re.findall(r'<script type="application/json" class="chart-data" data-chart="chart-([\w-]+)"[^>]*>'
                        r'(.*?)</script>', page, re.S)}
    return reserved, drawn


def test_each_charts_place_reserves_the_height_its_figure_draws_at(client, auth, national_target):
    """The page does not move when a chart is drawn: 260 px reserved for a 450 px chart pushed everything below."""
    _login(auth, "viewer")
    reserved, drawn = _reserved_and_drawn(client.get("/dashboard/", headers=EN).get_data(as_text=True))
    assert reserved == drawn == {"map": 520}
    reserved, drawn = _reserved_and_drawn(
        client.get(f"/dashboard/targets/{national_target.id}", headers=EN).get_data(as_text=True))
    assert {"map", "annual", "monthly", "markets", "areas", "reporting"} <= set(drawn)
    assert reserved == drawn
    assert drawn["annual"] == 450 and drawn["map"] == 520
