"""PDFs of the print pages, made by Debian's Chromium through Playwright from the very HTML the print page shows.

Chromium prints the footer of every sheet (the date of the figures, page X of Y) from the page's footer
template. The headless page asks for nothing over the network: its document and its files (the stylesheet, charts.js,
plotly.js) are answered from memory and from disk by a route handler, and any other request is refused. The
charts in a PDF are therefore the page's own plotly figures, and Japanese text is embedded as text (IPA fonts).

One browser serves every PDF of the process, started on first use: launching Chromium costs seconds, a page in a
running browser about one (most of it plotly.js starting). Playwright's sync API belongs to the thread that started
it and cannot run inside an asyncio loop (as under pytest-playwright), so the browser lives in a thread of its own
and requests wait for their PDF there. A PDF is a function of its page's HTML (its files are versioned in their
URLs), so the last few are kept: the same report asked again, by the readers of one meeting, is printed once.
"""

from __future__ import annotations

import atexit
import hashlib
import logging
import os
import queue
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from urllib.parse import urlsplit

from werkzeug.security import safe_join

log = logging.getLogger(__name__)

DEFAULT_CHROMIUM = "/usr/bin/chromium"
# The flags the browser tests run Chromium with: no sandbox (root in a container), nothing fetched in the background.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
                 "--disable-default-apps", "--disable-extensions"]
# An A4 sheet at CSS's 96 pixels per inch: the print page lays its charts out for this width.
A4_VIEWPORT = {"width": 794, "height": 1123}
PAGE_TIMEOUT_MS = 30_000
# Where the headless page says it is: a name that never resolves (.invalid), whose requests the route handler
# answers; the report's own URL could hold characters the browser would write otherwise.
PAGE_URL = "http://report.invalid/"
WAIT_SECONDS = 60  # a request gives up on its PDF after this, the browser busy with others before it
KEPT = 16  # PDFs kept, the latest asked for
# Every chart of the page drawn (charts.js puts an <svg class="main-svg"> into each .chart), and the fonts loaded.
# A map (its figure's block names a topojson) draws its shapes only after plotly has loaded that file: its
# prefectures' paths must be there too.
CHARTS_DRAWN = ("() => document.fonts.status === 'loaded' && "
                "[...document.querySelectorAll('.chart')].every(chart => chart.querySelector('svg.main-svg')) && "
                "[...document.querySelectorAll('script.chart-data[data-topojson]')].every(block => "
                "document.getElementById(block.dataset.chart).querySelector('path.choroplethlocation'))")


class RendererUnavailable(Exception):
    """No PDF can be made here: Chromium is missing or does not start. The page says so with a 503."""


@dataclass(frozen=True)
class PrintPage:
    """A print page as the browser would load it: its HTML, and where its files (absolute paths in the HTML) are
    on disk; and the footer Chromium prints on each sheet (HTML with Chromium's `pageNumber` and `totalPages`
    placeholders)."""

    html: str
    footer: str
    static_url_path: str  # "/static"
    static_folder: str
    files: Mapping[str, str]  # other URL paths served from disk (plotly.js): path -> file

    def local_file(self, path: str) -> str | None:
        if path in self.files:
            return self.files[path]
        prefix = self.static_url_path.rstrip("/") + "/"
        if path.startswith(prefix):
            found = safe_join(self.static_folder, path[len(prefix):])
            return found if found is not None and os.path.isfile(found) else None
        return None


def chromium_path(config: Mapping) -> str:
    """The Chromium an app prints with: its TRACKER_CHROMIUM, else $CHROMIUM (as the browser tests), else Debian's."""
    return config.get("TRACKER_CHROMIUM") or os.environ.get("CHROMIUM", DEFAULT_CHROMIUM)


def can_render(config: Mapping) -> bool:
    """Whether PDFs can be made at all: without Chromium every PDF is a 503 that says so."""
    return os.access(chromium_path(config), os.X_OK)


def render_pdf(page: PrintPage, chromium: str = DEFAULT_CHROMIUM) -> bytes:
    """The page as an A4 PDF (the page's own @page rule sets size and margins)."""
    if not os.access(chromium, os.X_OK):
        raise RendererUnavailable(f"Chromium is not installed at {chromium}")
    key = hashlib.sha256((page.html + page.footer).encode("utf-8", "surrogatepass")).hexdigest()
    with _lock:
        if key in _kept:
            _kept.move_to_end(key)
            return _kept[key]
    pdf = _renderer(chromium).run(lambda browser: _print(browser, page))
    with _lock:
        _kept[key] = pdf
        while len(_kept) > KEPT:
            _kept.popitem(last=False)
    return pdf


def _print(browser, page: PrintPage) -> bytes:
    context = browser.new_context(viewport=A4_VIEWPORT)
    try:
        tab = context.new_page()
        tab.set_default_timeout(PAGE_TIMEOUT_MS)
        tab.route("**/*", lambda route: _answer(route, page))
        tab.goto(PAGE_URL, wait_until="load")
        tab.wait_for_function(CHARTS_DRAWN)
        return tab.pdf(prefer_css_page_size=True, print_background=True, tagged=True, display_header_footer=True,
                       header_template="<span></span>", footer_template=page.footer)
    finally:
        context.close()


def _answer(route, page: PrintPage) -> None:
    """The document from memory, its files from disk, nothing from anywhere else."""
    url = route.request.url
    if url == PAGE_URL:
        route.fulfill(status=200, body=page.html, content_type="text/html; charset=utf-8")
        return
    parts = urlsplit(url)
    found = page.local_file(parts.path) if parts.netloc == urlsplit(PAGE_URL).netloc else None
    if found is None:
        route.abort("blockedbyclient")
    else:
        route.fulfill(status=200, path=found)


class _Renderer:
    """A thread that owns one Playwright and one Chromium, running one job at a time."""

    def __init__(self, chromium: str):
        self.chromium = chromium
        self.jobs: queue.Queue = queue.Queue()
        self.thread = threading.Thread(target=self._serve, name="pdf-renderer", daemon=True)
        self.thread.start()

    def run(self, job: Callable) -> bytes:
        done: Future = Future()
        self.jobs.put((job, done))
        try:
            return done.result(timeout=WAIT_SECONDS)
        except FutureTimeout as error:
            raise RendererUnavailable("the PDF took too long") from error

    def close(self) -> None:
        self.jobs.put(None)
        self.thread.join(timeout=10)

    def _serve(self) -> None:
        playwright = browser = None
        while (item := self.jobs.get()) is not None:
            job, done = item
            if not done.set_running_or_notify_cancel():
                continue
            try:
                if browser is None or not browser.is_connected():
                    playwright, browser = self._launch(playwright)
                done.set_result(job(browser))
            except RendererUnavailable as error:
                done.set_exception(error)
            except Exception as error:  # noqa: BLE001  (any failure of the browser is the page's 503)
                log.exception("PDF rendering failed")
                done.set_exception(RendererUnavailable(str(error)))
        if browser is not None:
            browser.close()
        if playwright is not None:
            playwright.stop()

    def _launch(self, playwright):
        from playwright.sync_api import Error, sync_playwright

        try:
            playwright = playwright or sync_playwright().start()
            return playwright, playwright.chromium.launch(executable_path=self.chromium, args=CHROMIUM_ARGS)
        except Error as error:
            raise RendererUnavailable(f"Chromium did not start: {error}") from error


_renderers: dict[str, _Renderer] = {}
_kept: OrderedDict[str, bytes] = OrderedDict()  # sha-256 of a page's HTML -> its PDF
_lock = threading.Lock()


def _renderer(chromium: str) -> _Renderer:
    with _lock:
        if chromium not in _renderers:
            _renderers[chromium] = _Renderer(chromium)
        return _renderers[chromium]


@atexit.register
def _close_all() -> None:
    """Close the browsers before the interpreter goes: Chromium is a child process and would outlive it."""
    for renderer in list(_renderers.values()):
        renderer.close()
