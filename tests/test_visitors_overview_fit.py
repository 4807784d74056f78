"""The visitor overview fits a laptop: compact figures with the exact one on hover, and a year-on-year column."""

import re

import pytest

from tests import factories
from tracker.formatting import table_figure
from tracker.visitors.queries import OverviewCell, same_months_change

EN = {"Accept-Language": "en"}


@pytest.mark.parametrize(("value", "japanese", "english"), [
    (9_999, "9,999", "9,999"), (13_544, "1.35万", "13.5K"), (252_257, "25.2万", "252K"),
    (3_212_106, "321万", "3.21M"), (40_151_320, "4,015万", "40.2M"), (123_456_789, "1.23億", "123M"),
    (None, "", "")])
def test_table_figures_keep_three_significant_figures_in_each_languages_units(value, japanese, english):
    assert table_figure(value, "ja") == japanese
    assert table_figure(value, "en") == english


def test_the_change_compares_only_the_months_both_years_reported():
    now = {1: OverviewCell(150), 2: OverviewCell(100), 3: OverviewCell(999)}
    before = {1: OverviewCell(100), 2: OverviewCell(100), 4: OverviewCell(500)}
    assert same_months_change(now, before) == pytest.approx(0.25)
    assert same_months_change(now, {}) is None
    assert same_months_change(now, {1: OverviewCell(0)}) is None


def test_the_overview_writes_compact_figures_and_the_change_from_a_year_earlier(client, auth):
    sapporo = factories.area("011002")
    for month in (1, 2):
        factories.visitor_count(sapporo, 2024, month, "CN", 1_000_000)
        factories.visitor_count(sapporo, 2025, month, "CN", 1_250_000)
    factories.visitor_count(sapporo, 2024, 3, "CN", 7_000_000)  # not reported in 2025: not compared
    auth.login(factories.user("officer", areas=[sapporo]).email)
    page = client.get("/visitors/?year=2025", headers=EN).get_data(as_text=True)
    assert "Year on year" in page
    row = re.search(r'<th scope="row">[^<]*<small>011002</small>.*?</tr>', page, re.S).group(0)
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
    assert len(cells) == 14
    assert '<span class="figure" title="1,250,000">1.25M</span>' in cells[0]
    assert '<span class="figure" title="2,500,000">2.5M</span>' in cells[12]
    assert cells[13].strip() == "+25.0%"
