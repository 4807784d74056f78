"""The month's sales form as people fill it: amounts in yen and 万/億 forms, lines left empty, destinations by name."""

from sqlalchemy import select

from tests import factories
from tracker.extensions import db
from tracker.models import ExportSale, Market

EN = {"Accept-Language": "en"}
JA = {"Accept-Language": "ja"}
URL = "/exports/exporters/{}/sales?month=2024-04"


def _owner_with_sake(auth):
    owner = factories.new_exporter(factories.area("131016"), name="酒蔵")
    sake = factories.product(owner, "清酒")
    user = factories.user("exporter", exporter=owner)
    db.session.commit()
    auth.login(user.email)
    return owner, sake


def _saved():
    db.session.rollback()
    return sorted(db.session.execute(select(Market.code, ExportSale.value_jpy).join(Market)
                                     .where(ExportSale.year == 2024)).all())


def test_values_written_with_yen_signs_and_man_oku_are_saved_as_yen(client, auth):
    owner, sake = _owner_with_sake(auth)
    data = {"rows-0-product": sake.id, "rows-0-destination": "HK", "rows-0-value_jpy": "¥1,200,000",
            "rows-1-product": sake.id, "rows-1-destination": "US", "rows-1-value_jpy": "１２０万円",
            "rows-2-product": sake.id, "rows-2-destination": "SG", "rows-2-value_jpy": "1.2億"}
    response = client.post(URL.format(owner.id), data=data, headers=JA)
    assert response.status_code == 302
    assert _saved() == [("HK", 1_200_000), ("SG", 120_000_000), ("US", 1_200_000)]


def test_an_empty_line_pre_filled_from_last_year_does_not_block_a_real_line_of_that_destination(client, auth):
    owner, sake = _owner_with_sake(auth)
    factories.export_sale(sake, 2023, 4, "TW", 300_000)
    db.session.commit()
    page = client.get(URL.format(owner.id), headers=EN).get_data(as_text=True)
    assert "¥300,000" in page  # last year's line is offered, empty
    data = {"rows-0-product": sake.id, "rows-0-destination": "TW", "rows-0-value_jpy": "",
            "rows-0-quantity": "", "rows-1-product": sake.id, "rows-1-destination": "TW",
            "rows-1-value_jpy": "50万", "rows-2-product": sake.id, "rows-2-destination": "nowhere",
            "rows-2-value_jpy": ""}
    response = client.post(URL.format(owner.id), data=data, headers=EN)
    assert response.status_code == 302, response.get_data(as_text=True)
    assert _saved() == [("TW", 500_000)]


def test_a_quantity_without_a_value_is_refused_rather_than_dropped(client, auth):
    owner, sake = _owner_with_sake(auth)
    data = {"rows-0-product": sake.id, "rows-0-destination": "HK", "rows-0-value_jpy": "",
            "rows-0-quantity": "30", "rows-0-unit": "kg"}
    page = client.post(URL.format(owner.id), data=data, headers=EN).get_data(as_text=True)
    assert "Give the value of this sale as well." in page
    assert _saved() == []


def test_a_destination_is_picked_by_name_in_the_pages_language_and_a_code_still_works(client, auth):
    owner, sake = _owner_with_sake(auth)
    page = client.get(URL.format(owner.id), headers=JA).get_data(as_text=True)
    assert '<datalist id="markets">' in page and '<option value="香港 (HK)">' in page
    assert 'list="markets"' in page
    english = client.get(URL.format(owner.id), headers=EN).get_data(as_text=True)
    assert '<option value="Hong Kong (HK)">' in english
    data = {"rows-0-product": sake.id, "rows-0-destination": "香港", "rows-0-value_jpy": "1",
            "rows-1-product": sake.id, "rows-1-destination": "台湾 (TW)", "rows-1-value_jpy": "2",
            "rows-2-product": sake.id, "rows-2-destination": "ｕｓ", "rows-2-value_jpy": "3",
            "rows-3-product": sake.id, "rows-3-destination": "Singapore", "rows-3-value_jpy": "4"}
    assert client.post(URL.format(owner.id), data=data, headers=JA).status_code == 302
    assert _saved() == [("HK", 1), ("SG", 4), ("TW", 2), ("US", 3)]


def test_an_unknown_destination_is_named_beside_its_line(client, auth):
    owner, sake = _owner_with_sake(auth)
    data = {"rows-0-product": sake.id, "rows-0-destination": "Atlantis", "rows-0-value_jpy": "1"}
    page = client.post(URL.format(owner.id), data=data, headers=EN).get_data(as_text=True)
    assert "Unknown destination: Atlantis. Pick one from the list, or give its code (e.g. HK)." in page
    assert _saved() == []
