"""The exporter form's municipality: picked by name from a list of municipalities, or typed as its code."""

from sqlalchemy import select

from tests import factories
from tracker.extensions import db
from tracker.models import Exporter

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
    assert "Pick a municipality from the list, or give its 6-digit code." in refused.get_data(as_text=True)
    exporter_id = db.session.scalar(select(Exporter.id).where(Exporter.name == "coded"))
    edit = client.get(f"/exports/exporters/{exporter_id}/edit", headers=EN).get_data(as_text=True)
    assert 'value="Chiyoda, Tokyo (131016)"' in edit
    assert client.post(f"/exports/exporters/{exporter_id}/edit", data={"name": "coded", "area_code": "271004"},
                       headers=EN).status_code == 302
    db.session.rollback()
    assert db.session.get(Exporter, exporter_id).area_id == osaka.id
