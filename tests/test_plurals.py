"""English counts agree with their nouns: "1 municipality", "the file has 1 error", "1 figure changed"."""

import io

from tests import factories
from tracker.extensions import db

EN = {"Accept-Language": "en"}


def _login(auth, user):
    db.session.commit()
    auth.login(user.email)


def test_the_home_page_counts_one_municipality_and_one_exporter_in_the_singular(client, auth):
    shibuya = factories.area("131130")
    factories.new_exporter(shibuya)
    _login(auth, factories.user("viewer"))
    page = client.get("/", headers=EN).get_data(as_text=True)
    assert "<strong>1</strong> municipality" in page and "<strong>1</strong> exporter<" in page
    assert "municipalities" not in page.split('<ul class="stats">')[1].split("</li>")[0]


def test_the_home_page_counts_several_in_the_plural(client, auth):
    tokyo = factories.area("131130")
    factories.area("131016")
    factories.new_exporter(tokyo)
    factories.new_exporter(tokyo)
    _login(auth, factories.user("viewer"))
    page = client.get("/", headers=EN).get_data(as_text=True)
    assert "<strong>2</strong> municipalities" in page and "<strong>2</strong> exporters" in page


def test_a_file_with_one_error_says_one_error(client, auth):
    shibuya = factories.area("131130")
    _login(auth, factories.user("officer", areas=[shibuya]))
    content = b"area_code,year,month,market,visitors\n131130,2015,4,CN,x\n"
    page = client.post("/visitors/import", data={"file": (io.BytesIO(content), "v.csv")}, headers=EN,
                       follow_redirects=True).get_data(as_text=True)
    assert "the file has 1 error." in page


def test_saving_one_figure_says_one_figure(client, auth):
    shibuya = factories.area("131130")
    _login(auth, factories.user("officer", areas=[shibuya]))
    page = client.post("/visitors/131130/2015-04", data={"visitors-CN": "1200", "status": "final"}, headers=EN,
                       follow_redirects=True).get_data(as_text=True)
    assert "Saved: 1 figure changed." in page


def test_japanese_counts_read_the_same_whatever_the_number(client, auth):
    shibuya = factories.area("131130")
    factories.new_exporter(shibuya)
    _login(auth, factories.user("viewer"))
    page = client.get("/", headers={"Accept-Language": "ja"}).get_data(as_text=True)
    assert "<strong>1</strong> 市区町村" in page and "<strong>1</strong> 輸出事業者" in page
