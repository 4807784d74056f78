"""The reporting pages find a unit by the key people and URLs give: an area code as written anywhere else in the
tracker, an exporter's id in ASCII digits; any other key is a 404, never a crash."""

import pytest

from tests import factories
from tracker.extensions import db


@pytest.mark.parametrize("key", ["²", "999999", "13113", "abc"])
def test_an_exporter_key_that_names_no_exporter_is_a_404(client, auth, key):
    factories.user("admin", email="admin@example.jp")
    db.session.commit()
    auth.login("admin@example.jp")
    assert client.post(f"/reporting/exports/{key}/2015-04/submit").status_code == 404


def test_an_area_key_may_be_written_without_its_check_digit(client, auth):
    factories.area("131130")
    factories.user("admin", email="admin@example.jp")
    db.session.commit()
    auth.login("admin@example.jp")
    assert client.post("/reporting/visitors/99999/2015-04/submit").status_code == 404
    written = client.post("/reporting/visitors/13113/2015-04/submit", data={"next": "/done"})
    assert (written.status_code, written.headers["Location"]) == (302, "/done")
