"""Truth under missing months: an unreported month is never shown as 0, ¥0 or a decline, on the pages and in the
progress API."""

from __future__ import annotations

import re

import pytest

from tests import factories
from tracker.auth.services import issue_token
from tracker.extensions import db
from tracker.periods import Month
from tracker.reporting import units
from tracker.reporting.deadlines import latest_due_month, today
from tracker.rollups import refresh_visitor_rollups

EN = {"Accept-Language": "en"}
JA = {"Accept-Language": "ja"}


def _login(auth, user):
    db.session.commit()
    auth.login(user.email)


@pytest.fixture
def municipal_target(app):
    """The issue's card: a 2025 target of Sapporo, figures for 2024, January 2025 and a February upload of a few
    markets; read long after 2025's figures were all due."""
    sapporo = factories.area("011002")
    for month in range(1, 13):
        factories.visitor_count(sapporo, 2024, month, "CN", 100_000)
    factories.visitor_count(sapporo, 2025, 1, "CN", 110_000)
    factories.visitor_count(sapporo, 2025, 2, "KR", 20_000)
    target = factories.target(sapporo, name="Sapporo 2025", baseline_year=2024, baseline_value=1_000_000,
                              target_year=2025, target_value=1_200_000)
    db.session.commit()
    return target


def test_the_progress_api_lists_the_overdue_months_and_reads_the_complete_year(client, municipal_target):
    viewer = factories.user("viewer")
    headers = {"Authorization": f"Bearer {issue_token(viewer)}"}
    db.session.commit()
    body = client.get(f"/api/v1/targets/{municipal_target.id}/progress", headers=headers).get_json()
    assert body["overdue_months"] == [f"2025-{m:02d}" for m in range(3, 13)]
    # no projection from January and a partial February; the status rests on 2024 (1.2 million against 1 million)
    assert body["projected"] is None
    assert body["headline_year"] == 2024
    assert body["status"] == "on_track"
    assert body["ytd"] is None  # 2025 is no longer the current year


def test_the_card_names_the_months_not_reported_in_both_languages(client, auth, municipal_target):
    _login(auth, factories.user("viewer"))
    english = client.get("/dashboard/", headers=EN).get_data(as_text=True)
    assert "10 months not reported</strong>:" in english and "March 2025–December 2025" in english
    assert "projected" not in english[english.index("Sapporo 2025"):]
    japanese = client.get("/dashboard/", headers=JA).get_data(as_text=True)
    assert "10 か月分が未報告</strong>:" in japanese and "2025年3月–2025年12月" in japanese


def _exporter_with_sales():
    owner = factories.new_exporter(factories.area("131016"), name="酒蔵")
    sake = factories.product(owner, "清酒")
    # 2024: January to March; 2023: January and March (February not reported)
    for month, value in ((1, 3_000_000), (2, 700_000), (3, 1_000_000)):
        factories.export_sale(sake, 2024, month, "HK", value)
    factories.export_sale(sake, 2023, 1, "HK", 2_000_000)
    factories.export_sale(sake, 2023, 3, "HK", 2_000_000)
    return owner


def test_the_exporter_page_opens_on_its_latest_year_and_never_shows_a_missing_month_as_zero(client, auth):
    owner = _exporter_with_sales()
    _login(auth, factories.user("exporter", exporter=owner))
    page = client.get(f"/exports/exporters/{owner.id}", headers=EN).get_data(as_text=True)
    assert '<strong>2024</strong>' in page  # not the empty current year
    months = page[page.index("<caption>By month</caption>"):]
    months = months[:months.index("</table>")]
    feb = re.search(r'<th scope="row">Feb</th>(.*?)</tr>', months, re.S).group(1)
    assert "¥700,000" in feb and "not reported" in feb and "¥0" not in feb and "-100" not in feb
    apr = re.search(r'<th scope="row">Apr</th>(.*?)</tr>', months, re.S).group(1)
    assert "not reported" in apr and "¥0" not in apr  # April 2024 was due long ago and is missing
    # the year to date (January to March, ¥4,700,000) against the same months of 2023 (¥4,000,000); the change
    # compares January and March only, the months reported in both years: 4,000,000 against 4,000,000
    total = re.search(r'<p class="export-total">(.*?)</p>', page, re.S).group(1)
    assert "3 months reported" in total and "¥4.70 M" in total and "¥4.00 M" in total and "+0.0%" in total
    assert "Change compares the months reported in both years: Jan, Mar." in page
    destination = re.search(r'<th scope="row">Hong Kong.*?</tr>', page, re.S).group(0)
    assert "¥4,700,000" in destination and "¥4,000,000" in destination and "+0.0%" in destination


def test_the_area_export_page_compares_the_same_months_and_says_not_reported(client, auth):
    _exporter_with_sales()
    _login(auth, factories.user("admin"))
    page = client.get("/exports/areas/131016", headers=JA).get_data(as_text=True)
    assert "<strong>2024年</strong>" in page
    assert "未報告" in page and "-100.0%" not in page
    assert "比較は両年とも報告のある月" in page


def test_a_prefecture_row_of_the_overview_sums_its_municipalities_with_the_share_that_reported(client, auth):
    sapporo, hakodate = factories.area("011002"), factories.area("012025")
    factories.visitor_count(sapporo, 2025, 1, "CN", 1_640_000)
    factories.visitor_count(sapporo, 2025, 2, "CN", 1_000_000)
    factories.visitor_count(hakodate, 2025, 2, "CN", 10_000)
    # Tokyo reports its own series in January
    factories.visitor_count(factories.area("130001"), 2025, 1, "CN", 5_000_000)
    refresh_visitor_rollups([(2025, 1), (2025, 2)])
    _login(auth, factories.user("admin"))
    page = client.get("/visitors/?year=2025", headers=EN).get_data(as_text=True)
    hokkaido = re.search(r'area=010006">Hokkaido</a>(.*?)</tr>', page, re.S).group(1)
    cells = re.findall(r"<td[^>]*>(.*?)</td>", hokkaido, re.S)
    assert "1,640,000" in cells[0] and "sum, 50% reported" in cells[0]
    assert "1,010,000" in cells[1] and "sum, 100% reported" in cells[1]
    assert "not reported" in cells[2] or Month(2025, 3) > latest_due_month(units.rule("visitors"), today())
    assert "2,650,000" in cells[12] and "2 months reported" in cells[12]
    tokyo = re.search(r'area=130001">Tokyo</a>(.*?)</tr>', page, re.S).group(1)
    assert "5,000,000" in tokyo and "own series" in tokyo
    aomori = re.search(r'area=020001">Aomori Prefecture</a>(.*?)</tr>', page, re.S).group(1)
    assert "–" not in aomori and "not reported" in aomori
    japanese = client.get("/visitors/?year=2025", headers=JA).get_data(as_text=True)
    assert "合計、50% 報告" in japanese or "合計、50%報告" in japanese
