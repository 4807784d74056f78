"""The exporter form's municipality and the product form's origin: picked by name from a list, or typed as a code;
a form refused for its input answers 422."""

from sqlalchemy import select

from tests import factories
from tracker.extensions import db
from tracker.models import Exporter, Product

EN = {"Accept-Language": "en"}


def _login(auth, user):
    db.session.commit()
    auth.login(user.email)


def test_the_exporter_form_picks_its_municipality_by_name_and_still_takes_a_typed_code(client, auth):
    chiyoda, osaka = factories.area("131016"), factories.area("271004")
    chiyoda.name_ja, chiyoda.name_en = "千代田区", "Chiyoda"
    _login(auth, factories.user("admin"))
    page = client.get("/exports/exporters/new", headers=EN).get_data(as_text=True)
    assert 'list="municipalities"' in page and '<datalist id="municipalities">' in page
    assert '<option value="Chiyoda, Tokyo (131016)">' in page and "(130001)" not in page  # municipalities only
    for typed, name in (("Chiyoda, Tokyo (131016)", "picked"), ("千代田区", "named"), ("１３１０１６", "coded")):
        response = client.post("/exports/exporters/new", data={"name": name, "area_code": typed}, headers=EN)
        assert response.status_code == 302, typed
    db.session.rollback()
    placed = dict(db.session.execute(select(Exporter.name, Exporter.area_id)).all())
    assert placed == {"picked": chiyoda.id, "named": chiyoda.id, "coded": chiyoda.id}
    refused = client.post("/exports/exporters/new", data={"name": "x", "area_code": "Tokyo (130001)"}, headers=EN)
    assert refused.status_code == 422
    assert "Pick a municipality from the list, or give its 6-digit code." in refused.get_data(as_text=True)
    exporter_id = db.session.scalar(select(Exporter.id).where(Exporter.name == "coded"))
    edit = client.get(f"/exports/exporters/{exporter_id}/edit", headers=EN).get_data(as_text=True)
    assert 'value="Chiyoda, Tokyo (131016)"' in edit
    assert client.post(f"/exports/exporters/{exporter_id}/edit", data={"name": "coded", "area_code": "271004"},
                       headers=EN).status_code == 302
    db.session.rollback()
    assert db.session.get(Exporter, exporter_id).area_id == osaka.id


def test_the_product_form_picks_its_origin_by_name_and_a_refused_product_answers_422(client, auth):
    chiyoda = factories.area("131016")
    chiyoda.name_ja, chiyoda.name_en = "千代田区", "Chiyoda"
    owner = factories.new_exporter(chiyoda)
    _login(auth, factories.user("exporter", exporter=owner))
    page = client.get(f"/exports/exporters/{owner.id}/products/new", headers=EN).get_data(as_text=True)
    assert 'list="areas"' in page and '<option value="Chiyoda, Tokyo (131016)">' in page
    picked = client.post(f"/exports/exporters/{owner.id}/products/new", headers=EN,
                         data={"name_ja": "煎茶", "origin_area_code": "Chiyoda, Tokyo (131016)", "default_unit": "kg"})
    assert picked.status_code == 302
    db.session.rollback()
    tea = db.session.scalar(select(Product).where(Product.name_ja == "煎茶"))
    assert tea.origin_area_id == chiyoda.id
    edit = client.get(f"/exports/products/{tea.id}/edit", headers=EN).get_data(as_text=True)
    assert 'value="Chiyoda, Tokyo (131016)"' in edit
    refused = client.post(f"/exports/exporters/{owner.id}/products/new", headers=EN,
                          data={"name_ja": "抹茶", "hs_code": "980000", "default_unit": "kg"})
    assert refused.status_code == 422 and "The HS chapter" in refused.get_data(as_text=True)
    unknown = client.post(f"/exports/exporters/{owner.id}/products/new", headers=EN,
                          data={"name_ja": "抹茶", "origin_area_code": "999999", "default_unit": "kg"})
    assert unknown.status_code == 422
    db.session.rollback()
    assert db.session.scalar(select(Product).where(Product.name_ja == "抹茶")) is None
