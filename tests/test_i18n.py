"""Japanese and English throughout: the catalog is complete and compiled, the language is chosen as promised,
and every page each role can reach reads in Japanese with Accept-Language ja and in English with en."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
from collections import deque
from html.parser import HTMLParser
from urllib.parse import urlsplit

import openpyxl
import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from sqlalchemy import select

from tests import factories
from tracker.extensions import db
from tracker.models import Target, User
from tracker.periods import current_month
from tracker.rollups import rebuild_export_rollups, rebuild_visitor_rollups

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CATALOG = os.path.join(ROOT, "tracker", "translations", "ja", "LC_MESSAGES", "messages.po")
COMPILED = os.path.join(ROOT, "tracker", "translations", "ja", "LC_MESSAGES", "messages.mo")
JA = {"Accept-Language": "ja"}
EN = {"Accept-Language": "en"}


def _catalog():
    with open(CATALOG, "rb") as file:
        return read_po(file)


def _first(message_id) -> str:
    return message_id[0] if isinstance(message_id, (tuple, list)) else message_id


def _translated(message) -> bool:
    strings = message.string if isinstance(message.string, (tuple, list)) else (message.string,)
    return bool(strings) and all(strings)


# The catalog's English source strings and their Japanese translations, for leak checks on rendered pages.
ENGLISH_SOURCES = {_first(m.id) for m in _catalog() if m.id and _first(m.id) != _first(m.string or ("",))}
JAPANESE_TRANSLATIONS = {_first(m.string) for m in _catalog() if m.id and _translated(m)} - ENGLISH_SOURCES


# -- the catalog -----------------------------------------------------------------------------------------------

def test_every_string_in_the_code_and_templates_is_translated_in_the_japanese_catalog(tmp_path):
    """Extracts as `make catalogs` does, into a temporary template, and compares it with the ja catalog."""
    template = tmp_path / "messages.pot"
    extraction = subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg", "-k", "_l",
         "-k", "lazy_gettext", "-o", str(template), "."],
        cwd=ROOT, capture_output=True, text=True, check=False)
    assert extraction.returncode == 0, extraction.stderr
    with open(template, "rb") as file:
        extracted = read_po(file)
    assert len(extracted) > 100  # the extraction really read the code and templates

    catalog = _catalog()
    problems = []
    for message in extracted:
        if not message.id:
            continue
        entry = catalog.get(message.id)
        where = ", ".join(f"{path}:{line}" for path, line in message.locations[:2])
        if entry is None:
            problems.append(f"missing: {_first(message.id)!r} ({where})")
        elif entry.fuzzy:
            problems.append(f"fuzzy: {_first(message.id)!r} ({where})")
        elif not _translated(entry):
            problems.append(f"empty: {_first(message.id)!r} ({where})")
        elif isinstance(message.id, (tuple, list)) != isinstance(entry.id, (tuple, list)):
            problems.append(f"plural form differs: {_first(message.id)!r} ({where})")
    assert not problems, "run `make catalogs` and translate:\n" + "\n".join(problems)


def test_no_catalog_entry_is_fuzzy_empty_or_has_wrong_placeholders():
    catalog = _catalog()
    assert catalog.locale.language == "ja"
    assert catalog.plural_forms == "nplurals=1; plural=0;"
    problems = [f"fuzzy: {_first(m.id)!r}" for m in catalog if m.id and m.fuzzy]
    problems += [f"empty: {_first(m.id)!r}" for m in catalog if m.id and not _translated(m)]
    problems += [f"{_first(m.id)!r}: {error}" for m, errors in catalog.check() for error in errors]
    assert not problems, "\n".join(problems)


def test_the_compiled_catalog_matches_the_japanese_catalog():
    assert os.path.exists(COMPILED), "the .mo file is missing: run `make translations`"
    with open(COMPILED, "rb") as file:
        compiled = {_as_tuple(m.id): _as_tuple(m.string) for m in read_mo(file) if m.id}
    expected = {_as_tuple(m.id): _as_tuple(m.string) for m in _catalog() if m.id and not m.fuzzy and _translated(m)}
    stale = sorted(key[0] for key in expected.keys() ^ compiled.keys())
    stale += sorted(key[0] for key in expected.keys() & compiled.keys() if expected[key] != compiled[key])
    assert not stale, "the .mo file is stale: run `make translations`:\n" + "\n".join(stale[:20])


def _as_tuple(value) -> tuple:
    return tuple(value) if isinstance(value, (tuple, list)) else (value,)


def test_plural_messages_read_naturally_in_both_languages(app):
    from flask_babel import ngettext, refresh

    with app.test_request_context(headers=EN):
        refresh()
        assert ngettext("%(num)d month", "%(num)d months", 1) == "1 month"
        assert ngettext("%(num)d month", "%(num)d months", 7) == "7 months"
    with app.test_request_context(headers=JA):
        refresh()
        assert ngettext("%(num)d month", "%(num)d months", 1) == "1か月"
        assert ngettext("%(num)d month", "%(num)d months", 7) == "7か月"
    refresh()


# -- choosing the language ------------------------------------------------------------------------------------

def _html_lang(response) -> str:
    if response.mimetype != "text/html":
        return ""
    match = re.search(r'<html lang="(\w+)">', response.get_data(as_text=True))
    return match.group(1) if match else ""


@pytest.mark.parametrize(("accept", "language"), [
    (None, "ja"),
    ("ja", "ja"),
    ("ja-JP,ja;q=0.9,en-US;q=0.8", "ja"),
    ("en", "en"),
    ("en-GB,en;q=0.9,ja;q=0.5", "en"),
    ("fr-FR,de;q=0.8", "ja"),
])
def test_without_a_saved_choice_the_browser_decides_else_japanese(client, accept, language):
    headers = {"Accept-Language": accept} if accept else {}
    page = client.get("/login", headers=headers)
    assert _html_lang(page) == language
    assert ("ログイン" if language == "ja" else "Log in") in page.get_data(as_text=True)


def test_the_default_language_is_a_setting(app_config, database_url):
    from tracker import create_app

    english_first = create_app({**app_config, "BABEL_DEFAULT_LOCALE": "en"})
    with english_first.test_client() as other:
        assert _html_lang(other.get("/login", headers={"Accept-Language": "fr"})) == "en"


def test_the_switcher_offers_the_other_language_and_keeps_the_page(client):
    page = client.get("/login?next=/targets/", headers=JA).get_data(as_text=True)
    assert 'action="/language/en"' in page
    assert '<button type="submit" class="link-button" lang="en">English</button>' in page
    switched = client.post("/language/en", data={"next": "/login?next=/targets/"}, headers=JA)
    assert switched.status_code == 302
    assert switched.headers["Location"] == "/login?next=/targets/"
    english = client.get("/login", headers=JA)
    assert _html_lang(english) == "en"  # the choice in the session beats the browser
    assert 'action="/language/ja"' in english.get_data(as_text=True)
    assert ">日本語</button>" in english.get_data(as_text=True)


def test_the_switcher_ignores_unknown_languages_and_foreign_redirects(client):
    assert client.post("/language/fr", data={"next": "/login"}, headers=JA).headers["Location"] == "/login"
    assert _html_lang(client.get("/login", headers=JA)) == "ja"
    assert client.post("/language/en", data={"next": "//evil.example/"}).headers["Location"] == "/"
    assert client.post("/language/en", data={"next": "https://evil.example/"}).headers["Location"] == "/"


def test_the_accounts_saved_language_beats_the_browser_and_the_switcher_saves_it(app, client, auth):
    user = factories.user("viewer", language="en")
    db.session.commit()
    auth.login(user.email)
    assert _html_lang(client.get("/", headers=JA)) == "en"

    client.post("/language/ja", data={"next": "/"}, headers=EN)
    db.session.expire_all()
    assert db.session.scalar(select(User.language).where(User.id == user.id)) == "ja"

    fresh = app.test_client()  # another browser: no session, an English browser, the same account
    fresh.post("/login", data={"email": user.email, "password": factories.PASSWORD})
    home = fresh.get("/", headers=EN)
    assert _html_lang(home) == "ja"
    assert "ホーム" in home.get_data(as_text=True)


def test_flash_messages_and_validation_errors_come_in_the_users_language(client, auth):
    user = factories.user("viewer")
    db.session.commit()
    failed = client.post("/login", data={"email": user.email, "password": "wrong-password"}, headers=JA)
    assert "メールアドレスまたはパスワードが正しくありません。" in failed.get_data(as_text=True)
    required = client.post("/login", data={"email": "", "password": ""}, headers=JA).get_data(as_text=True)
    assert "このフィールドは必須です。" in required  # WTForms' own messages, from its Japanese catalog
    english = client.post("/login", data={"email": "", "password": ""}, headers=EN).get_data(as_text=True)
    assert "This field is required." in english
    asked = client.get("/targets/", headers=JA, follow_redirects=True).get_data(as_text=True)
    assert "このページを表示するにはログインしてください。" in asked
    welcomed = client.post("/login", data={"email": user.email, "password": factories.PASSWORD}, headers=JA,
                           follow_redirects=True).get_data(as_text=True)
    assert f"{user.name} としてログインしました。" in welcomed


def test_error_pages_are_translated(client):
    assert "ページが見つかりません" in client.get("/no-such-page", headers=JA).get_data(as_text=True)
    assert "Not found" in client.get("/no-such-page", headers=EN).get_data(as_text=True)
    assert "許可されていない操作です" in client.put("/login", headers=JA).get_data(as_text=True)


# -- every page, every role, both languages ---------------------------------------------------------------------

ROLES = ("admin", "officer", "exporter", "viewer")
NOT_PAGES = ("/static/", "/api/", "/favicon.ico", "/healthz")
PAGES_PER_ENDPOINT = 6
SHOWN_ATTRIBUTES = ("title", "aria-label", "placeholder", "alt")


@pytest.fixture
def world(app):
    """A little of everything, so that each page has something to show: figures, targets, exporters."""
    nation, tokyo = factories.area("JP"), factories.area("130001")
    shinjuku = factories.area("131041")
    shinjuku.name_ja, shinjuku.name_kana, shinjuku.name_en = "新宿区", "しんじゅくく", "Shinjuku"
    this_month = current_month()
    months = [this_month.shift(-back) for back in range(1, 25)]
    for month in months:
        for where, scale in ((nation, 1_000), (shinjuku, 1)):
            factories.visitor_count(where, month.year, month.month, "KR", 700 * scale, status="final")
            factories.visitor_count(where, month.year, month.month, "HK", 300 * scale + month.month,
                                    status="provisional")
    exporter = factories.new_exporter(shinjuku, name="新宿酒造")
    sake = factories.product(exporter, name_ja="純米酒")
    for month in months[::3]:
        factories.export_sale(sake, month.year, month.month, "HK", 1_000_000 + month.index)
        factories.export_sale(sake, month.year, month.month, "US", 500_000 + month.month)
    rebuild_visitor_rollups()
    rebuild_export_rollups()
    first, last = this_month.year - 2, this_month.year + 1
    factories.target(nation, name="訪日客1,800万人", baseline_year=first, baseline_value=12_000_000, target_year=last,
                     target_value=18_000_000)
    factories.target(tokyo, name="輸出額3倍", metric="export_value", baseline_year=first, baseline_value=10_000_000,
                     target_year=last, target_value=30_000_000, include_subareas=True, year_basis="fiscal")
    users = {
        "admin": factories.user("admin"),
        "officer": factories.user("officer", areas=[tokyo]),
        "exporter": factories.user("exporter", exporter=exporter),
        "viewer": factories.user("viewer"),
    }
    for role, user in users.items():
        user.name = f"{role}担当"  # data in Japanese, so that English words on a Japanese page are the app's own
    db.session.commit()
    return users


class PageText(HTMLParser):
    """What a reader sees: text, the title-like attributes, button labels and the charts' JSON strings;
    elements that carry their own lang attribute (the switcher's "English" / "日本語") are left out."""

    def __init__(self):
        super().__init__()
        self.texts: list[str] = []
        self.prose: list[str] = []  # what the templates wrote: text and attributes, not the charts' data
        self.links: list[str] = []
        self.headings: list[str] = []
        self._skip_until: str | None = None
        self._script: str | None = None
        self._heading = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "a" and attributes.get("href"):
            self.links.append(attributes["href"])
        if self._skip_until:
            return
        if tag != "html" and "lang" in attributes:
            self._skip_until = tag
            return
        self._script = attributes.get("type", "text/javascript") if tag in ("script", "style") else None
        self._heading = tag in ("h1", "title") or self._heading
        shown = [attributes[name] for name in SHOWN_ATTRIBUTES if attributes.get(name)]
        if tag == "input" and attributes.get("type") in ("submit", "button") and attributes.get("value"):
            shown.append(attributes["value"])
        self.texts += shown
        self.prose += shown

    def handle_endtag(self, tag):
        if self._skip_until == tag:
            self._skip_until = None
        if tag in ("h1", "title"):
            self._heading = False
        if tag in ("script", "style"):
            self._script = None

    def handle_data(self, data):
        if self._skip_until:
            return
        if self._script == "application/json":
            self.texts += list(_strings_in(json.loads(data)))
        elif self._script is None and data.strip():
            self.texts.append(data)
            self.prose.append(data)
            if self._heading:
                self.headings.append(data.strip())


def _strings_in(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings_in(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings_in(item)


def _cells_of_first_row(response) -> list[str]:
    if response.mimetype == "text/csv":
        return next(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))), [])
    workbook = openpyxl.load_workbook(io.BytesIO(response.get_data()), read_only=True)
    try:
        row = next(workbook.worksheets[0].iter_rows(max_row=1, values_only=True), ())
        return [str(cell) for cell in row if cell is not None]
    finally:
        workbook.close()


def _read(response) -> PageText:
    text = PageText()
    if response.mimetype == "text/html":
        text.feed(response.get_data(as_text=True))
        text.close()
    else:
        text.texts = _cells_of_first_row(response)
    return text


def _leaks(texts: list[str], sources: set[str]) -> list[str]:
    """Whole texts that are a catalog string of the other language, and sentences of it inside longer texts."""
    found = {text.strip() for text in texts if text.strip() in sources}
    sentences = [s for s in sources if s.count(" ") >= 3 and "%" not in s]
    joined = "\n".join(texts)
    found |= {sentence for sentence in sentences if sentence in joined}
    return sorted(found)


# Two or more English words in a row ("Save the month"): in a Japanese page, a string nobody marked for translation.
ENGLISH_WORDS = re.compile(r"\b[A-Za-z][a-z]+(?: [A-Za-z]?[a-z]+)+\b")


def _unmarked_english(page: PageText) -> list[str]:
    return sorted({match.group(0) for text in page.prose for match in ENGLISH_WORDS.finditer(text)})


def _crawl(app, client) -> list[str]:
    """Every page the signed-in user can reach: the argument-less GET routes, then every link they lead to."""
    adapter = app.url_map.bind("localhost")
    start = [rule.rule for rule in app.url_map.iter_rules()
             if "GET" in rule.methods and not rule.arguments and not rule.rule.startswith(NOT_PAGES)]
    queue, seen, per_endpoint, pages = deque(sorted(start)), set(), {}, []
    while queue:
        url = queue.popleft()
        parts = urlsplit(url)
        if url in seen or parts.netloc or not parts.path.startswith("/") or parts.path.startswith(NOT_PAGES):
            continue
        if parts.path.endswith(".pdf"):
            continue  # a report's PDF: its words are read back in both languages in tests/test_reports.py
        seen.add(url)
        try:
            endpoint, _arguments = adapter.match(parts.path, method="GET")
        except Exception:  # noqa: BLE001  (a link to a POST-only or unknown URL is not a page to visit)
            continue
        if per_endpoint.get(endpoint, 0) >= PAGES_PER_ENDPOINT:
            continue
        status, _mimetype, _lang, text = _fetch(client, url, JA)
        if status in (301, 302, 303) and text.links:
            queue.extend(text.links)  # e.g. /exports/ leads an exporter to its own page
        if status != 200:
            continue
        per_endpoint[endpoint] = per_endpoint.get(endpoint, 0) + 1
        pages.append(url)
        queue.extend(link.split("#")[0] for link in text.links if link.split("#")[0])
    return pages


def _fetch(client, url: str, headers: dict) -> tuple[int, str, str, PageText]:
    """Read each response whole and close it before the next: streamed downloads hold a request context."""
    response = client.get(url, headers=headers)
    try:
        if response.status_code in (301, 302, 303):
            redirected = PageText()
            redirected.links = [response.headers["Location"]]
            return response.status_code, response.mimetype, "", redirected
        return response.status_code, response.mimetype, _html_lang(response), _read(response)
    finally:
        response.close()


@pytest.mark.parametrize("role", ROLES)
def test_every_page_a_role_reaches_is_japanese_with_ja_and_english_with_en(app, client, auth, world, role):
    auth.login(world[role].email)
    pages = _crawl(app, client)
    assert "/" in pages and "/account" in pages
    problems = []
    for url in pages:
        _status, mimetype, ja_lang, ja_text = _fetch(client, url, JA)
        en_status, _mimetype, en_lang, en_text = _fetch(client, url, EN)
        assert en_status == 200, url
        if mimetype == "text/html":
            if (ja_lang, en_lang) != ("ja", "en"):
                problems.append(f"{url}: html lang is {ja_lang} / {en_lang}")
            if ja_text.headings == en_text.headings:
                problems.append(f"{url}: the same headings in both languages: {ja_text.headings}")
        problems += [f"{url}: English in the Japanese page: {leak!r}"
                     for leak in _leaks(ja_text.texts, ENGLISH_SOURCES)]
        problems += [f"{url}: unmarked English in the Japanese page: {words!r}" for words in _unmarked_english(ja_text)]
        if "lang=" not in url:  # a download that names its language keeps it
            problems += [f"{url}: Japanese in the English page: {leak!r}"
                         for leak in _leaks(en_text.texts, JAPANESE_TRANSLATIONS)]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("role", ROLES)
def test_the_navigation_is_labelled_in_each_language(client, auth, world, role):
    auth.login(world[role].email)
    japanese = client.get("/", headers=JA).get_data(as_text=True)
    english = client.get("/", headers=EN).get_data(as_text=True)
    assert '<a href="/" aria-current="page">ホーム</a>' in japanese
    assert '<a href="/" aria-current="page">Home</a>' in english
    assert ">ログアウト</button>" in japanese and ">Log out</button>" in english
    role_names = {"admin": ("管理者", "Administrator"), "officer": ("観光担当者", "Tourism officer"),
                  "exporter": ("輸出事業者", "Exporter"), "viewer": ("閲覧者", "Viewer")}[role]
    assert f"({role_names[0]})" in japanese and f"({role_names[1]})" in english
    if role != "exporter":
        assert '<a href="/dashboard/">ダッシュボード</a>' in japanese
        assert '<a href="/dashboard/">Dashboard</a>' in english


def _chart_strings(page: str) -> set[str]:
    scripts = re.findall(r'<script type="application/json"[^>]*>(.*?)</script>', page, re.S)
    return {text for script in scripts for text in _strings_in(json.loads(script))}


def test_the_dashboard_writes_numbers_periods_and_markets_in_each_language(client, auth, world):
    auth.login(world["viewer"].email)
    cards = client.get("/dashboard/", headers=JA).get_data(as_text=True)
    assert "訪日外国人旅行者数 · 日本" in cards and "輸出額 · 東京都" in cards
    year = current_month().year
    assert f"{year - 2}年 → {year + 1}年" in cards
    assert '<span title="18,000,000">1,800万人</span>' in cards
    assert f"{year - 2}年度 → {year + 1}年度" in cards
    english_cards = client.get("/dashboard/", headers=EN).get_data(as_text=True)
    assert "Foreign visitors · Japan" in english_cards and "Export value · Tokyo" in english_cards
    assert f"{year - 2} → {year + 1}" in english_cards and f"FY{year - 2} → FY{year + 1}" in english_cards
    assert '<span title="18,000,000">18.0 M</span>' in english_cards
    target_id = db.session.scalar(select(Target.id).where(Target.name == "訪日客1,800万人"))
    japanese = _chart_strings(client.get(f"/dashboard/targets/{target_id}", headers=JA).get_data(as_text=True))
    english = _chart_strings(client.get(f"/dashboard/targets/{target_id}", headers=EN).get_data(as_text=True))
    assert {"韓国", "香港", "実績"} <= japanese
    assert {"South Korea", "Hong Kong", "Actual"} <= english
    assert not {"South Korea", "Hong Kong", "Actual"} & japanese
