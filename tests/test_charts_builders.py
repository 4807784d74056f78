import json

import plotly.graph_objects as go
import pytest

from tracker.charts import Table
from tracker.charts.breakdowns import bars_figure, monthly_figure, ranking_figure, reporting_figure, share_figure
from tracker.charts.progress import annual_figure, running_figure


@pytest.fixture
def english(app):
    with app.test_request_context(headers={"Accept-Language": "en"}):
        yield


@pytest.fixture
def japanese(app):
    with app.test_request_context(headers={"Accept-Language": "ja"}):
        yield


def _valid(figure):
    """plotly's own schema accepts the figure, and it is plain JSON."""
    go.Figure(figure)
    json.dumps(figure)
    return {trace.get("name", trace["type"]): trace for trace in figure["data"]}


ANNUAL = Table(("Year", "Visitors", "Months", "Required", "Projected"), (
    ("2014", 13_413_467, 12, 11_766_432, None),
    ("2015", 9_000_000, 6, 14_553_205, 19_500_000),
    ("2016", None, 0, 18_000_000, None),
))


def test_the_annual_chart_stacks_the_projection_on_the_year_to_date_and_marks_the_target():
    traces = _valid(annual_figure(ANNUAL, target_label="2016", target_value=18_000_000))
    assert traces["Actual"]["y"] == [13_413_467, None, None]
    assert traces["Year to date"]["y"] == [None, 9_000_000, None]
    assert traces["Projection (rest of the year)"]["y"] == [None, 10_500_000, None]
    assert traces["Projection (rest of the year)"]["marker"]["pattern"]["shape"] == "/"
    assert traces["Required path"]["y"] == [11_766_432, 14_553_205, 18_000_000]
    assert (traces["Target"]["x"], traces["Target"]["y"]) == (["2016"], [18_000_000])


def test_the_annual_chart_lists_only_the_series_it_draws_and_marks_the_year_the_target_was_met():
    past = Table(ANNUAL.columns, (
        ("2011", 6_218_752, 12, 6_218_752, None), ("2012", 8_358_105, 12, 7_652_000, None),
        ("2013", 10_363_904, 12, 9_415_000, None), ("2014", 13_413_467, 12, 11_584_000, None),
        ("2015", 19_737_409, 12, 14_254_000, None), ("2016", 24_039_700, 12, 18_000_000, None)))
    figure = annual_figure(past, target_label="2016", target_value=18_000_000, met_label="2015")
    assert list(_valid(figure)) == ["Actual", "Required path", "Target"]  # no year to date, no projection
    (mark,) = figure["layout"]["annotations"]
    assert (mark["x"], mark["y"], mark["text"], mark["showarrow"]) == ("2015", 19_737_409, "Target met", True)
    assert annual_figure(past, target_label="2016", target_value=18_000_000)["layout"]["annotations"] == []


def test_many_years_are_labelled_every_second_or_fifth_counted_from_the_target_year():
    years = [str(year) for year in range(2003, 2031)]
    table = Table(ANNUAL.columns, tuple((year, 1_000, 12, None, None) for year in years))
    axis = annual_figure(table, target_label="2030", target_value=60_000_000)["layout"]["xaxis"]
    assert axis["tickvals"] == [str(year) for year in range(2005, 2031, 5)]
    assert axis["tickvals"] == axis["ticktext"] and axis["automargin"] is True
    few = annual_figure(Table(ANNUAL.columns, table.rows[:12]), target_label="2014",
                        target_value=1)["layout"]["xaxis"]
    assert few["tickvals"] == years[:12]
    some = annual_figure(Table(ANNUAL.columns, table.rows[:16]), target_label="2016",
                         target_value=1)["layout"]["xaxis"]
    assert some["tickvals"] == [str(year) for year in range(2004, 2019, 2)]


def test_legends_sit_below_the_figure_and_grow_its_margin_rather_than_cover_the_plot():
    legend = annual_figure(ANNUAL, target_label="2016", target_value=1)["layout"]["legend"]
    # measured from the container, plotly pushes the bottom margin to hold the legend's rows
    assert (legend["yref"], legend["y"], legend["yanchor"], legend["orientation"]) == ("container", 0, "bottom", "h")


def test_the_annual_charts_target_label_may_rise_above_the_axis_into_its_own_margin():
    figure = annual_figure(ANNUAL, target_label="2016", target_value=18_000_000, value_title="Visitors")
    assert _valid(figure)["Target"]["cliponaxis"] is False
    assert figure["layout"]["margin"]["t"] >= 40
    axis = figure["layout"]["yaxis"]
    assert axis["automargin"] is True  # the margin grows to the tick labels, the title stands off them
    assert axis["title"] == {"text": "Visitors", "standoff": 12}


def test_the_running_chart_draws_its_line_where_the_actual_figures_end_and_the_projection_starts(english):
    table = Table(("Month", "Actual", "Needed", "Projected"), (
        ("2024-01", 30, 22, None), ("2024-02", 60, 44, 60), ("2024-03", None, 70, 95)))
    figure = running_figure(table)
    traces = _valid(figure)
    assert traces["Actual, running total"]["x"] == ["2024-01-31", "2024-02-29", "2024-03-31"]
    assert traces["Projection"]["y"] == [None, 60, 95]
    assert traces["Needed for the required value"]["y"] == [22, 44, 70]
    (line,) = figure["layout"]["shapes"]
    assert line["x0"] == line["x1"] == "2024-02-29"  # the end of the last reported month, not today's date
    (label,) = figure["layout"]["annotations"]
    assert (label["x"], label["text"]) == ("2024-02-29", "Latest figures")


def test_the_running_chart_has_no_line_before_any_month_is_reported():
    table = Table(("Month", "Actual", "Needed", "Projected"), (("2024-01", None, 22, None),))
    figure = running_figure(table)
    assert figure["layout"]["shapes"] == figure["layout"]["annotations"] == []


def test_the_monthly_chart_stacks_one_bar_per_series_with_the_change_on_a_second_axis():
    table = Table(("Month", "Total", "Change", "China", "Others"), (
        ("2024-01", 130, 0.3, 100, 30), ("2024-02", 90, None, 60, 30)))
    figure = monthly_figure(table, rest_label="Others")
    traces = _valid(figure)
    assert figure["layout"]["barmode"] == "stack"
    assert traces["China"]["y"] == [100, 60]
    assert traces["Others"]["marker"]["color"] == "#b8c0ca"
    assert traces["Change from a year earlier"]["yaxis"] == "y2"
    assert traces["Change from a year earlier"]["y"] == [0.3, None]


def test_the_change_axis_ticks_round_values_over_the_changes_own_span():
    table = Table(("Month", "Total", "Change", "China"), (
        ("2022-01", 100, 14.5, 100), ("2022-02", 90, None, 90), ("2022-03", 3, -0.94, 3)))
    axis = monthly_figure(table, rest_label="Others")["layout"]["yaxis2"]
    # Not plotly's default for an overlaying axis, ticks synced to the bars' gridlines (1267%, -224%).
    assert axis["tickmode"] == "auto"
    low, high = axis["range"]
    # +1,450% is beyond the clip: the axis spans -94% to +100%
    assert low == pytest.approx(-0.94 - 0.08 * 1.94) and high == pytest.approx(1.0 + 0.08 * 1.94)
    assert axis["automargin"] is True
    assert axis["title"]["standoff"] > 0


def test_recovery_changes_beyond_the_clip_leave_the_axis_to_ordinary_years_and_are_labelled(english):
    changes = [0.05, -0.3, 14.5, 15.2, None, 0.2, 2.5, 0.1]
    months = [f"2023-{n:02d}" for n in range(1, 9)]
    table = Table(("Month", "Total", "Change", "China"),
                  tuple((month, 100, change, 100) for month, change in zip(months, changes, strict=True)))
    figure = monthly_figure(table, rest_label="Others")
    low, high = figure["layout"]["yaxis2"]["range"]
    assert high == pytest.approx(1.0 + 0.08 * 1.3) and low == pytest.approx(-0.3 - 0.08 * 1.3)
    # the line keeps its real values (hover tells them); each run past the edge is labelled once, at its highest
    assert _valid(figure)["Change from a year earlier"]["y"] == changes
    labels = [(a["x"], a["text"]) for a in figure["layout"]["annotations"]]
    assert labels == [("2023-04", "▲ +1,520.0%"), ("2023-07", "▲ +250.0%")]


def test_the_change_axis_shows_zero_when_no_change_is_known():
    table = Table(("Month", "Total", "Change", "China"), (("2024-01", 100, None, 100),))
    assert monthly_figure(table, rest_label="Others")["layout"]["yaxis2"]["range"] == [-0.1, 0.1]


SHARES = Table(("Market", "Visitors", "Share"), (("China", 600, 0.6), ("Korea", 300, 0.3), ("Others", 100, 0.1)))


def test_the_share_chart_is_a_ring_in_the_given_order():
    (ring,) = _valid(share_figure(SHARES, rest_label="Others")).values()
    assert (ring["type"], ring["labels"], ring["values"]) == ("pie", ["China", "Korea", "Others"], [600, 300, 100])
    # Slices too small for their label put it outside, and the margins grow to hold it, not cut it off.
    assert (ring["textposition"], ring["automargin"]) == ("auto", True)
    assert ring["insidetextorientation"] == "horizontal"


def test_bars_put_the_largest_on_top_with_its_share():
    (bars,) = _valid(bars_figure(SHARES, rest_label="Others")).values()
    assert bars["y"] == ["China", "Korea", "Others"]
    assert bars["text"] == ["60.0%", "30.0%", "10.0%"]


def test_areas_are_ranked_by_growth_and_coloured_by_its_sign():
    table = Table(("Area", "Code", "Before", "2024", "Growth"), (
        ("Kyoto", "261009", 100, 150, 0.5), ("Osaka", "271004", 200, 180, -0.1)))
    (bars,) = _valid(ranking_figure(table)).values()
    assert bars["x"] == [0.5, -0.1]
    assert bars["text"] == ["+50.0%", "-10.0%"]
    assert bars["marker"]["color"] == ["#2e7d32", "#b7282e"]
    assert bars["customdata"] == [[100, 150], [200, 180]]


def test_the_reporting_heatmap_shows_the_share_of_units_that_reported():
    table = Table(("Area", "Code", "Units", "2024-01", "2024-02"), (
        ("Hokkaido", "010006", 4, 4, 1), ("Aomori", "020001", 2, 0, 2)))
    figure = reporting_figure(table)
    (heatmap,) = _valid(figure).values()
    assert heatmap["x"] == ["2024年1月", "2024年2月"]  # outside a request, in the default language
    assert heatmap["y"] == ["Hokkaido", "Aomori"]
    assert heatmap["z"] == [[1.0, 0.25], [0.0, 1.0]]
    assert heatmap["text"] == [["4 / 4", "1 / 4"], ["0 / 2", "2 / 2"]]
    assert heatmap["colorbar"]["title"]["side"] == "right"  # beside the scale, not on top of 100%
    assert figure["layout"]["xaxis"]["automargin"] is True  # the months above keep the room they need


@pytest.mark.parametrize("builder", [lambda t: share_figure(t, rest_label="x"),
                                     lambda t: bars_figure(t, rest_label="x"), ranking_figure])
def test_builders_accept_an_empty_table(builder):
    _valid(builder(Table(("a", "b", "c", "d", "e"), ())))


def test_months_numbers_and_axes_are_written_in_the_pages_language(english):
    table = Table(("Month", "Total", "Change", "China"), (("2024-01", 1_234_567, 0.3, 1_234_567),))
    monthly = monthly_figure(table, rest_label="Others", value_title="Visitors")
    assert monthly["layout"]["xaxis"]["tickformat"] == monthly["layout"]["xaxis"]["hoverformat"] == "%b %Y"
    assert monthly["layout"]["yaxis"]["title"]["text"] == "Visitors"
    assert monthly["layout"]["yaxis"]["hoverformat"] == ",.0f"
    running = running_figure(Table(("Month", "Actual", "Needed", "Projected"), (("2024-01", 1, 2, None),)),
                             value_title="Visitors")
    assert running["layout"]["xaxis"]["hoverformat"] == "%b %Y"
    assert running["layout"]["yaxis"]["title"]["text"] == "Visitors"
    annual = annual_figure(ANNUAL, target_label="2016", target_value=18_000_000, value_title="Export value (JPY)")
    assert annual["layout"]["yaxis"]["title"]["text"] == "Export value (JPY)"
    heatmap = reporting_figure(Table(("Area", "Code", "Units", "2024-01"), (("Tokyo", "130001", 1_200, 1_100),)))
    assert heatmap["data"][0]["x"] == ["January 2024"]
    assert heatmap["data"][0]["text"] == [["1,100 / 1,200"]]


def test_japanese_charts_write_months_as_japanese_statistics_do(app):
    table = Table(("Month", "Total", "Change", "China"), (("2024-04", 10, None, 10),))
    with app.test_request_context(headers={"Accept-Language": "ja"}):
        figure = monthly_figure(table, rest_label="その他")
    assert figure["layout"]["xaxis"]["tickformat"] == "%Y年%-m月"


MONTHS = Table(("Month", "Total", "Change", "China"), (("2024-01", 23_000_000, 0.3, 23_000_000),
                                                       ("2024-02", 61_000_000, 0.1, 61_000_000)))


def test_japanese_value_axes_tick_in_man_and_oku_units_and_yen_axes_in_en(japanese):
    counts = monthly_figure(MONTHS, rest_label="その他")["layout"]["yaxis"]
    assert counts["tickmode"] == "array"
    assert counts["tickvals"] == [0, 20_000_000, 40_000_000, 60_000_000, 80_000_000]
    assert counts["ticktext"] == ["0", "2,000万", "4,000万", "6,000万", "8,000万"]
    assert counts["hoverformat"] == ",.0f" and "tickprefix" not in counts
    values = Table(("仕向地", "輸出額", "構成比"), (("米国", 745_100_000_000, 0.9), ("香港", 82_000_000_000, 0.1)))
    bars = bars_figure(values, rest_label="その他", yen=True)
    axis = bars["layout"]["xaxis"]
    assert axis["ticktext"] == ["0円", "2,000億円", "4,000億円", "6,000億円", "8,000億円"]
    assert axis["tickprefix"] == "¥"  # hover labels between ticks: ¥745,100,000,000
    assert bars["data"][0]["hovertemplate"] == "%{y}: ¥%{x:,.0f}<extra></extra>"
    annual = annual_figure(ANNUAL, target_label="2016年", target_value=18_000_000)["layout"]["yaxis"]
    assert annual["ticktext"][-1] == "2,000万"  # up to the target, above every bar
    small = bars_figure(Table(("a", "b", "c"), (("x", 3, 1.0),)), rest_label="x")["layout"]["xaxis"]
    assert small["tickvals"] == [0, 1, 2, 3]


def test_english_value_axes_keep_plotlys_own_ticks_and_yen_carries_its_sign(english):
    counts = monthly_figure(MONTHS, rest_label="Others")["layout"]["yaxis"]
    assert "tickvals" not in counts and "ticktext" not in counts and "tickprefix" not in counts
    assert counts["hoverformat"] == ",.0f"
    exports = monthly_figure(MONTHS, rest_label="Others", yen=True)["layout"]["yaxis"]
    assert exports["tickprefix"] == "¥"  # ¥20M on the axis, ¥23,000,000 on hover
    running = running_figure(Table(("Month", "Actual", "Needed", "Projected"), (("2024-01", 1, 2, None),)),
                             yen=True)
    assert running["layout"]["yaxis"]["tickprefix"] == "¥"
    ranking = ranking_figure(Table(("Area", "Code", "Before", "2024", "Growth"), (("Kyoto", "261009", 100, 150, 0.5),)),
                             yen=True)
    assert ranking["data"][0]["hovertemplate"] == (
        "%{y}: %{x:+.1%} (¥%{customdata[0]:,} → ¥%{customdata[1]:,})<extra></extra>")
    visitors = bars_figure(SHARES, rest_label="Others")
    assert visitors["data"][0]["hovertemplate"] == "%{y}: %{x:,.0f}<extra></extra>"
