"""The map builders on plain rows, and the boundaries they draw: 47 prefectures keyed by their area codes."""

import csv
import json
import os

import plotly.graph_objects as go
import pytest

from tracker.charts import Table
from tracker.charts.maps import FEATURE_ID_KEY, choropleth_figure, points_figure, view_bounds
from tracker.reference import PREFECTURES

BOUNDARIES = os.path.join(os.path.dirname(__file__), "..", "static", "geo", "japan-prefectures.geojson")
URL = "/static/geo/japan-prefectures.geojson?v=1"


@pytest.fixture(scope="module")
def boundaries():
    with open(BOUNDARIES, encoding="utf-8") as file:
        return json.load(file)


@pytest.fixture
def english(app):
    with app.test_request_context(headers={"Accept-Language": "en"}):
        yield


@pytest.fixture
def japanese(app):
    with app.test_request_context(headers={"Accept-Language": "ja"}):
        yield


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _valid(figure) -> list[dict]:
    """plotly's schema accepts it, it is plain JSON, and no string in it reaches outside the app."""
    go.Figure(figure)
    text = json.dumps(figure)
    assert "http" not in text and "//" not in text
    assert not any(s.startswith(("http", "//", "data:")) for s in _strings(figure))
    return figure["data"]


def _prefectures(values: dict[str, float | None]) -> Table:
    return Table(("Code", "Prefecture", "Visitors", "Why none"),
                 tuple((code, name_en, values.get(code), "no figures") for code, _ja, _kana, name_en in PREFECTURES))


def test_the_boundaries_hold_the_47_prefectures_under_their_area_codes(boundaries, shared_data):
    with open(os.path.join(shared_data, "jp_prefectures.csv"), encoding="utf-8") as file:
        official = {row["lg_code"]: row for row in csv.DictReader(file)}
    features = boundaries["features"]
    assert len(features) == 47
    assert {f["properties"]["lg_code"] for f in features} == set(official) == {code for code, *_ in PREFECTURES}
    for feature in features:
        row = official[feature["properties"]["lg_code"]]
        assert (feature["properties"]["iso_3166_2"], feature["properties"]["name_ja"]) == (row["iso_3166_2"],
                                                                                          row["name_ja"])
        # the prefectural office lies within its own feature's bounding box
        points = [point for polygon in _polygons(feature["geometry"]) for ring in polygon for point in ring]
        lngs, lats = [p[0] for p in points], [p[1] for p in points]
        assert min(lats) <= float(row["office_lat"]) <= max(lats) and min(lngs) <= float(row["office_lng"]) <= max(lngs)


def _polygons(geometry):
    return geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]


def test_the_choropleth_draws_every_prefecture_and_colours_those_with_figures(english, boundaries):
    figure = choropleth_figure(_prefectures({"130001": 1_200_000, "270008": 900_000}), geojson=boundaries,
                               kind="value", value_title="Visitors")
    ground, values = _valid(figure)
    assert ground["featureidkey"] == values["featureidkey"] == FEATURE_ID_KEY == "properties.lg_code"
    assert len(ground["locations"]) == 47 and ground["showscale"] is False
    assert ground["geojson"] is boundaries
    assert values["locations"] == ["130001", "270008"] and values["z"] == [1_200_000, 900_000]
    assert values["customdata"] == ["Tokyo", "Osaka Prefecture"]
    assert values["colorbar"]["title"]["text"] == "Visitors"
    assert "Hokkaido: no figures" in ground["text"]
    geo = figure["layout"]["geo"]
    assert geo["visible"] is False and geo["fitbounds"] is False
    assert (geo["lonaxis"]["range"], geo["lataxis"]["range"]) == ([122.5, 146.3], [23.8, 45.8])
    assert (geo["scope"], geo["resolution"]) == ("world", 110)  # the empty topojson the page serves: world_110m


def test_the_choropleth_takes_its_boundaries_by_url_unescaped(english):
    figure = choropleth_figure(_prefectures({"130001": 5}), geojson=URL + "&x=1", kind="value")
    assert {trace["geojson"] for trace in figure["data"]} == {URL + "&x=1"}


def test_growth_is_coloured_around_zero_and_rates_from_nothing_to_all(english, boundaries):
    growth = choropleth_figure(_prefectures({"130001": 0.25, "270008": -0.1}), geojson=boundaries, kind="growth")
    values = _valid(growth)[1]
    assert (values["zmin"], values["zmax"]) == (-0.25, 0.25)
    assert values["hovertemplate"] == "%{customdata}: %{z:+.1%}<extra></extra>"
    assert values["colorbar"]["tickformat"] == "+.0%"
    slight = choropleth_figure(_prefectures({"130001": 0.004}), geojson=boundaries, kind="growth")
    assert _valid(slight)[1]["colorbar"]["tickformat"] == "+.1%"  # ticks of ±0.4% would all read +0%
    rate = choropleth_figure(_prefectures({"130001": 0.5}), geojson=boundaries, kind="rate")
    values = _valid(rate)[1]
    assert (values["zmin"], values["zmax"], values["colorbar"]["tickformat"]) == (0, 1, ".0%")


def test_a_map_without_any_figure_still_draws_the_47_prefectures(english, boundaries):
    data = _valid(choropleth_figure(_prefectures({}), geojson=boundaries, kind="value"))
    assert len(data) == 1 and len(data[0]["locations"]) == 47


def test_japanese_values_are_scaled_in_man_and_oku_and_names_are_text_not_markup(japanese, boundaries):
    table = Table(("Code", "Prefecture", "Value", "Why none"),
                  (("130001", "東京都<b>", 250_000_000, ""), ("270008", "大阪府", 90_000_000, "")))
    values = _valid(choropleth_figure(table, geojson=boundaries, kind="value", yen=True))[1]
    assert values["colorbar"]["ticktext"][:3] == ["0円", "5,000万円", "1億円"]
    assert values["customdata"][0] == "東京都&lt;b>"
    assert values["hovertemplate"].startswith("%{customdata}: ¥%{z:,.0f}")


POINTS = Table(("Code", "Municipality", "Latitude", "Longitude", "Visitors", "Growth", "Why none"), (
    ("131016", "Chiyoda", 35.694, 139.754, 400_000, 0.2, ""),
    ("131130", "Shibuya", 35.664, 139.698, 100_000, None, ""),
    ("132012", "Hachioji", 35.666, 139.316, None, None, "no figures"),
    ("133647", "Kozushima", None, None, 5_000, 0.1, ""),
))


def test_municipalities_are_points_at_their_offices_sized_by_visitors(english, boundaries):
    figure = points_figure(POINTS, geojson=boundaries, outline="130001", kind="value", value_title="Visitors")
    outline, sized, empty = _valid(figure)
    assert outline["locations"] == ["130001"] and outline["geojson"] is boundaries
    assert (sized["lat"], sized["lon"]) == ([35.694, 35.664], [139.754, 139.698])  # Kozushima has no office
    assert sized["marker"]["size"] == [400_000, 100_000] and sized["marker"]["sizemode"] == "area"
    assert sized["marker"]["sizeref"] == 2 * 400_000 / 40 ** 2
    assert sized["customdata"][0][:2] == ["Chiyoda", 400_000]
    assert empty["text"] == ["Hachioji: no figures"] and empty["marker"]["symbol"] == "circle-open"
    assert figure["layout"]["geo"]["fitbounds"] == "locations"  # without bounds: the outline and the points


def test_a_prefectures_view_is_its_main_island_and_its_points_not_its_far_islets(boundaries):
    west, south, east, north = view_bounds(boundaries, "130001", [(35.694, 139.754)])
    assert 138.8 < west < 139.0 and 139.9 < east < 140.0 and 35.4 < south < 35.5 and 35.9 < north < 36.0
    assert view_bounds(boundaries, "130001", [(27.094, 142.191)])[1] < 27  # Ogasawara, with figures, in view
    figure = points_figure(POINTS, geojson=URL, outline="130001", kind="value", bounds=(139, 35.5, 140, 36))
    assert figure["layout"]["geo"]["lonaxis"]["range"] == [139, 140] and figure["layout"]["geo"]["fitbounds"] is False


def test_points_coloured_by_growth_leave_a_missing_growth_uncoloured(english, boundaries):
    _outline, coloured, grey, _empty = _valid(points_figure(POINTS, geojson=URL, outline="130001", kind="growth"))
    assert coloured["marker"]["color"] == [0.2]
    assert (coloured["marker"]["cmin"], coloured["marker"]["cmax"]) == (-0.2, 0.2)
    assert coloured["customdata"] == [["Chiyoda", 400_000, "+20.0%"]]
    assert grey["customdata"] == [["Shibuya", 100_000, "–"]] and grey["marker"]["color"] == "#b8c0ca"
    assert coloured["marker"]["sizeref"] == grey["marker"]["sizeref"]  # one scale of sizes for both
