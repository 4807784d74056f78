"""The notes' markers on a monthly chart: a pure builder from plain rows, checked against plotly's schema."""

import json

import plotly.graph_objects as go
import pytest

from tracker.charts import Table
from tracker.charts.breakdowns import monthly_figure
from tracker.charts.notes import HOVER_CHARACTERS, with_notes

MONTHLY = Table(("Month", "Total", "Change", "China", "Others"), (
    ("2024-07", 130, 0.3, 100, 30), ("2024-08", 40, -0.6, 20, 20), ("2024-09", 90, None, 60, 30)))


@pytest.fixture
def english(app):
    with app.test_request_context(headers={"Accept-Language": "en"}):
        yield


def _notes_trace(figure):
    go.Figure(figure)  # plotly's own schema accepts it
    json.dumps(figure)
    return next(trace for trace in figure["data"] if trace["name"] == "Notes")


def test_each_month_with_notes_gets_one_marker_listing_its_notes(english):
    figure = with_notes(monthly_figure(MONTHLY, rest_label="Others"), [
        ("2024-08", "Okinawa", "Typhoon closed Naha airport"),
        ("2024-07", "", "New route from Busan"),
        ("2024-08", "Tokyo", "Festival moved to September"),
    ])
    trace = _notes_trace(figure)
    assert trace["x"] == ["2024-07", "2024-08"]
    assert trace["hovertext"] == ["New route from Busan",
                                  "Okinawa: Typhoon closed Naha airport<br>Tokyo: Festival moved to September"]
    assert trace["mode"] == "markers" and trace["hovertemplate"] == "%{hovertext}<extra></extra>"


def test_the_markers_ride_a_hidden_axis_of_their_own_and_leave_the_figures_alone(english):
    plain = monthly_figure(MONTHLY, rest_label="Others")
    figure = with_notes(plain, [("2024-08", "Okinawa", "Typhoon")])
    trace = _notes_trace(figure)
    assert trace["yaxis"] == "y3" and trace["y"] == [1]
    assert figure["layout"]["yaxis3"]["overlaying"] == "y" and figure["layout"]["yaxis3"]["visible"] is False
    assert figure["data"][:-1] == plain["data"]
    assert {key: value for key, value in figure["layout"].items() if key != "yaxis3"} == plain["layout"]
    assert len(plain["data"]) == 3  # the figure given is not changed


def test_a_chart_without_notes_is_returned_as_it_was(english):
    plain = monthly_figure(MONTHLY, rest_label="Others")
    assert with_notes(plain, []) is plain


def test_note_text_is_plain_text_in_hover_never_markup(english):
    figure = with_notes(monthly_figure(MONTHLY, rest_label="Others"),
                        [("2024-08", "<b>Area</b>", "<a href=x>click</a> & more")])
    assert _notes_trace(figure)["hovertext"] == ["&lt;b>Area&lt;/b>: &lt;a href=x>click&lt;/a> &amp; more"]


def test_a_long_or_multi_line_note_is_one_short_line_of_hover(english):
    long = "台風" * 100
    figure = with_notes(monthly_figure(MONTHLY, rest_label="Others"),
                        [("2024-08", "", "first line\nsecond   line"), ("2024-09", "", long)])
    first, second = _notes_trace(figure)["hovertext"]
    assert first == "first line second line"
    assert len(second) == HOVER_CHARACTERS and second.endswith("…") and second.startswith("台風台風")
