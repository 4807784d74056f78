"""A target's card reads at a glance: its bar in its status's colour, every figure in one unit."""

import re
from datetime import date

import pytest

from tests import factories
from tracker.extensions import db
from tracker.periods import Month
from tracker.rollups import rebuild_visitor_rollups


@pytest.fixture
def running_target(app):
    """60 million by a year four years ahead, with a year of figures and this year's months so far."""
    nation = factories.area("JP")
    this_month = Month.of(date.today())
    for month in (this_month.shift(-i) for i in range(1, 25)):
        factories.visitor_count(nation, month.year, month.month, "CN", 3_970_000)
    rebuild_visitor_rollups()
    target = factories.target(nation, name="60 million", baseline_year=this_month.year - 2,
                              baseline_value=31_882_049, target_year=this_month.year + 4, target_value=60_000_000)
    db.session.commit()
    return target


def _card(client, auth, language):
    viewer = factories.user("viewer")
    db.session.commit()
    auth.login(viewer.email)
    page = client.get("/dashboard/", headers={"Accept-Language": language}).get_data(as_text=True)
    return page[page.index('<article class="card">'):]


def test_every_figure_of_an_english_card_is_in_millions_with_three_significant_figures(client, auth, running_target):
    figures = re.findall(r'<span title="[\d,]+">([^<]+)</span>', _card(client, auth, "en"))
    assert len(figures) >= 4
    assert all(figure == "0 M" or re.fullmatch(r"\d+\.?\d* M", figure) and len(figure.replace(".", "")) == 5
               for figure in figures), figures
    assert "60.0 M" in figures


def test_every_figure_of_a_japanese_card_is_in_man(client, auth, running_target):
    figures = re.findall(r'<span title="[\d,]+">([^<]+)</span>', _card(client, auth, "ja"))
    assert len(figures) >= 4 and all(figure.endswith("万人") or figure == "0人" for figure in figures), figures


def test_the_progress_bar_carries_its_status(client, auth, running_target):
    card = _card(client, auth, "en")
    status = re.search(r'<p class="status status-(\w+)">', card).group(1)
    assert f'<progress class="progress-{status}"' in card
