"""Static files served fast and cached for good: each file (plotly.js from the installed package among them) is
copied once under a name that carries a hash of its content, with gzip and brotli copies beside it, and WhiteNoise
serves that folder, choosing the compressed copy the browser accepts.

A changed file gets a new name, so every page links the new one and a browser may keep what it fetched forever.
The folder outlives the process: a server starting again on the same files compresses nothing (brotli at its best
takes seconds for plotly.js's 4.8 MB).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from collections.abc import Iterable, Mapping

import plotly
from flask import Flask, current_app, send_from_directory, url_for
from whitenoise import WhiteNoise
from whitenoise.compress import Compressor

PLOTLY_JS = os.path.join(os.path.dirname(plotly.__file__), "package_data", "plotly.min.js")
PLOTLY = "js/plotly.min.js"  # its name among the static files
# plotly.js of the same version with only the trace types the tracker draws (`make plotly-bundle`, MIT): 1.4 MB
# against 4.8, evaluated in about a third of the time. The full one stays for a figure with any other type.
PLOTLY_TRACKER = "vendor/plotly-tracker.min.js"
TRACKER_TRACES = frozenset({"scatter", "bar", "pie", "heatmap", "choropleth", "scattergeo"})
FAVICON = "favicon.ico"
FAVICON_MAX_AGE = 24 * 3600  # /favicon.ico has a fixed name, so a browser asks again now and then


def sources(static_folder: str) -> dict[str, str]:
    """Every static file by its name under /static/ (e.g. "css/app.css"), plotly.js included."""
    found = {}
    for directory, _subdirectories, files in os.walk(static_folder):
        for filename in files:
            path = os.path.join(directory, filename)
            found[os.path.relpath(path, static_folder).replace(os.sep, "/")] = path
    found[PLOTLY] = PLOTLY_JS
    return found


def hashed_name(name: str, content: bytes) -> str:
    """"css/app.css" -> "css/app.3f2a9c1b0d4e.css": the name changes when the content does."""
    stem, extension = os.path.splitext(name)
    return f"{stem}.{hashlib.sha256(content).hexdigest()[:12]}{extension}"


def build(files: Mapping[str, str], folder: str) -> dict[str, str]:
    """Copy each file (name -> path) into `folder` under its hashed name with its .gz and .br copies, unless a
    copy of the same content is there already; returns name -> hashed name.

    Each file is finished in a scratch folder and then moved in, so a server process starting beside this one
    never finds half a file."""
    os.makedirs(folder, exist_ok=True)
    compressor = Compressor(quiet=True)
    manifest = {}
    for name, path in sorted(files.items()):
        with open(path, "rb") as file:
            content = file.read()
        manifest[name] = hashed_name(name, content)
        target = os.path.join(folder, manifest[name])
        if os.path.exists(target):
            continue
        os.makedirs(os.path.dirname(target), exist_ok=True)
        scratch = tempfile.mkdtemp(prefix=".assets-", dir=os.path.dirname(os.path.abspath(folder)))
        try:
            copy = os.path.join(scratch, os.path.basename(target))
            with open(copy, "wb") as file:
                file.write(content)
            compressed = compressor.compress(copy) if compressor.should_compress(copy) else []
            for variant in compressed:  # the copies first: the plain file's presence means all are there
                os.replace(variant, target + variant[len(copy):])
            os.replace(copy, target)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
    return manifest


def register_assets(app: Flask) -> None:
    """Build the static folder's hashed copies and serve them at /static/ through WhiteNoise, cached for good."""
    folder = app.config["TRACKER_ASSET_DIR"]
    app.extensions["tracker_assets"] = build(sources(app.static_folder), folder)
    served = WhiteNoise(app.wsgi_app, max_age=WhiteNoise.FOREVER, allow_all_origins=False,
                        immutable_file_test=lambda path, url: True,
                        add_headers_function=_add_headers)
    served.add_files(folder, prefix=app.static_url_path.strip("/") + "/")
    app.wsgi_app = served
    app.add_url_rule("/favicon.ico", "favicon", favicon)


def _add_headers(headers, path: str, url: str) -> None:
    # WhiteNoise answers before Flask, so the app's after-request headers never reach these files
    headers["X-Content-Type-Options"] = "nosniff"


def asset_url(name: str) -> str:
    """The URL of a static file under its hashed name ("css/app.css" -> "/static/css/app.3f2a9c1b0d4e.css")."""
    return url_for("static", filename=current_app.extensions["tracker_assets"][name])


def plotly_url(figures: Iterable[Mapping | None]) -> str:
    """plotly.js for a page's figures: the tracker's bundle when it draws every trace of them, else the full one."""
    types = {trace.get("type", "scatter") for figure in figures if figure for trace in figure["data"]}
    return asset_url(PLOTLY_TRACKER if types <= TRACKER_TRACES else PLOTLY)


def favicon():
    """Browsers ask for /favicon.ico on every site whatever the page links."""
    response = send_from_directory(current_app.static_folder, FAVICON, max_age=FAVICON_MAX_AGE)
    response.cache_control.public = True
    return response
