"""The map on the dashboard and on target pages: in both languages, switched by metric, drilled into a prefecture,
under the page's filters, with export groups withheld, and nothing in it that reaches outside the app."""

from __future__ import annotations

import json
import re

import pytest

from tests import factories
from tracker.extensions import db
from tracker.rollups import rebuild_export_rollups, rebuild_visitor_rollups

EN, JA = {"Accept-Language": "en"}, {"Accept-Language": "ja"}


def _map(response) -> tuple[dict, str]:
    """The map's figure and its tag, from the page."""
    html = response.get_data(as_text=True)
    found = re.search(r'(<script type="application/json" class="chart-data" data-chart="chart-map"[^>]*>)'
                      r'(.*?)</script>', html, re.S)
    assert found, "no map on the page"
    return json.loads(found.group(2)), found.group(1)


@pytest.fixture
def figures(app):
    """Visitors in Chiyoda (Tokyo) in 2023 and 2024; one exporter in Chiyoda; a viewer logged in by the test."""
    chiyoda = factories.area("131016")
    chiyoda.office_lat, chiyoda.office_lng = 35.69388889, 139.7536111
    for month in range(1, 13):
        factories.visitor_count(chiyoda, 2023, month, "CN", 100)
        factories.visitor_count(chiyoda, 2024, month, "CN", 150)
    factories.export_sale(factories.product(factories.new_exporter(chiyoda)), 2024, 5, "US", 7_000)
    rebuild_visitor_rollups()
    rebuild_export_rollups()
    db.session.commit()
    return chiyoda


def test_the_dashboard_map_fills_the_prefectures_in_japanese_from_the_apps_own_files(client, auth, figures):
    viewer = factories.user("viewer")
    db.session.commit()
    auth.login(viewer.email)
    response = client.get("/dashboard/", headers=JA)
    figure, tag = _map(response)
    ground, values = figure["data"]
    assert len(ground["locations"]) == 47
    assert (values["locations"], values["z"], values["customdata"]) == (["130001"], [1_800], ["東京都"])
    assert re.fullmatch(r"/static/geo/japan-prefectures\.[0-9a-f]{12}\.geojson", ground["geojson"])
    assert 'data-topojson="/static/geo/topojson/"' in tag and 'data-drill="area"' in response.get_data(as_text=True)
    assert "http" not in json.dumps(figure)
    html = response.get_data(as_text=True)
    assert "<h2>訪日客数（2024年）</h2>" in html
    assert re.search(r"/static/js/maps\.[0-9a-f]{12}\.js", html)
    for url in (ground["geojson"], "/static/geo/topojson/world_110m.json"):
        served = client.get(url)
        assert served.status_code == 200, url
        assert json.loads(served.data)["type"] in ("FeatureCollection", "Topology")
        served.close()


def test_the_switch_shows_growth_and_keeps_the_other_arguments(client, auth, figures):
    viewer = factories.user("viewer")
    db.session.commit()
    auth.login(viewer.email)
    response = client.get("/dashboard/?map=growth&approved=1", headers=EN)
    html = response.get_data(as_text=True)
    assert '<strong aria-current="true">Growth</strong>' in html
    assert 'href="/dashboard/?map=visitors&amp;approved=1#map"' in html
    figure, _tag = _map(response)
    assert len(figure["data"]) == 1  # no month is approved: every prefecture grey
    everything = _map(client.get("/dashboard/?map=growth", headers=EN))[0]
    assert everything["data"][1]["z"] == [pytest.approx(0.5)]


def test_a_prefecture_shows_its_municipalities_and_a_bad_area_is_named_and_ignored(client, auth, figures):
    viewer = factories.user("viewer")
    db.session.commit()
    auth.login(viewer.email)
    figure, tag = _map(client.get("/dashboard/?area=130001", headers=EN))
    outline, points = figure["data"]
    assert outline["locations"] == ["130001"]
    assert (points["lat"], points["lon"], points["marker"]["size"]) == ([35.69388889], [139.7536111], [1_800])
    html = client.get("/dashboard/?area=131016&map=nonsense", headers=EN).get_data(as_text=True)
    assert "Map: 131016 is not the code of the nation or a prefecture." in html
    assert len(_map(client.get("/dashboard/?area=131016", headers=EN))[0]["data"][0]["locations"]) == 47


def test_an_exporter_alone_in_a_prefecture_is_withheld_from_a_viewer_not_an_admin(client, auth, figures):
    viewer, admin = factories.user("viewer"), factories.user("admin")
    db.session.commit()
    auth.login(viewer.email)
    figure, _tag = _map(client.get("/dashboard/?map=exports", headers=EN))
    assert len(figure["data"]) == 1
    assert "Tokyo: withheld: fewer than 3 exporters" in figure["data"][0]["text"]
    auth.logout()
    auth.login(admin.email)
    figure, _tag = _map(client.get("/dashboard/?map=exports", headers=EN))
    assert (figure["data"][1]["locations"], figure["data"][1]["z"]) == (["130001"], [7_000])
    assert figure["data"][1]["hovertemplate"].startswith("%{customdata}: ¥")


def test_a_target_page_maps_its_scope_and_drills_with_its_filters(client, auth, figures):
    viewer = factories.user("viewer")
    nation = factories.target(factories.area("JP"), baseline_year=2023, target_year=2030)
    municipal = factories.target(figures, baseline_year=2023, target_year=2030)
    db.session.commit()
    auth.login(viewer.email)
    page = f"/dashboard/targets/{nation.id}"
    figure, _tag = _map(client.get(f"{page}?to=2024", headers=EN))
    assert figure["data"][1]["z"] == [1_800]
    figure, _tag = _map(client.get(f"{page}?to=2024&market=US", headers=EN))
    assert len(figure["data"]) == 1  # no American visitors anywhere
    html = client.get(f"{page}?to=2024&area=130001&map=growth", headers=EN).get_data(as_text=True)
    assert f'href="/dashboard/targets/{nation.id}?to=2024&amp;area=130001&amp;map=reporting#map"' in html
    figure, _tag = _map(client.get(f"{page}?to=2024&area=130001&map=growth", headers=EN))
    assert figure["data"][1]["customdata"] == [["Test City 131016", 1_800, "+50.0%"]]
    municipal_page = client.get(f"/dashboard/targets/{municipal.id}", headers=EN).get_data(as_text=True)
    assert 'data-chart="chart-map"' not in municipal_page


def test_the_switch_links_carry_odd_arguments_as_plain_query_text(client, auth, figures):
    viewer = factories.user("viewer")
    db.session.commit()
    auth.login(viewer.email)
    response = client.get("/dashboard/?endpoint=x&_external=1&_anchor=y", headers=EN)
    assert response.status_code == 200
    assert 'href="/dashboard/?endpoint=x&amp;_external=1&amp;_anchor=y&amp;map=growth#map"' in response.get_data(
        as_text=True)
