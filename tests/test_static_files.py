"""Static files: hashed names, compressed copies chosen by Accept-Encoding, cached for good; plotly.js only where a
chart is drawn; a favicon."""

import gzip
import json
import re

import brotli
import pytest

from tests import factories
from tracker.assets import PLOTLY_JS, PLOTLY_TRACKER, TRACKER_TRACES, build, hashed_name, plotly_url
from tracker.extensions import db
from tracker.rollups import rebuild_visitor_rollups

EN = {"Accept-Language": "en"}
PLOTLY_SCRIPT = re.compile(r'<script src="(/static/vendor/plotly-tracker\.min\.[0-9a-f]{12}\.js)" defer>')
TRACKER_BANNER = b"plotly.js (tracker: scatter bar pie heatmap choropleth scattergeo - minified) v4.1.1"


def _login(auth, role="viewer"):
    user = factories.user(role)
    db.session.commit()
    auth.login(user.email)


@pytest.fixture
def charted_target(app):
    """A municipality's target: its page draws charts but no map (a prefecture or the nation adds one)."""
    town = factories.area("131016")
    for month in range(1, 13):
        factories.visitor_count(town, 2015, month, "CN", 164_784)
    rebuild_visitor_rollups()
    target = factories.target(town, name="Chiyoda by 2016")
    db.session.commit()
    return target


def _plotly_url(client, target) -> str:
    page = client.get(f"/dashboard/targets/{target.id}", headers=EN).get_data(as_text=True)
    return PLOTLY_SCRIPT.search(page).group(1)


@pytest.mark.parametrize(("accepted", "encoding", "decompress"), [
    ("gzip, deflate, br, zstd", "br", brotli.decompress),
    ("gzip, deflate", "gzip", gzip.decompress),
])
def test_plotly_js_is_sent_compressed_when_the_browser_accepts_it(client, auth, charted_target, accepted, encoding,
                                                                  decompress):
    _login(auth)
    response = client.get(_plotly_url(client, charted_target), headers={"Accept-Encoding": accepted})
    assert response.status_code == 200
    assert response.headers["Content-Encoding"] == encoding
    assert response.headers["Vary"] == "Accept-Encoding"
    assert response.mimetype == "text/javascript"
    assert int(response.headers["Content-Length"]) < 600_000  # of 1.5 MB
    assert TRACKER_BANNER in decompress(response.data)
    response.close()


def test_plotly_js_is_sent_plain_to_a_client_that_accepts_no_compression(client, auth, charted_target):
    _login(auth)
    response = client.get(_plotly_url(client, charted_target), headers={"Accept-Encoding": "identity"})
    assert "Content-Encoding" not in response.headers
    assert int(response.headers["Content-Length"]) > 1_400_000
    assert TRACKER_BANNER in response.data
    response.close()


def test_static_files_are_cached_for_good_under_names_that_change_with_their_content(client, auth, charted_target):
    _login(auth)
    page = client.get(f"/dashboard/targets/{charted_target.id}", headers=EN).get_data(as_text=True)
    urls = re.findall(r'(?:src|href)="(/static/[^"]+)"', page)
    assert {url.rsplit(".", 2)[0] for url in urls} >= {"/static/css/app", "/static/css/dashboard", "/static/favicon",
                                                      "/static/js/charts", "/static/vendor/plotly-tracker.min"}
    for url in urls:
        assert re.fullmatch(r"/static/[\w/.-]+\.[0-9a-f]{12}\.\w+", url)
        response = client.get(url, headers={"Accept-Encoding": "br"})
        assert response.status_code == 200, url
        assert response.cache_control.max_age >= 365 * 24 * 3600
        assert response.cache_control.public and response.cache_control.immutable
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        response.close()


def test_a_hashed_name_follows_the_content_and_a_rebuild_keeps_what_is_there(tmp_path):
    source = tmp_path / "app.css"
    source.write_text("body { color: red; }" * 50)
    folder = tmp_path / "built"
    first = build({"css/app.css": str(source)}, str(folder))
    assert first == {"css/app.css": hashed_name("css/app.css", source.read_bytes())}
    built = folder / first["css/app.css"]
    assert built.read_bytes() == source.read_bytes()
    assert gzip.decompress((folder / (first["css/app.css"] + ".gz")).read_bytes()) == source.read_bytes()
    assert brotli.decompress((folder / (first["css/app.css"] + ".br")).read_bytes()) == source.read_bytes()
    stamp = built.stat().st_mtime_ns
    assert build({"css/app.css": str(source)}, str(folder)) == first
    assert built.stat().st_mtime_ns == stamp  # nothing compressed again
    source.write_text("body { color: blue; }" * 50)
    second = build({"css/app.css": str(source)}, str(folder))
    assert second["css/app.css"] != first["css/app.css"]
    assert (folder / second["css/app.css"]).read_bytes() == source.read_bytes()


def test_pages_without_a_chart_do_not_load_plotly(client, auth, charted_target):
    """The dashboard is not among them: its map is a chart."""
    _login(auth, "admin")
    for url in ("/", "/visitors/", "/exports/", "/admin/users", "/reporting/completeness"):
        page = client.get(url, headers=EN, follow_redirects=True).get_data(as_text=True)
        assert "/static/css/app." in page, url
        assert "plotly" not in page, url


def test_a_target_page_with_a_chart_loads_plotly(client, auth, charted_target):
    _login(auth)
    assert _plotly_url(client, charted_target)


def test_every_page_links_its_icon_and_favicon_ico_answers(client, auth):
    login_page = client.get("/login", headers=EN).get_data(as_text=True)
    icon = re.search(r'<link rel="icon" href="(/static/favicon\.[0-9a-f]{12}\.svg)" type="image/svg\+xml">',
                     login_page).group(1)
    with client.get(icon) as response:
        assert response.data.startswith(b"<svg")
    _login(auth)
    assert f'<link rel="icon" href="{icon}"' in client.get("/", headers=EN).get_data(as_text=True)
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response.data[:4] == b"\x00\x00\x01\x00"  # the ICO header
    assert response.cache_control.public and response.cache_control.max_age == 24 * 3600
    response.close()


def test_pages_get_the_tracker_bundle_unless_a_figure_has_a_trace_type_it_lacks(app):
    every_kind = {"data": [{"type": kind} for kind in TRACKER_TRACES] + [{}]}
    with app.test_request_context():
        small, full = plotly_url([every_kind, None]), plotly_url([every_kind, {"data": [{"type": "sankey"}]}])
    assert small.startswith("/static/vendor/plotly-tracker.min.") and full.startswith("/static/js/plotly.min.")


def test_the_tracker_bundle_is_the_same_plotly_js_version_as_the_installed_package(app):
    banner = re.compile(rb"plotly\.js (?:\([^)]*\) )?v(\d+\.\d+\.\d+)")
    with open(PLOTLY_JS, "rb") as full:
        installed = banner.search(full.read(300)).group(1)
    with open(f"{app.static_folder}/{PLOTLY_TRACKER}", "rb") as small:
        assert banner.search(small.read(300)).group(1) == installed


def test_the_full_bundle_is_served_compressed_too(app, client):
    with app.test_request_context():
        url = plotly_url([{"data": [{"type": "sankey"}]}])
    response = client.get(url, headers={"Accept-Encoding": "br"})
    assert response.headers["Content-Encoding"] == "br" and response.cache_control.immutable
    assert b"window.Plotly = Plotly" in brotli.decompress(response.data)
    response.close()


def test_a_target_page_sends_its_figures_without_a_plotly_template(client, auth, charted_target):
    """plotly's default template (about 7 kB a figure, from plotly.py's Figure) would be sent with every chart."""
    _login(auth)
    page = client.get(f"/dashboard/targets/{charted_target.id}", headers=EN).get_data(as_text=True)
    figures = [json.loads(body) for body in re.findall(r'<script type="application/json" class="chart-data"[^>]*>'
                                                       r'(.*?)</script>', page, re.S)]
    assert len(figures) >= 3
    assert [figure["layout"].get("template") for figure in figures] == [None] * len(figures)
