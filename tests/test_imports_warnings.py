"""Outlier warnings that matter (a change of at least OUTLIER_MIN_CHANGE visitors as well as the ratio), a capped
list with the total, and counts in the right English plural on the report page and the command line."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import select

from tests import factories
from tracker.cli import main
from tracker.extensions import db
from tracker.models import VisitorCount
from tracker.visitors.importer import import_visitors
from tracker.visitors.outliers import OUTLIER_MIN_CHANGE, is_outlier

EN = {"Accept-Language": "en"}
JA = {"Accept-Language": "ja"}
HEADER = "area_code,year,month,market,visitors\r\n"


@pytest.fixture
def shibuya(app):
    area = factories.area("131130")
    db.session.commit()
    return area


def _csv(*lines: str) -> bytes:
    return (HEADER + "".join(line + "\r\n" for line in lines)).encode()


def _last_year(area, *figures: tuple[str, int]) -> None:
    """April 2014's figures of the markets, the base of April 2015's."""
    for market, visitors in figures:
        factories.visitor_count(area, 2014, 4, market, visitors)
    db.session.commit()


@pytest.mark.parametrize(("value", "last_year", "outlier"), [
    (0, 1, False),  # the synthetic file's 182,481 warnings were of this kind
    (40, 12, False),
    (150, 50, False),  # three times exactly is not more than three times
    (151, 50, True),  # 101 more and more than three times
    (0, 99, False),
    (0, 100, True),
    (3500, 1000, True),
    (1100, 1000, False),  # far enough, not by the ratio
    (5, None, False),
])
def test_an_outlier_is_far_by_the_ratio_and_by_at_least_the_minimum_change(value, last_year, outlier):
    assert OUTLIER_MIN_CHANGE == 100
    assert is_outlier(value, last_year) is outlier


def test_small_changes_are_not_warned_about_on_import_and_large_ones_are(shibuya):
    _last_year(shibuya, ("CN", 1), ("KR", 12), ("TW", 1000), ("HK", 99), ("US", 100))
    result = import_visitors(io.BytesIO(_csv("131130,2015,4,CN,0", "131130,2015,4,KR,40", "131130,2015,4,TW,200",
                                             "131130,2015,4,HK,0", "131130,2015,4,US,0")), "v.csv", None)
    assert result.ok and result.created == 5
    assert [(w.line, w.message) for w in result.warnings] == [
        (4, "200 is far from the same month last year (1,000): please check it."),
        (6, "0 is far from the same month last year (100): please check it."),
    ]
    assert result.warning_count == 2


def test_the_entry_grid_asks_no_confirmation_for_a_small_change(client, auth, shibuya):
    _last_year(shibuya, ("CN", 3))
    officer = factories.user("officer", areas=[shibuya])
    db.session.commit()
    auth.login(officer.email)
    saved = client.post("/visitors/131130/2015-04", data={"visitors-CN": "30", "status": "final"}, headers=EN)
    assert saved.status_code == 302
    assert db.session.scalar(select(VisitorCount.visitors).where(VisitorCount.year == 2015)) == 30


def _jumps(count: int) -> bytes:
    """`count` figures of April 2015 each 1,000 above their April 2014 base (markets of the seeded list)."""
    return _csv(*(f"131130,2015,4,{market},1010" for market in MARKETS[:count]))


MARKETS = ("CN", "KR", "TW", "HK", "US")


@pytest.mark.parametrize(("total", "more_en", "more_ja"), [
    (3, "and 1 more warning (3 in all)", "ほか1件の警告（全3件）"),
    (4, "and 2 more warnings (4 in all)", "ほか2件の警告（全4件）"),
])
def test_the_report_lists_some_warnings_and_says_how_many_more_of_the_total(
        client, auth, shibuya, monkeypatch, total, more_en, more_ja):
    monkeypatch.setattr("tracker.visitors.importer.MAX_REPORTED", 2)
    _last_year(shibuya, *((market, 10) for market in MARKETS[:total]))
    admin = factories.user("admin")
    db.session.commit()
    auth.login(admin.email)
    response = client.post("/visitors/import", data={"file": (io.BytesIO(_jumps(total)), "v.csv")}, headers=EN,
                           follow_redirects=True)
    page = response.get_data(as_text=True)
    assert f"created {total}, updated 0, unchanged 0" in page
    assert page.count("is far from the same month last year") == 2
    assert f'<p class="more-issues">{more_en}</p>' in page
    japanese = client.get(response.request.path, headers=JA).get_data(as_text=True)
    assert f'<p class="more-issues">{more_ja}</p>' in japanese


@pytest.mark.parametrize(("errors", "headline"), [
    (1, "Nothing was imported: the file has 1 error."),
    (2, "Nothing was imported: the file has 2 errors."),
])
def test_the_report_counts_errors_in_the_right_plural(client, auth, shibuya, errors, headline):
    admin = factories.user("admin")
    db.session.commit()
    auth.login(admin.email)
    content = _csv(*(f"131130,2015,4,CN,x{line}" for line in range(errors)))
    page = client.post("/visitors/import", data={"file": (io.BytesIO(content), "v.csv")}, headers=EN,
                       follow_redirects=True).get_data(as_text=True)
    assert headline in page


def test_the_command_line_gives_the_total_of_errors_in_the_right_plural(runner, tmp_path, shibuya, monkeypatch):
    monkeypatch.setattr("tracker.imports.pipeline.MAX_REPORTED", 1)
    path = tmp_path / "v.csv"
    path.write_bytes(_csv("131130,2015,4,CN,x", "131130,2015,4,KR,y"))
    one_more = runner.invoke(main, ["import", "visitors", str(path)])
    assert one_more.exit_code == 1 and "... and 1 more error (2 in all)" in one_more.output.splitlines()
    path.write_bytes(_csv("131130,2015,4,CN,x", "131130,2015,4,KR,y", "131130,2015,4,TW,z"))
    two_more = runner.invoke(main, ["import", "visitors", str(path)])
    assert "... and 2 more errors (3 in all)" in two_more.output.splitlines()


def test_the_command_line_gives_the_total_of_warnings_in_the_right_plural(runner, tmp_path, shibuya, monkeypatch):
    monkeypatch.setattr("tracker.imports.cli._WARNINGS_SHOWN", 1)
    _last_year(shibuya, *((market, 10) for market in MARKETS))
    path = tmp_path / "v.csv"
    path.write_bytes(_jumps(2))
    one_more = runner.invoke(main, ["import", "visitors", str(path)])
    assert one_more.exit_code == 0, one_more.output
    assert "... and 1 more warning (2 in all)" in one_more.output.splitlines()
    path.write_bytes(_csv(*(f"131130,2015,4,{market},5000" for market in MARKETS)))
    four_more = runner.invoke(main, ["import", "visitors", str(path)])
    assert "... and 4 more warnings (5 in all)" in four_more.output.splitlines()
