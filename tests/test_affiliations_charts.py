import json

import plotly.graph_objects as go
import pytest

from tracker.affiliations.page import (
    before_after_table,
    by_kind,
    by_prefecture,
    network,
    network_table,
    timeline_table,
)
from tracker.affiliations.summary import Tie
from tracker.charts import Table
from tracker.charts.affiliations import before_after_figure, network_figure, timeline_figure
from tracker.models import Affiliation

TIES = [Tie(1955, None, "US", "420000", "sister"), Tie(1957, 2018, "US", "270008", "sister"),
        Tie(1974, None, "CN", "270008", "friendship"), Tie(2002, None, "KR", "170003", "sister"),
        Tie(2010, None, "KR", "010006", "friendship")]


@pytest.fixture
def english(app):
    with app.test_request_context(headers={"Accept-Language": "en"}):
        yield


def _valid(figure):
    """plotly's own schema accepts the figure, and it is plain JSON."""
    go.Figure(figure)
    json.dumps(figure)
    return {trace.get("name", trace["type"]): trace for trace in figure["data"]}


def test_the_network_table_counts_active_ties_per_leading_country_and_the_rest_each_year():
    table = network_table(TIES, 2020, lambda code: f"<{code}>", "Rest")
    assert table.columns == ("year", "added", "<KR>", "<CN>", "<US>", "Rest")
    years = {row[0]: row for row in table.rows}
    assert table.rows[0][0] == 1955 and table.rows[-1][0] == 2020
    assert years[1957] == (1957, 1, 0, 0, 2, 0)
    assert years[2018] == (2018, 0, 2, 1, 1, 0)  # San Francisco ended during 2018
    assert years[2010] == (2010, 1, 2, 1, 2, 0)


def test_the_network_chart_stacks_the_countries_and_marks_the_ties_added_since_2000(english):
    table = Table(("year", "added", "Korea", "Rest"), ((1999, 1, 0, 3), (2000, 2, 2, 3), (2001, 0, 2, 3)))
    figure = network_figure(table, rest_label="Rest")
    traces = _valid(figure)
    assert traces["Korea"]["y"] == [0, 2, 2] and traces["Rest"]["marker"]["color"] == "#b8c0ca"
    assert traces["Ties added since 2000"]["x"] == [2000, 2001]
    assert traces["Ties added since 2000"]["y"] == [2, 0]
    assert figure["layout"]["barmode"] == "stack" and figure["layout"]["shapes"][0]["x0"] == 1999.5
    assert figure["layout"]["yaxis2"]["dtick"] == 1


def test_the_prefecture_and_kind_tables_give_labels_counts_and_shares():
    prefectures = by_prefecture(TIES, {"270008": "Osaka", "420000": "Nagasaki"})
    assert prefectures.rows == (("010006", 1, 0.25), ("170003", 1, 0.25), ("Osaka", 1, 0.25), ("Nagasaki", 1, 0.25))
    assert by_kind([]).rows == ()


def test_the_timeline_draws_a_bar_from_each_start_to_its_end_or_to_this_year(english):
    records = [Affiliation(partner_name="セントポール市", country="US", established_year=1955, kind="sister"),
               Affiliation(partner_name="サンフランシスコ市", country="US", established_year=1957, ended_year=2018,
                           kind="sister")]
    table = timeline_table(records, lambda code: code)
    assert table.rows == (("セントポール市 (US)", 1955, None, "Sister"),
                          ("サンフランシスコ市 (US)", 1957, 2018, "Sister"))
    [bar] = _valid(timeline_figure(table, current_year=2024)).values()
    assert bar["base"] == [1955, 1957] and bar["x"] == [70, 61]
    assert bar["text"] == ["1955–", "1957–2018"]


def test_the_before_after_chart_draws_both_indexes_and_the_year_of_the_tie(english):
    body = {"base_year": 2007, "rows": [
        {"year": 2007, "partner": 10, "others": 90, "partner_index": 100.0, "others_index": 100.0},
        {"year": 2008, "partner": 0, "others": 99, "partner_index": None, "others_index": 110.0}]}
    table = before_after_table(body)
    assert table.rows == ((2007, 100.0, 100.0), (2008, None, 110.0))
    figure = before_after_figure(table, established_year=2008, partner_label="China")
    traces = _valid(figure)
    assert traces["China"]["y"] == [100.0, None] and traces["Every other market"]["y"] == [100.0, 110.0]
    assert figure["layout"]["shapes"][0]["x0"] == 2008
    assert figure["layout"]["annotations"][0]["text"] == "Tie established"


def test_the_network_page_counts_active_ties_those_added_this_year_and_every_tie(english):
    shown = network(TIES, 2010, str, {}, "Rest")
    assert (shown.active, shown.added, shown.total) == (4, 1, 5)
    assert shown.prefecture_codes == ("010006", "170003", "270008", "420000")
    assert shown.by_kind.rows == (("Friendship", 2, 0.5), ("Sister", 2, 0.5))  # San Francisco has ended
