"""Status words: JNTO's terms (推計値 estimate, 暫定値 provisional, 確定値 final) on the screens, in the Japanese
template and downloads, and every word the screens show read back by the import."""

from __future__ import annotations

import io
import re
from contextlib import contextmanager

import pytest
from flask import current_app
from flask_babel import refresh
from sqlalchemy import select

from tests import factories
from tracker.extensions import db
from tracker.formatting import status_label, status_words
from tracker.models import VisitorCount
from tracker.visitors.importer import import_visitors

EN = {"Accept-Language": "en"}
JA = {"Accept-Language": "ja"}
HEADER = "area_code,year,month,market,visitors,status\r\n"


@pytest.fixture
def shibuya(app):
    area = factories.area("131130")
    db.session.commit()
    return area


@contextmanager
def request_in(language: str):
    """A request with that Accept-Language; Flask-Babel caches the locale in the shared app context's `g`."""
    with current_app.test_request_context(headers={"Accept-Language": language}):
        refresh()
        yield
    refresh()


def _import(*lines: str):
    content = (HEADER + "".join(line + "\r\n" for line in lines)).encode()
    return import_visitors(io.BytesIO(content), "statuses.csv", None)


def _statuses() -> list[str]:
    return list(db.session.scalars(select(VisitorCount.status).order_by(VisitorCount.month)))


def test_the_labels_are_jntos_terms_in_either_language_whatever_the_active_one(app):
    with request_in("en"):
        assert [status_label(s, "ja") for s in ("estimate", "provisional", "final")] == ["推計値", "暫定値", "確定値"]
        assert status_label("estimate") == "Estimate"
    with request_in("ja"):
        assert status_label("estimate") == "推計値"
        assert status_label("final", "en") == "Final"


@pytest.mark.parametrize(("word", "status"), [
    ("推計値", "estimate"), ("暫定値", "provisional"), ("確定値", "final"),  # the screens' Japanese labels
    ("estimate", "estimate"), ("Provisional", "provisional"), ("FINAL", "final"),  # codes and English labels
    ("推計", "estimate"), ("暫定", "provisional"), ("確定", "final"),  # accepted before
    ("速報", "estimate"), ("速報値", "estimate"),  # what the screens called an estimate before JNTO's terms
    ("　確定値　", "final"),  # typed with a Japanese input method's spaces
])
def test_every_label_the_screens_show_imports_as_its_status(shibuya, word, status):
    result = _import(f"131130,2015,4,CN,100,{word}")
    assert result.ok, result.errors
    assert _statuses() == [status]


def test_the_import_reads_the_labels_in_both_languages_whatever_the_language_of_the_request(app, shibuya):
    with request_in("en"):
        assert {word: status_words()[word] for word in ("推計値", "estimate")} == {"推計値": "estimate",
                                                                                 "estimate": "estimate"}
        result = _import("131130,2015,4,CN,100,暫定値", "131130,2015,5,CN,100,Estimate")
    assert result.ok, result.errors
    assert _statuses() == ["provisional", "estimate"]


def test_an_unknown_status_is_refused_naming_jntos_terms_in_japanese(app, shibuya):
    with request_in("ja"):
        result = _import("131130,2015,4,CN,100,未定")
    assert not result.ok
    assert result.errors[0].message == ("確定区分は推計値・暫定値・確定値（estimate・provisional・final）のいずれかです"
                                        "（未定 は無効です）。")


def test_the_grid_and_overview_show_jntos_terms(client, auth, shibuya):
    factories.visitor_count(shibuya, 2015, 4, "CN", 100, status="estimate")
    admin = factories.user("admin")
    db.session.commit()
    auth.login(admin.email)
    grid = client.get("/visitors/131130/2015-04", headers=JA).get_data(as_text=True)
    assert re.search(r"<option[^>]*value=\"estimate\"[^>]*>推計値</option>", grid)
    assert "速報値" not in grid
    overview = client.get("/visitors/?year=2015&area=130001", headers=JA).get_data(as_text=True)
    assert "推計値" in overview and "速報値" not in overview


def test_a_japanese_download_writes_jntos_terms_and_imports_back_unchanged(client, auth, shibuya):
    for month, status in ((4, "estimate"), (5, "provisional"), (6, "final")):
        factories.visitor_count(shibuya, 2015, month, "CN", 100 * month, status=status)
    admin = factories.user("admin")
    db.session.commit()
    auth.login(admin.email)
    download = client.get("/visitors/export.csv?areas=131130&lang=ja").get_data().decode("utf-8-sig")
    assert [line.rsplit(",", 1)[1] for line in download.splitlines()[1:]] == ["推計値", "暫定値", "確定値"]
    english = client.get("/visitors/export.csv?areas=131130").get_data().decode("utf-8-sig")
    assert [line.rsplit(",", 1)[1] for line in english.splitlines()[1:]] == ["estimate", "provisional", "final"]
    result = import_visitors(io.BytesIO(download.encode("cp932")), "ja.csv", None)
    assert result.ok, result.errors
    assert (result.created, result.updated, result.unchanged) == (0, 0, 3)


def test_the_japanese_template_writes_its_status_as_the_screens_do_and_imports(client, auth, shibuya):
    factories.area("011002")
    admin = factories.user("admin")
    db.session.commit()
    auth.login(admin.email)
    template = client.get("/visitors/template.csv?lang=ja").get_data().decode("utf-8-sig").splitlines()
    assert template[0].endswith(",確定区分") and template[1].endswith(",確定値")
    result = import_visitors(io.BytesIO("\r\n".join(template).encode()), "template.csv", None)
    assert result.ok, result.errors
    assert _statuses() == ["final"]
