"""User-given names reach plotly as text, and no aggregate singles out an exporter its reader may not see."""

import json
import re

import pytest
from sqlalchemy import select

from tests import factories
from tracker.auth.services import issue_token
from tracker.charts import Table
from tracker.charts.breakdowns import bars_figure, monthly_figure
from tracker.dashboard.privacy import withheld_export_groups
from tracker.extensions import db
from tracker.models import ExportRollup
from tracker.periods import Month
from tracker.rollups import refresh_export_rollups
from tracker.targets.scope import Scope

EN = {"Accept-Language": "en"}
LINK = '...<a href="https://evil.example/login">Please re-login</a> & more'


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(key)
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def test_a_name_with_markup_is_drawn_as_text_in_labels_legends_and_hover():
    bars = bars_figure(Table(("Product", "Value", "Share"), ((LINK, 10, 1.0),)), rest_label="Others")
    monthly = monthly_figure(Table(("Month", "Total", "Change", LINK), (("2024-01", 10, None, 10),)),
                             rest_label="Others")
    for figure in (bars, monthly):
        assert not any("<a" in text or "& " in text for text in _strings(figure))
    assert bars["data"][0]["y"] == ['...&lt;a href="https://evil.example/login">Please re-login&lt;/a> &amp; more']
    assert monthly["data"][0]["name"].startswith("...&lt;a href=")
    assert bars["data"][0]["hovertemplate"].endswith("<extra></extra>")  # the builders' own tags stay


def _figures(page):
    blocks = re.findall(r'<script type="application/json" class="chart-data" data-chart="chart-([a-z]+)"[^>]*>(.*?)'
                        r"</script>", page, re.S)
    return {key: json.loads(body) for key, body in blocks}


def test_a_product_renamed_to_a_link_is_no_link_on_the_target_page(client, auth):
    brewery = factories.new_exporter(factories.area("151009"))
    factories.export_sale(factories.product(brewery, name_ja=LINK), 2024, 1, "US", 9_000)
    target = factories.target(factories.area("151009"), metric="export_value", baseline_year=2023,
                              baseline_value=5_000, target_year=2030, target_value=50_000)
    admin = factories.user("admin")
    db.session.commit()
    auth.login(admin.email)
    page = client.get(f"/dashboard/targets/{target.id}", headers={"Accept-Language": "ja"})
    figures = _figures(page.get_data(as_text=True))
    assert "products" in figures
    texts = list(_strings(figures))
    assert not any("<a" in text for text in texts)
    assert any("&lt;a href" in text for text in texts)


@pytest.fixture
def two_exporters(app):
    """Two exporters in Niigata, one product each: each product's sum is one exporter's sales."""
    area = factories.area("151009")
    first, second = factories.new_exporter(area, name="蔵元A"), factories.new_exporter(area, name="蔵元B")
    sake, rice = factories.product(first, "清酒"), factories.product(second, "米菓", hs_code="190590")
    factories.export_sale(sake, 2024, 1, "US", 199_240_529)
    factories.export_sale(rice, 2024, 1, "US", 1_000)
    db.session.commit()
    return {"first": first, "second": second, "sake": sake, "rice": rice, "area": area}


def _api(client, user, query):
    token = issue_token(user)
    db.session.commit()
    return client.get(f"/api/v1/exports?{query}", headers={"Authorization": f"Bearer {token}"}).get_json()["rows"]


def test_a_viewer_gets_single_exporter_groups_merged_into_other(client, two_exporters):
    rows = _api(client, factories.user("viewer"), "group_by=product&from=2024-01")
    assert rows == [{"product": "other", "value_jpy": 199_241_529, "quantity": None}]
    by_month = _api(client, factories.user("viewer"), "area=151009&group_by=month")
    assert by_month == []  # two exporters, neither in the viewer's areas


def test_admins_overseers_and_the_exporter_itself_see_every_group(client, two_exporters):
    sake, rice = two_exporters["sake"].id, two_exporters["rice"].id
    expected = [{"product": sake, "value_jpy": 199_240_529, "quantity": None},
                {"product": rice, "value_jpy": 1_000, "quantity": None}]
    assert _api(client, factories.user("admin"), "group_by=product") == expected
    overseer = factories.user("viewer", areas=[factories.area("150002")])
    assert _api(client, overseer, "group_by=product") == expected
    own = factories.user("exporter", exporter=two_exporters["first"])
    assert _api(client, own, "group_by=product") == expected[:1]


def test_a_group_of_three_exporters_is_shown_to_every_reader(client, two_exporters):
    third = factories.new_exporter(factories.area("271004"), name="蔵元C")
    factories.export_sale(factories.product(third, "和牛"), 2024, 1, "US", 5)
    factories.export_sale(factories.product(third, "茶"), 2024, 1, "HK", 7)
    rows = _api(client, factories.user("viewer"), "group_by=destination")
    assert rows == [{"destination": "US", "value_jpy": 199_241_534, "quantity": None},
                    {"destination": "other", "value_jpy": 7, "quantity": None}]


def test_the_area_page_and_the_target_page_name_no_single_exporters_product(client, auth, two_exporters):
    third = factories.new_exporter(factories.area("151009"), name="蔵元C")
    factories.export_sale(factories.product(third, "和牛"), 2024, 1, "HK", 5)
    target = factories.target(two_exporters["area"], metric="export_value", baseline_year=2023,
                              baseline_value=5_000, target_year=2030, target_value=50_000)
    viewer = factories.user("viewer")
    db.session.commit()
    auth.login(viewer.email)
    area = client.get("/exports/areas/151009?year=2024", headers=EN).get_data(as_text=True)
    assert "199,241,534" in area  # three exporters: the area's total
    assert "清酒" not in area and "米菓" not in area and "199,240,529" not in area
    page = client.get(f"/dashboard/targets/{target.id}", headers=EN).get_data(as_text=True)
    products = _figures(page)["products"]["data"][0]
    assert products["y"] == ["Others"]
    csv = client.get(f"/dashboard/targets/{target.id}/products.csv", headers=EN).data.decode("utf-8-sig")
    assert "清酒" not in csv and "199240529" not in csv


def test_a_national_targets_breakdowns_read_the_exporters_behind_each_group_from_the_rollups(app):
    """Three exporters sold to Hong Kong in one month, one to the United States: the rollups count them, and only
    the United States (and each exporter's own products) is withheld from a viewer, also for a prefecture."""
    towns = [factories.area(code) for code in ("151009", "152021", "011002")]
    products = [factories.product(factories.new_exporter(town, name=f"蔵元{index}"), hs_code="220600")
                for index, town in enumerate(towns)]
    for product in products:
        factories.export_sale(product, 2024, 1, "HK", 1_000)
    factories.export_sale(products[0], 2024, 2, "US", 5_000)
    refresh_export_rollups([(2024, 1), (2024, 2)])
    viewer, nation = factories.user("viewer"), factories.area("JP")
    db.session.commit()
    hong_kong, united_states = factories.market("HK").id, factories.market("US").id
    counts = dict(db.session.execute(select(ExportRollup.destination_id, ExportRollup.exporters)
                                     .where(ExportRollup.area_id == nation.id, ExportRollup.month == 1)).all())
    assert counts == {hong_kong: 3}
    scope = Scope(metric="export_value", area_id=nation.id, area_level="nation", include_subareas=True)
    window = (Month(2023, 1), Month(2024, 12))
    assert withheld_export_groups(viewer, scope, "destination", *window) == {united_states}
    assert withheld_export_groups(viewer, scope, "hs", *window) == set()
    assert withheld_export_groups(viewer, scope, "product", *window) == {product.id for product in products}
    # the prefectures: Niigata has two exporters, Hokkaido one
    assert withheld_export_groups(viewer, scope, "area", *window) == {factories.area("150002").id,
                                                                       factories.area("010006").id}
    niigata = Scope(metric="export_value", area_id=factories.area("150002").id, area_level="prefecture",
                    include_subareas=True)
    assert withheld_export_groups(viewer, niigata, "destination", *window) == {hong_kong, united_states}
    assert withheld_export_groups(factories.user("admin"), scope, "destination", *window) == set()


def test_the_areas_below_a_target_measured_by_its_own_figures_still_withhold_single_exporters(app):
    """A national export target counted from its own figures (include_subareas=False) ranks the prefectures
    below it from their exporters' sales all the same: Hokkaido's one exporter stays withheld from a viewer."""
    sapporo = factories.product(factories.new_exporter(factories.area("011002"), name="蔵元S"), hs_code="220600")
    factories.export_sale(sapporo, 2024, 1, "HK", 1_000)
    refresh_export_rollups([(2024, 1)])
    viewer, nation = factories.user("viewer"), factories.area("JP")
    db.session.commit()
    own_figures = Scope(metric="export_value", area_id=nation.id, area_level="nation", include_subareas=False)
    window = (Month(2023, 1), Month(2024, 12))
    assert withheld_export_groups(viewer, own_figures, "area", *window) == {factories.area("010006").id}
