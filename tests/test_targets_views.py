import re

from sqlalchemy import select

from tests import factories
from tracker.extensions import db
from tracker.models import Target

EN = {"Accept-Language": "en"}
JA = {"Accept-Language": "ja"}
FORM = {"name": "60 million by 2030", "metric": "visitors", "area": "JP", "year_basis": "calendar",
        "baseline_year": "2019", "baseline_value": "", "target_year": "2030", "target_value": "60000000",
        "product": "None", "market": "", "destination": ""}


def _admin(auth):
    admin = factories.user("admin")
    db.session.commit()
    auth.login(admin.email)


def test_an_admin_sets_a_target_whose_baseline_defaults_to_the_recorded_year(client, auth):
    for month in range(1, 13):
        factories.visitor_count(factories.area("JP"), 2019, month, "CN", 2_656_837)
    _admin(auth)
    response = client.post("/targets/new", data=FORM, headers=EN)
    assert response.status_code == 302
    target = db.session.scalar(select(Target))
    assert (target.name, target.baseline_value, target.target_value) == ("60 million by 2030", 31_882_044, 60_000_000)
    listing = client.get("/targets/", headers=EN).get_data(as_text=True)
    assert "60 million by 2030" in listing and "31,882,044" in listing


def test_the_form_shows_each_problem_beside_its_field_and_saves_nothing(client, auth):
    _admin(auth)
    data = {**FORM, "area": "99999X", "target_year": "2010", "market": "QQ"}
    page = client.post("/targets/new", data=data, headers=EN).get_data(as_text=True)
    assert "Not a local-government code: 99999X" in page
    assert "The target year must come after the baseline year." in page
    assert "Unknown country or region code: QQ" in page
    assert db.session.scalar(select(Target)) is None


def test_an_admin_edits_a_target(client, auth):
    target = factories.target(factories.area("JP"))
    _admin(auth)
    form = client.get(f"/targets/{target.id}", headers=EN).get_data(as_text=True)
    assert re.search(r'<input[^>]* id="area" [^>]*value="Japan \(JP\)"', form) and 'value="6218752"' in form
    data = {**FORM, "name": "18 million by 2016 (revised)", "baseline_year": "2011", "baseline_value": "6218752",
            "target_year": "2016", "target_value": "18000000", "market": "cn"}
    assert client.post(f"/targets/{target.id}", data=data).status_code == 302
    saved = db.session.get(Target, target.id)
    assert (saved.name, saved.market.code) == ("18 million by 2016 (revised)", "CN")


def test_only_admins_manage_targets(client, auth):
    target = factories.target(factories.area("JP"))
    viewer = factories.user("viewer")
    db.session.commit()
    auth.login(viewer.email)
    assert client.get("/targets/").status_code == 403
    assert client.post("/targets/new", data=FORM).status_code == 403
    assert client.post(f"/targets/{target.id}", data=FORM).status_code == 403
    assert db.session.scalar(select(Target.name)) == "Target"


def test_bad_numbers_are_explained_in_the_pages_language_once_per_field(client, auth):
    _admin(auth)
    data = {**FORM, "baseline_year": "", "baseline_value": "abc", "target_year": "1800", "target_value": "-1"}
    english = client.post("/targets/new", data=data, headers=EN).get_data(as_text=True)
    assert english.count("Give a year from 1900 to 2200.") == 2
    assert english.count("Give a whole number above zero.") == 2
    assert "Not a valid integer" not in english and "Number must be" not in english
    japanese = client.post("/targets/new", data=data, headers=JA).get_data(as_text=True)
    assert japanese.count("1900～2200の年を入力してください。") == 2
    assert japanese.count("0より大きい整数を入力してください。") == 2
    assert "無効な整数" not in japanese and "数値は" not in japanese


def test_a_target_year_before_the_baseline_is_refused_in_the_pages_language(client, auth):
    _admin(auth)
    data = {**FORM, "baseline_year": "2015", "baseline_value": "100", "target_year": "2015"}
    page = client.post("/targets/new", data=data, headers=JA).get_data(as_text=True)
    assert "目標年は基準年より後にしてください。" in page
    assert db.session.scalar(select(Target)) is None


def test_the_product_list_names_products_in_the_pages_language(client, auth):
    owner = factories.new_exporter(factories.area("131016"), name="酒蔵")
    sake = factories.product(owner, "清酒")
    _admin(auth)
    english = client.get("/targets/new", headers=EN).get_data(as_text=True)
    assert f'<option value="{sake.id}">酒蔵 — Sake</option>' in english
    japanese = client.get("/targets/new", headers=JA).get_data(as_text=True)
    assert f'<option value="{sake.id}">酒蔵 — 清酒</option>' in japanese


def test_target_and_baseline_values_are_read_with_commas_and_man_oku(client, auth):
    _admin(auth)
    data = {**FORM, "baseline_value": "3,188万", "target_value": "60,000,000"}
    assert client.post("/targets/new", data=data, headers=JA).status_code == 302
    db.session.rollback()
    target = db.session.scalar(select(Target))
    assert (target.baseline_value, target.target_value) == (31_880_000, 60_000_000)
    edited = {**FORM, "baseline_value": "31,880,000", "target_value": "0.6億"}
    assert client.post(f"/targets/{target.id}", data=edited, headers=JA).status_code == 302
    db.session.rollback()
    assert db.session.get(Target, target.id).target_value == 60_000_000


def test_the_value_fields_are_text_inputs_that_take_commas_in_the_browser(client, auth):
    _admin(auth)
    page = client.get("/targets/new", headers=EN).get_data(as_text=True)
    for name in ("baseline_value", "target_value"):
        assert re.search(rf'<input id="{name}" name="{name}"[^>]* type="text"', page)


def test_area_and_market_are_picked_by_name_from_lists_and_codes_still_work(client, auth):
    kyoto_city = factories.area("261009")
    kyoto_city.name_ja, kyoto_city.name_en = "京都市", "Kyoto City"
    _admin(auth)
    page = client.get("/targets/new", headers=JA).get_data(as_text=True)
    assert '<datalist id="areas">' in page and '<option value="京都府 京都市 (261009)">' in page
    assert '<option value="日本 (JP)">' in page and '<option value="中国 (CN)">' in page
    english = client.get("/targets/new", headers=EN).get_data(as_text=True)
    assert '<option value="Kyoto City, Kyoto Prefecture (261009)">' in english
    for area, market, code in (("京都市", "中国", "261009"), ("Kyoto City, Kyoto Prefecture (261009)", "China (CN)",
                                                               "261009"), ("130001", "cn", "130001")):
        assert client.post("/targets/new", data={**FORM, "area": area, "market": market, "baseline_value": "1"},
                           headers=JA).status_code == 302
        db.session.rollback()
        target = db.session.scalars(select(Target).order_by(Target.id.desc())).first()
        assert (target.area.code, target.market.code) == (code, "CN")
    edit = client.get(f"/targets/{target.id}", headers=JA).get_data(as_text=True)
    assert re.search(r'<input[^>]* id="market" [^>]*value="中国 \(CN\)"', edit)
