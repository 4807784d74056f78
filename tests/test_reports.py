"""The printable reports: a target's and an area's month, in both languages, for those who may read them; as HTML,
and as PDFs made by the server (Chromium through Playwright) whose text pdftotext reads back."""

import json
import os
import re
import subprocess
from datetime import date

import pytest
from babel.dates import format_date

from tests import factories
from tracker.extensions import db
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
    assert set(figures) == {"annual", "monthly", "markets", "reporting"}
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


def test_without_chromium_the_pdf_is_a_503_that_points_to_the_printable_page(app, client, auth, national_target):
    app.config["TRACKER_CHROMIUM"] = "/nonexistent/chromium"
    _login(auth, "viewer")
    response = client.get(f"/reports/targets/{national_target.id}.pdf?lang=en")
    assert response.status_code == 503
    page = response.get_data(as_text=True)
    assert "PDF unavailable" in page
    assert f'href="http://localhost/reports/targets/{national_target.id}?lang=en"' in page
