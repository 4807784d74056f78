"""The printable reports: a target's and an area's month, in both languages, for those who may read them; as HTML,
and as PDFs made by the server (Chromium through Playwright) whose text pdftotext reads back."""

import json
import os
import re
import subprocess
from datetime import date
from urllib.parse import urlsplit

import pytest
from babel.dates import format_date
from sqlalchemy import select

from tests import factories
from tracker.extensions import db
from tracker.models import Exporter
from tracker.reports import pdf
from tracker.reports.pdf import chromium_path
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


@pytest.fixture
def tokyo_march(app):
    """Tokyo's municipalities in March 2024 and the months before: visitors (no series of Tokyo's own) and the
    sales of three exporters, one of whom alone sells to China."""
    chiyoda, chuo = factories.area("131016"), factories.area(factories.municipality_code(13, 102))
    for where, year, month, market, visitors in [
        (chiyoda, 2024, 3, "CN", 1000), (chiyoda, 2024, 3, "KR", 500), (chiyoda, 2023, 3, "CN", 800),
        (chiyoda, 2023, 3, "KR", 600), (chiyoda, 2024, 1, "CN", 100), (chiyoda, 2024, 2, "CN", 200),
        (chiyoda, 2023, 1, "CN", 90), (chiyoda, 2023, 2, "CN", 110), (chuo, 2024, 3, "CN", 300),
    ]:
        factories.visitor_count(where, year, month, market, visitors)
    products = [factories.product(factories.new_exporter(home)) for home in (chiyoda, chiyoda, chuo)]
    for item in products:
        factories.export_sale(item, 2024, 3, "US", 1_000_000)
    factories.export_sale(products[0], 2023, 3, "US", 2_000_000)
    factories.export_sale(products[1], 2024, 3, "CN", 500_000)
    rebuild_visitor_rollups()
    rebuild_export_rollups()
    db.session.commit()
    return factories.area("130001")


def _login(auth, role, **fields):
    user = factories.user(role, **fields)
    db.session.commit()
    auth.login(user.email)
    return user


def _text(page: str) -> str:
    """The page's words without its markup, spaces squeezed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))


def _section(page: str, key: str) -> str:
    """One section of a report's HTML."""
    found = re.search(rf'<section class="report-section" id="section-{key}">(.*?)</section>', page, re.S)
    assert found, f"no section {key}"
    return found.group(1)


def _figures(page: str) -> dict[str, dict]:
    return {match.group(1): json.loads(match.group(2)) for match in re.finditer(
        r'<script type="application/json" class="chart-data" data-chart="chart-(\w+)"[^>]*>(.*?)</script>', page)}


def test_a_target_report_has_the_name_status_growth_charts_and_their_figures(client, auth, national_target):
    _login(auth, "viewer")
    response = client.get(f"/reports/targets/{national_target.id}?lang=en")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    words = _text(page)
    assert '<html lang="en"' in page
    assert "18 million by 2016" in words and "Target report" in words
    assert 'class="status status-met"' in page
    assert "Growth needed per year 23.7%" in words
    # the annual chart with the required path, and its rows: 2015 reported in full (12 x 1,644,784)
    figures = _figures(page)
    assert set(figures) == {"annual", "monthly", "markets", "map", "reporting"}
    assert "Required path" in [trace.get("name") for trace in figures["annual"]["data"]]
    assert "2015 19,737,408 12" in words
    assert "Share by market" in words and "China 19,737,408 100.0%" in words
    assert "Latest month with figures: December 2015." in words
    assert f"Figures as of {format_date(date.today(), format='long', locale='en')}" in words
    assert f'href="/reports/targets/{national_target.id}.pdf?lang=en"' in page


def test_a_target_report_in_japanese_whatever_the_readers_language(client, auth, national_target):
    _login(auth, "viewer", language="en")
    page = client.get(f"/reports/targets/{national_target.id}?lang=ja").get_data(as_text=True)
    words = _text(page)
    assert '<html lang="ja"' in page
    assert "目標レポート" in words and "達成" in words
    assert "必要な年平均伸び率 23.7%" in words
    assert "2015年 19,737,408 12" in words and "中国 19,737,408 100.0%" in words
    assert "最新の数値: 2015年12月" in words
    assert "年別の実績と必要な推移" in words


def test_a_target_report_keeps_the_pages_filters_and_names_a_bad_one(client, auth, national_target):
    _login(auth, "viewer")
    page = client.get(f"/reports/targets/{national_target.id}?lang=en&from=2014&to=2015&area=ZZ&lang=fr",
                      headers=EN).get_data(as_text=True)
    words = _text(page)
    assert "Years shown: 2014–2015" in words
    assert "Area: no area has the code ZZ." in words
    assert f'href="/reports/targets/{national_target.id}.pdf?from=2014&amp;to=2015&amp;lang=en"' in page
    # the language switch saves the reader's choice and comes back to the report in it, with its filters
    assert f'name="next" value="/reports/targets/{national_target.id}?from=2014&amp;to=2015"' in page


def test_a_language_other_than_japanese_or_english_is_named_and_the_readers_own_used(client, auth, national_target):
    _login(auth, "viewer", language="en")
    page = client.get(f"/reports/targets/{national_target.id}?lang=fr").get_data(as_text=True)
    assert '<html lang="en"' in page
    assert "Language: fr is neither ja nor en; the report is in your own language." in page


def test_an_area_month_compares_each_market_with_last_year_and_the_year_to_date(client, auth, tokyo_march):
    _login(auth, "viewer")
    response = client.get("/reports/areas/130001/2024-03?lang=en")
    assert response.status_code == 200
    words = _text(response.get_data(as_text=True))
    assert "Tokyo" in words and "March 2024" in words
    assert "The sum of the municipalities below." in words
    # market, March 2024, March 2023, change, year to date, same months of 2023, change
    assert "China 1,300 800 +62.5% 1,600 1,000 +60.0%" in words
    assert "South Korea 500 600 -16.7% 500 600 -16.7%" in words
    assert "Total 1,800 1,400 +28.6% 2,100 1,600 +31.2%" in words  # 31.25%, rounded half to even


def test_an_area_month_sums_into_others_the_destinations_of_too_few_exporters(client, auth, tokyo_march):
    _login(auth, "viewer")
    words = _text(client.get("/reports/areas/130001/2024-03?lang=en").get_data(as_text=True))
    assert "United States ¥3,000,000 ¥2,000,000 +50.0%" in words
    assert "Others ¥500,000 – " in words and "China ¥500,000" not in words
    auth.logout()
    _login(auth, "admin")
    words = _text(client.get("/reports/areas/130001/2024-03?lang=en").get_data(as_text=True))
    assert "China ¥500,000 – " in words and "Others ¥" not in words


def test_an_area_month_says_who_has_reported(client, auth, tokyo_march):
    _login(auth, "viewer")
    words = _text(client.get("/reports/areas/130001/2024-03?lang=en").get_data(as_text=True))
    # the states head their columns, capitalised
    assert "Figures Units that report Approved Submitted Entered Not reported Late Due" in words
    # two municipalities with figures entered, none submitted; three exporters
    assert "Visitor figures (areas) 2 0 0 2 0 2" in words
    assert "Export sales (exporters) 3 0 0 3 0 3" in words


def test_an_area_month_in_japanese(client, auth, tokyo_march):
    _login(auth, "viewer", language="en")
    page = client.get("/reports/areas/130001/2024-03?lang=ja").get_data(as_text=True)
    words = _text(page)
    assert '<html lang="ja"' in page
    assert "東京都" in words and "2024年3月" in words
    assert "市場別の訪日客数" in words and "中国 1,300 800 +62.5% 1,600 1,000 +60.0%" in words
    assert "仕向地別の輸出額" in words and "アメリカ合衆国 ¥3,000,000" in words
    assert "承認済み 提出済み 入力済み 未報告" in words


@pytest.fixture
def tokyo_fiscal(tokyo_march):
    """Tokyo's March 2024 with the fiscal years' earlier months: April and December 2023 (in FY2023), April 2022 (in
    FY2022, last year's)."""
    chiyoda = factories.area("131016")
    for year, month, visitors in ((2023, 4, 400), (2023, 12, 50), (2022, 4, 300)):
        factories.visitor_count(chiyoda, year, month, "CN", visitors)
    rebuild_visitor_rollups()
    db.session.commit()
    return tokyo_march


@pytest.mark.parametrize("language, words", [
    ("en", ["Market March 2024 March 2023 Change Year to date FY2023 Same months FY2022 Change",
            # April 2023 to March 2024 against April 2022 to March 2023; the change leaves out December (2023 alone)
            "China 1,300 800 +62.5% 2,050 1,300 +53.8%", "South Korea 500 600 -16.7% 500 600 -16.7%",
            "Total 1,800 1,400 +28.6% 2,550 1,900 +31.6%",
            "The fiscal year to date runs from April 2023 to March 2024. Change in the year to date compares the "
            "months reported in both years: Apr, Jan, Feb, Mar.", "Notes, April 2023–March 2024"]),
    ("ja", ["市場 2024年3月 2023年3月 増減 2023年度 累計 2022年度 同期間 増減",
            "中国 1,300 800 +62.5% 2,050 1,300 +53.8%", "合計 1,800 1,400 +28.6% 2,550 1,900 +31.6%",
            "年度累計は2023年4月から2024年3月までです。 累計の増減は両年とも報告のある月で比べています: "
            "4月, 1月, 2月, 3月。",
            "メモ、2023年4月–2024年3月"]),
])
def test_an_area_month_by_fiscal_year_sums_from_april(client, auth, tokyo_fiscal, language, words):
    _login(auth, "viewer")
    page = client.get(f"/reports/areas/130001/2024-03?basis=fiscal&lang={language}").get_data(as_text=True)
    text = _text(page)
    for word in words:
        assert word in text
    # the switch keeps the language; the PDF and the language switch keep the basis
    assert f'<a href="/reports/areas/130001/2024-03?lang={language}">' in page
    assert f'<a href="/reports/areas/130001/2024-03?basis=fiscal&amp;lang={language}" aria-current="page">' in page
    assert f'href="/reports/areas/130001/2024-03.pdf?basis=fiscal&amp;lang={language}"' in page
    assert 'name="next" value="/reports/areas/130001/2024-03?basis=fiscal"' in page


def test_an_area_month_is_by_calendar_year_unless_asked_and_names_a_bad_basis(client, auth, tokyo_fiscal):
    _login(auth, "viewer")
    for query, problem in (("", False), ("&basis=calendar", False), ("&basis=april", True)):
        page = client.get(f"/reports/areas/130001/2024-03?lang=en{query}").get_data(as_text=True)
        text = _text(page)
        assert "Year to date 2024 Same months 2023" in text
        assert "China 1,300 800 +62.5% 1,600 1,000 +60.0%" in text
        assert "The year to date runs from January to March 2024." in text
        assert '<a href="/reports/areas/130001/2024-03?lang=en" aria-current="page">Calendar years</a>' in page
        assert '<a href="/reports/areas/130001/2024-03?basis=fiscal&amp;lang=en">Fiscal years (April to March)</a>' \
            in page
        assert 'href="/reports/areas/130001/2024-03.pdf?lang=en"' in page
        assert ("Years: april is neither calendar nor fiscal; the year to date runs in calendar years." in text) \
            is problem


def test_a_municipality_month_reads_its_own_figures(client, auth, tokyo_march):
    _login(auth, "viewer")
    words = _text(client.get("/reports/areas/131016/2024-03?lang=en").get_data(as_text=True))
    assert "China 1,000 800 +25.0% 1,300 1,000 +30.0%" in words
    assert "The sum of the municipalities below." not in words


def test_an_area_month_without_figures_says_so(client, auth, tokyo_march):
    _login(auth, "viewer")
    words = _text(client.get("/reports/areas/270008/2024-03?lang=en").get_data(as_text=True))
    assert "No visitor figures for this month or the year to date." in words
    assert "No export sales for this month or the year to date." in words


@pytest.mark.parametrize("url", ["/reports/areas/999999/2024-03", "/reports/areas/130001/2024-13",
                                 "/reports/areas/130001/March", "/reports/targets/999999"])
def test_an_unknown_area_month_or_target_is_not_found(client, auth, tokyo_march, url):
    _login(auth, "viewer")
    assert client.get(url).status_code == 404


def test_reports_are_for_those_who_read_the_pages_they_summarize(client, auth, national_target, tokyo_march):
    urls = [f"/reports/targets/{national_target.id}", "/reports/areas/130001/2024-03"]
    for url in urls:
        assert client.get(url).status_code == 302
    _login(auth, "exporter")
    for url in urls + [url + ".pdf" for url in urls]:
        assert client.get(url).status_code == 403
    auth.logout()
    _login(auth, "officer", areas=[factories.area("270008")])
    for url in urls:
        assert client.get(url).status_code == 200


def test_the_dashboard_target_and_area_pages_link_to_their_report(client, auth, national_target, tokyo_march):
    _login(auth, "viewer")
    dashboard = client.get("/dashboard/", headers=EN).get_data(as_text=True)
    assert f'href="/reports/targets/{national_target.id}">Print / PDF</a>' in dashboard
    target_page = client.get(f"/dashboard/targets/{national_target.id}?from=2014", headers=EN).get_data(as_text=True)
    assert f'href="/reports/targets/{national_target.id}?from=2014">Print / PDF</a>' in target_page
    exports_page = client.get("/exports/areas/130001?year=2024", headers=EN).get_data(as_text=True)
    assert 'href="/reports/areas/130001/2024-12">Print / PDF</a>' in exports_page
    visitors_page = client.get("/visitors/?area=130001&year=2024", headers=EN).get_data(as_text=True)
    assert 'href="/reports/areas/130001/2024-12">Print / PDF</a>' in visitors_page


@pytest.fixture
def noted_target(national_target):
    """The national target with notes on its months: the nation's own, a municipality's below it, and one before
    the years its charts show."""
    nation, sapporo = factories.area("JP"), factories.area("011002")
    factories.note("2015-08", "Typhoon closed Naha airport for two days", area=nation)
    factories.note("2015-09", "New flight route from Busan to Sapporo", area=sapporo)
    factories.note("2010-05", "Before the years shown", area=nation)
    db.session.commit()
    return national_target


@pytest.mark.parametrize("language, words", [
    ("en", ["Notes, January 2011–December 2015", "Month Area or exporter Note Written by",
            "August 2015 Japan Typhoon closed Naha airport for two days command line ·",
            "September 2015 Test City 011002 New flight route from Busan to Sapporo"]),
    ("ja", ["メモ、2011年1月–2015年12月", "月 地域・輸出者 メモ 記入者",
            "2015年8月 日本 Typhoon closed Naha airport for two days コマンドライン ·",
            "2015年9月 テスト市011002 New flight route from Busan to Sapporo"]),
])
def test_a_target_report_lists_the_notes_of_its_years_of_its_area_and_below(client, auth, noted_target, language,
                                                                           words):
    _login(auth, "viewer")
    page = client.get(f"/reports/targets/{noted_target.id}?lang={language}").get_data(as_text=True)
    section = _text(_section(page, "notes"))
    for word in words:
        assert word in section
    assert "Before the years shown" not in section
    # the monthly chart carries its markers as on the target's page: the notes of the figures it draws, the
    # nation's own series (the list above has those of the areas below as well)
    markers = next(trace for trace in _figures(page)["monthly"]["data"] if trace.get("yaxis") == "y3")
    assert markers["x"] == ["2015-08"]
    assert "Typhoon closed Naha airport for two days" in markers["hovertext"][0]


def test_a_target_report_without_notes_says_so(client, auth, national_target):
    _login(auth, "viewer")
    page = client.get(f"/reports/targets/{national_target.id}?lang=en").get_data(as_text=True)
    assert "No notes in these months." in _text(_section(page, "notes"))
    assert all(trace.get("yaxis") != "y3" for trace in _figures(page)["monthly"]["data"])


def test_the_map_of_a_target_report_carries_its_47_prefectures_inline(client, auth, national_target):
    _login(auth, "viewer")
    page = client.get(f"/reports/targets/{national_target.id}?lang=en").get_data(as_text=True)
    figure = _figures(page)["map"]
    choropleths = [trace for trace in figure["data"] if trace["type"] == "choropleth"]
    assert choropleths and all(isinstance(trace["geojson"], dict) for trace in choropleths)
    assert len(choropleths[0]["geojson"]["features"]) == 47 == len(choropleths[0]["locations"])
    # only Hokkaido (Sapporo's prefecture) has figures: drawn over the grey of every prefecture, and printed
    assert choropleths[1]["locations"] == ["010006"]
    section = _text(_section(page, "map"))
    assert "Visitors, 2015" in section
    assert "Area Visitors Hokkaido 197,364" in section  # 12 x 16,447 from Sapporo
    # plotly's (empty) topojson comes from the app, as on the target's page
    assert 'data-chart="chart-map" data-filename="map" data-topojson="/static/geo/topojson/"' in page


def test_a_prefecture_target_report_maps_its_municipalities(client, auth, tokyo_march):
    target = factories.target(tokyo_march, name="Tokyo", include_subareas=True, baseline_year=2020, target_year=2030)
    db.session.commit()
    _login(auth, "viewer")
    page = client.get(f"/reports/targets/{target.id}?lang=en").get_data(as_text=True)
    outline = _figures(page)["map"]["data"][0]
    assert outline["locations"] == ["130001"] and len(outline["geojson"]["features"]) == 47
    # the months of 2024 with figures, January to March
    assert "Area Visitors Test City 131016 1,800 Test City 131024 300" in _text(_section(page, "map"))


def test_a_municipality_target_report_has_no_map(client, auth, tokyo_march):
    target = factories.target(factories.area("131016"), name="Chiyoda")
    db.session.commit()
    _login(auth, "viewer")
    page = client.get(f"/reports/targets/{target.id}?lang=en").get_data(as_text=True)
    assert "map" not in _figures(page) and 'id="section-map"' not in page


def test_an_export_target_report_lists_the_exporters_notes_its_reader_may_see(client, auth, tokyo_march):
    chiyoda = factories.area("131016")
    exporter = db.session.scalars(select(Exporter).where(Exporter.area_id == chiyoda.id).order_by(Exporter.id)).first()
    target = factories.target(tokyo_march, name="Tokyo exports", metric="export_value", include_subareas=True,
                              baseline_year=2023, baseline_value=2_000_000, target_year=2026,
                              target_value=9_000_000)
    factories.note("2024-03", "Sake fair in Los Angeles", exporter=exporter)
    factories.note("2024-02", "Port strike in Tokyo", area=tokyo_march)
    db.session.commit()
    _login(auth, "viewer")
    section = _text(_section(client.get(f"/reports/targets/{target.id}?lang=en").get_data(as_text=True), "notes"))
    assert "Port strike in Tokyo" in section and "Sake fair in Los Angeles" not in section
    auth.logout()
    _login(auth, "officer", areas=[chiyoda])
    section = _text(_section(client.get(f"/reports/targets/{target.id}?lang=en").get_data(as_text=True), "notes"))
    assert f"March 2024 {exporter.name} Sake fair in Los Angeles" in section
    assert "February 2024 Tokyo Port strike in Tokyo" in section


@pytest.fixture
def tokyo_ties(tokyo_march):
    """Tokyo's ties: its own, one of a municipality below it, one ended, one established after 2024."""
    factories.affiliation(tokyo_march, "New York", partner_name="ニューヨーク市", country="US", established_year=1960)
    factories.affiliation(factories.area("131016"), "Beijing Dongcheng", partner_name="北京市東城区", country="CN",
                          kind="friendship", established_year=1990, established_on=date(1990, 10, 1))
    factories.affiliation(tokyo_march, "Paris", partner_name="パリ市", country="FR", established_year=1982,
                          ended_year=2020)
    factories.affiliation(tokyo_march, "London", partner_name="ロンドン", country="GB", established_year=2025)
    db.session.commit()
    return tokyo_march


@pytest.mark.parametrize("language, words", [
    ("en", ["Affiliations", "Ties in force in 2024, of the area and the areas below it.",
            "Partner Country Kind of tie Established Area", "New York United States Sister 1960 Tokyo",
            "Beijing Dongcheng China Friendship 1990-10-01 Test City 131016"]),
    ("ja", ["国際交流提携", "2024年に有効な、この地域とその下の地域の提携です。", "提携先 国 提携の種別 提携日 地域",
            "ニューヨーク市 アメリカ合衆国 姉妹 1960 東京都", "北京市東城区 中国 友好 1990-10-01 テスト市131016"]),
])
def test_an_area_month_lists_the_ties_in_force(client, auth, tokyo_ties, language, words):
    _login(auth, "viewer")
    section = _text(_section(client.get(f"/reports/areas/130001/2024-03?lang={language}").get_data(as_text=True),
                             "affiliations"))
    for word in words:
        assert word in section
    assert "Paris" not in section and "パリ" not in section  # ended in 2020
    assert "London" not in section and "ロンドン" not in section  # not yet


def test_an_area_month_without_ties_has_no_affiliations_section(client, auth, tokyo_march):
    _login(auth, "viewer")
    page = client.get("/reports/areas/130001/2024-03?lang=en").get_data(as_text=True)
    assert 'id="section-affiliations"' not in page and 'id="section-notes"' in page


@pytest.mark.parametrize("language, words", [
    ("en", ["Notes, January 2024–March 2024", "February 2024 Test City 131016 Cherry blossoms came early",
            "March 2024 Tokyo Typhoon closed Haneda for two days"]),
    ("ja", ["メモ、2024年1月–2024年3月", "2024年2月 テスト市131016 Cherry blossoms came early",
            "2024年3月 東京都 Typhoon closed Haneda for two days"]),
])
def test_an_area_month_lists_the_notes_of_its_year_to_date(client, auth, tokyo_march, language, words):
    factories.note("2024-03", "Typhoon closed Haneda for two days", area=tokyo_march)
    factories.note("2024-02", "Cherry blossoms came early", area=factories.area("131016"))
    factories.note("2023-12", "Last year's note", area=tokyo_march)
    factories.note("2024-03", "Osaka's note", area=factories.area("270008"))
    db.session.commit()
    _login(auth, "viewer")
    section = _text(_section(client.get(f"/reports/areas/130001/2024-03?lang={language}").get_data(as_text=True),
                             "notes"))
    for word in words:
        assert word in section
    assert "Last year's note" not in section and "Osaka's note" not in section


# PDFs

CHROMIUM = chromium_path({})
needs_chromium = pytest.mark.skipif(not os.path.exists(CHROMIUM), reason=f"Chromium is not installed at {CHROMIUM}")


def _pdf_text(response, tmp_path) -> str:
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF-")
    path = tmp_path / "report.pdf"
    path.write_bytes(response.data)
    # pdftotext comes with poppler-utils, which .ci/run installs beside chromium
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True)
    return re.sub(r"[ \t]+", " ", out.stdout)


def _pages(text: str) -> int:
    return text.count("\f") or 1


@needs_chromium
def test_the_target_pdf_in_english_has_the_figures_the_charts_and_a_footer(client, auth, national_target,
                                                                         tmp_path):
    _login(auth, "viewer")
    response = client.get(f"/reports/targets/{national_target.id}.pdf?lang=en")
    assert f'filename="target-{national_target.id}.pdf"' in response.headers["Content-Disposition"]
    text = _pdf_text(response, tmp_path)
    assert "18 million by 2016" in text and "Target report" in text
    assert "Met" in text and "23.7%" in text
    assert "2015 19,737,408 12" in text  # the annual rows under the chart
    assert "Required path" in text  # the chart's legend: the plotly figure itself, drawn as text
    assert "China 19,737,408 100.0%" in text
    assert "Download PDF" not in text  # the page's tools stay on screen
    pages = _pages(text)
    assert text.count("Figures as of") >= pages  # the heading's and every sheet's footer
    assert f"Page 1 of {pages}" in text and f"Page {pages} of {pages}" in text


@needs_chromium
def test_the_target_pdf_in_japanese_embeds_its_japanese_text(client, auth, national_target, tmp_path):
    _login(auth, "viewer", language="en")
    text = _pdf_text(client.get(f"/reports/targets/{national_target.id}.pdf?lang=ja"), tmp_path)
    assert "目標レポート" in text and "達成" in text
    assert "必要な年平均伸び率" in text and "23.7%" in text
    assert "2015年 19,737,408 12" in text
    assert "年別の実績と必要な推移" in text and "中国 19,737,408 100.0%" in text
    assert "時点の数値" in text and re.search(r"1 / \d ページ", text)


@needs_chromium
@pytest.mark.parametrize("language, words", [
    ("en", ["Monthly report for the council", "Tokyo", "March 2024", "China 1,300 800 +62.5% 1,600 1,000 +60.0%",
            "United States ¥3,000,000 ¥2,000,000 +50.0%", "Export sales (exporters) 3 0 0 3 0 3"]),
    ("ja", ["議会向け月次報告", "東京都", "2024年3月", "中国 1,300 800 +62.5% 1,600 1,000 +60.0%",
            "アメリカ合衆国 ¥3,000,000 ¥2,000,000 +50.0%", "輸出実績 (輸出事業者) 3 0 0 3 0 3"]),
])
def test_the_area_pdf_has_the_months_figures_in_either_language(client, auth, tokyo_march, tmp_path, language,
                                                                 words):
    _login(auth, "viewer")
    text = _pdf_text(client.get(f"/reports/areas/130001/2024-03.pdf?lang={language}"), tmp_path)
    for word in words:
        assert word in text


@needs_chromium
@pytest.mark.parametrize("language, words", [
    ("en", ["FY2023", "FY2022", "China 1,300 800 +62.5% 2,050 1,300 +53.8%",
            "The fiscal year to date runs from April 2023 to March 2024."]),
    ("ja", ["2023年度", "2022年度", "中国 1,300 800 +62.5% 2,050 1,300 +53.8%",
            "年度累計は2023年4月から2024年3月までです。"]),
])
def test_the_area_pdf_by_fiscal_year_sums_from_april(client, auth, tokyo_fiscal, tmp_path, language, words):
    _login(auth, "viewer")
    text = _pdf_text(client.get(f"/reports/areas/130001/2024-03.pdf?basis=fiscal&lang={language}"), tmp_path)
    for word in words:
        assert word in text
    assert "Calendar years" not in text and "暦年" not in text  # the switch stays on screen


@pytest.fixture
def requests_answered(monkeypatch):
    """Every request of the headless page while a PDF is made, and whether it was answered (the page itself, or a
    file from the app's folders); none comes from a PDF made before (the cache is emptied)."""
    asked = []
    answer = pdf._answer

    def recorded(route, page):
        url = route.request.url
        asked.append((url, url == pdf.PAGE_URL or page.local_file(urlsplit(url).path) is not None))
        answer(route, page)

    monkeypatch.setattr(pdf, "_answer", recorded)
    monkeypatch.setattr(pdf, "_kept", type(pdf._kept)())
    return asked


@needs_chromium
def test_the_target_pdf_draws_its_map_and_lists_its_notes_with_nothing_fetched(client, auth, noted_target, tmp_path,
                                                                              requests_answered):
    _login(auth, "viewer")
    text = _pdf_text(client.get(f"/reports/targets/{noted_target.id}.pdf?lang=en"), tmp_path)
    assert "Visitors, 2015" in text and "Hokkaido 197,364" in text
    assert "Notes, January 2011–December 2015" in text
    assert "Typhoon closed Naha airport for two days" in text
    assert "New flight route from Busan to Sapporo" in text
    # the boundaries came inside the page, plotly's topojson from the app's folder; nothing else was asked for
    assert all(answered for _url, answered in requests_answered), requests_answered
    urls = [url for url, _answered in requests_answered]
    assert "http://report.invalid/static/geo/topojson/world_110m.json" in urls
    assert not any("geojson" in url for url in urls)


@needs_chromium
def test_a_prefecture_target_pdf_draws_its_map(client, auth, tokyo_march, tmp_path, requests_answered):
    target = factories.target(tokyo_march, name="Tokyo", include_subareas=True, baseline_year=2020, target_year=2030)
    db.session.commit()
    _login(auth, "viewer")
    text = _pdf_text(client.get(f"/reports/targets/{target.id}.pdf?lang=en"), tmp_path)
    assert "Test City 131016 1,800" in text
    assert all(answered for _url, answered in requests_answered), requests_answered


@needs_chromium
def test_the_area_pdf_has_its_ties_and_notes(client, auth, tokyo_ties, tmp_path, requests_answered):
    factories.note("2024-03", "台風で羽田空港が2日間閉鎖", area=tokyo_ties)
    db.session.commit()
    _login(auth, "viewer")
    text = _pdf_text(client.get("/reports/areas/130001/2024-03.pdf?lang=ja"), tmp_path)
    assert "国際交流提携" in text and "ニューヨーク市" in text and "北京市東城区" in text
    assert "メモ、2024年1月–2024年3月" in text and "台風で羽田空港が2日間閉鎖" in text
    assert requests_answered and all(answered for _url, answered in requests_answered), requests_answered


def test_without_chromium_the_pdf_is_a_503_that_points_to_the_printable_page(app, client, auth, national_target):
    app.config["TRACKER_CHROMIUM"] = "/nonexistent/chromium"
    _login(auth, "viewer")
    response = client.get(f"/reports/targets/{national_target.id}.pdf?lang=en")
    assert response.status_code == 503
    page = response.get_data(as_text=True)
    assert "PDF unavailable" in page
    assert f'href="http://localhost/reports/targets/{national_target.id}?lang=en"' in page
