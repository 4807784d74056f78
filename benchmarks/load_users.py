"""The locust users of `benchmarks.load`: readers of the dashboard and target pages, API clients with tokens,
officers saving the entry grid of one month, and a login loop. `benchmarks.load` starts locust on this file with
TRACKER_LOAD_PLAN naming a JSON file of the accounts, targets and grids to use.

A grid save is a success when the app redirects (saved); a refusal is a failure named for its kind. Each
officer changes only its own cells (its own area, or its own markets of a shared area), so a save refused as a
conflict is a "false conflict": nobody else changed the figures it saved.
"""

from __future__ import annotations

import itertools
import json
import os
import re
from html.parser import HTMLParser
from pathlib import Path

from locust import HttpUser, between, task

PLAN = json.loads(Path(os.environ["TRACKER_LOAD_PLAN"]).read_text(encoding="utf-8"))
CONFLICTED_MARKETS = re.compile(r'<div class="error conflicts".*?</div>', re.S)
MARKET_IN_ROW = re.compile(r"\(([A-Z]{2})\)</th>")


class FormFields(HTMLParser):
    """The named inputs of a page and the selected option of each select: what a browser would post back."""

    def __init__(self, html: str):
        super().__init__()
        self.values: dict[str, str] = {}
        self._select: str | None = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "input" and attributes.get("name") and attributes.get("type") != "submit":
            self.values[attributes["name"]] = attributes.get("value") or ""
        elif tag == "select":
            self._select = attributes.get("name")
        elif tag == "option" and self._select and "selected" in attributes:
            self.values[self._select] = attributes.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None


def outcome(response) -> str:
    """The status of an answer, or why there was none (status 0: the connection failed)."""
    if response.status_code == 0:
        return f"no answer: {type(response.error).__name__}: {str(response.error)[:80]}"
    return f"HTTP {response.status_code}"


def log_in(client, email: str, password: str) -> bool:
    """The login form as a browser fills it in, CSRF token included; True when the app let us in."""
    page = client.get("/login", name="login form")
    token = FormFields(page.text).values.get("csrf_token", "")
    with client.post("/login", data={"csrf_token": token, "email": email, "password": password},
                     name="login", allow_redirects=False, catch_response=True) as response:
        if response.status_code != 302:
            response.failure(f"login refused: {outcome(response)}")
            return False
        return True


def expect_200(client, url: str, name: str, **headers) -> None:
    """A read that must answer 200 itself (a redirect to the login page is a failure, not a page)."""
    with client.get(url, name=name, headers=headers, allow_redirects=False, catch_response=True) as response:
        if response.status_code != 200:
            response.failure(outcome(response))


class PageReader(HttpUser):
    """Leadership reading the dashboard and the target pages with a browser session."""

    weight = 4
    wait_time = between(1, 3)

    def on_start(self):
        log_in(self.client, PLAN["viewer"]["email"], PLAN["viewer"]["password"])

    @task(2)
    def dashboard(self):
        expect_200(self.client, "/dashboard/", "dashboard")

    @task(2)
    def target_page(self):
        for target_id in PLAN["targets"]:
            expect_200(self.client, f"/dashboard/targets/{target_id}", "target page")

    @task(1)
    def home(self):
        expect_200(self.client, "/", "home page")


TOKENS = itertools.cycle(PLAN["api_tokens"])


class ApiReader(HttpUser):
    """A system reading the API with its own bearer token, no session."""

    weight = 1
    wait_time = between(1, 3)

    def on_start(self):
        self.authorization = f"Bearer {next(TOKENS)}"

    @task(2)
    def progress(self):
        for target_id in PLAN["targets"]:
            expect_200(self.client, f"/api/v1/targets/{target_id}/progress", "API: target progress",
                       Authorization=self.authorization)

    @task(1)
    def visitors(self):
        year = PLAN["visitor_year"]
        expect_200(self.client, f"/api/v1/visitors?area={PLAN['prefecture']}&include_subareas=1&group_by=market"
                                f"&from={year}-01&to={year}-12", "API: visitors by market",
                   Authorization=self.authorization)

    @task(1)
    def exports(self):
        year = PLAN["export_year"]
        expect_200(self.client, f"/api/v1/exports?area={PLAN['prefecture']}&group_by=month&from={year}-01"
                                f"&to={year}-12", "API: exports by month", Authorization=self.authorization)


OFFICERS = iter(PLAN["officers"])


class Officer(HttpUser):
    """A tourism officer who re-reads the month's grid, changes its own figures and saves, again and again."""

    fixed_count = len(PLAN["officers"])
    wait_time = between(1, 2)

    def on_start(self):
        self.account = next(OFFICERS)
        self.url = f"/visitors/{self.account['area']}/{PLAN['month']}"
        log_in(self.client, self.account["email"], self.account["password"])

    @task
    def save_grid(self):
        page = self.client.get(self.url, name="grid form")
        if page.status_code != 200:
            return
        fields = FormFields(page.text).values
        # what a browser posts: the cells, their versions and the figures and status the page showed
        posted = {name: value for name, value in fields.items()
                  if name in ("csrf_token", "status") or name.startswith(("visitors-", "version-", "shown-"))}
        changed = _change_own_figures(posted, self.account["markets"])
        with self.client.post(self.url, data=posted, name="grid save", allow_redirects=False,
                              catch_response=True) as response:
            if response.status_code == 302:
                return
            response.failure(_refusal(response, changed))


def _change_own_figures(posted: dict[str, str], markets: list[str]) -> set[str]:
    """Move each own figure to its neighbour (even up, odd down), so it changes on every save and stays near
    last year's (never an outlier)."""
    changed = set()
    for market in markets:
        text = posted.get(f"visitors-{market}", "").replace(",", "")
        if text.isdigit():
            value = int(text)
            posted[f"visitors-{market}"] = str(value + 1 if value % 2 == 0 else value - 1)
            changed.add(market)
    return changed


def _refusal(response, changed: set[str]) -> str:
    """The kind of refusal, the same text for the same kind so that locust counts them together."""
    if response.status_code == 422:
        block = CONFLICTED_MARKETS.search(response.text)
        if block:
            conflicted = set(MARKET_IN_ROW.findall(block.group(0)))
            return "false conflict" if not conflicted & changed else "conflict on own figures"
        if 'class="warning outliers"' in response.text:
            return "refused as outliers"
        return "refused: invalid figures"
    return outcome(response)


class LoginLoop(HttpUser):
    """Someone logging in over and over in a fresh browser: the login form and the password check."""

    fixed_count = 1
    wait_time = between(2, 4)

    @task
    def login(self):
        self.client.cookies.clear()
        log_in(self.client, PLAN["viewer"]["email"], PLAN["viewer"]["password"])
