"""Each role's menu offers only the pages that role can use, and the pages agree."""

import re

import pytest

from tests import factories
from tracker.extensions import db

EN = {"Accept-Language": "en"}


def _menu(client) -> list[str]:
    page = client.get("/", headers=EN).get_data(as_text=True)
    nav = re.search(r'<nav class="main-nav"[^>]*>(.*?)</nav>', page, re.S).group(1)
    return re.findall(r">([^<]+)</a>", nav)


@pytest.mark.parametrize(("role", "menu"), [
    ("admin", ["Home", "Dashboard", "Visitors", "Targets", "Exports", "Exporters", "Imports", "Reporting", "Approvals",
               "Users", "Audit", "Outbox", "Affiliations", "Notes"]),
    ("officer", ["Home", "Dashboard", "Visitors", "Exports", "Exporters", "Imports", "Approvals", "Affiliations",
                 "Notes"]),
    ("exporter", ["Home", "Exports", "Imports", "Notes"]),
    ("viewer", ["Home", "Dashboard", "Visitors", "Exports", "Reporting", "Affiliations", "Notes"]),
])
def test_each_role_sees_only_the_menu_items_it_can_use(client, auth, role, menu):
    areas = [factories.area("130001")] if role == "officer" else []
    exporter = factories.new_exporter(factories.area("131016")) if role == "exporter" else None
    user = factories.user(role, areas=areas, exporter=exporter)
    db.session.commit()
    auth.login(user.email)
    assert _menu(client) == menu


def test_a_viewer_without_areas_has_no_exporter_list_and_one_with_areas_has(client, auth):
    factories.new_exporter(factories.area("131016"), name="東京茶舗")
    leader = factories.user("viewer", email="leader@example.jp")
    overseer = factories.user("viewer", email="overseer@example.jp", areas=[factories.area("130001")])
    db.session.commit()
    auth.login(leader.email)
    assert "Exporters" not in _menu(client)
    assert client.get("/exports/exporters").status_code == 403
    auth.logout()
    auth.login(overseer.email)
    assert "Exporters" in _menu(client)
    assert "東京茶舗" in client.get("/exports/exporters", headers=EN).get_data(as_text=True)


def test_a_viewer_cannot_open_the_entry_picker_nor_sees_a_way_to_it(client, auth):
    viewer = factories.user("viewer")
    db.session.commit()
    auth.login(viewer.email)
    assert client.get("/visitors/entry").status_code == 403
    overview = client.get("/visitors/", headers=EN).get_data(as_text=True)
    assert "/visitors/entry" not in overview and "Enter a month" not in overview
    assert "Export the year (CSV)" in overview


def test_an_officer_opens_the_entry_picker_from_the_overview(client, auth):
    officer = factories.user("officer", areas=[factories.area("130001")])
    db.session.commit()
    auth.login(officer.email)
    assert 'href="/visitors/entry">Enter a month' in client.get("/visitors/", headers=EN).get_data(as_text=True)
    assert client.get("/visitors/entry").status_code == 200
