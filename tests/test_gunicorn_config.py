"""gunicorn.conf.py: sane values sized to the machine, and a real gunicorn serving the app and stopping cleanly."""

from __future__ import annotations

import http.client
import json
import os
import runpy
import signal
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from gunicorn.config import Config

from tests import factories
from tracker.auth.services import issue_token
from tracker.extensions import db

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "gunicorn.conf.py"
OVERRIDES = ("GUNICORN_BIND", "GUNICORN_WORKERS", "GUNICORN_THREADS", "GUNICORN_TIMEOUT", "GUNICORN_GRACEFUL_TIMEOUT",
             "GUNICORN_KEEPALIVE")


def _settings(monkeypatch, **environment) -> dict:
    for name in OVERRIDES:
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    return {name: value for name, value in runpy.run_path(str(CONFIG)).items()
            if not name.startswith("_") and not callable(value) and not isinstance(value, type(os))}


def test_the_defaults_run_threaded_workers_sized_to_the_cpus(monkeypatch):
    settings = _settings(monkeypatch)
    cpus = len(os.sched_getaffinity(0))
    assert settings["worker_class"] == "gthread"
    assert settings["workers"] == 2 * cpus + 1
    assert 2 <= settings["threads"] <= 8
    assert settings["bind"] == "127.0.0.1:8000"
    assert settings["accesslog"] == "-"
    assert 10 <= settings["graceful_timeout"] <= 60 and settings["timeout"] >= 10
    assert settings["keepalive"] > 60  # longer than nginx keeps idle upstream connections


def test_every_setting_is_one_gunicorn_knows_and_accepts(monkeypatch):
    """gunicorn silently ignores unknown names in a config file, so a misspelt setting would never apply."""
    config = Config()
    for name, value in _settings(monkeypatch).items():
        assert name in config.settings, name
        config.set(name, value)
    assert config.worker_class_str == "gthread"


def test_the_environment_overrides_each_setting(monkeypatch):
    settings = _settings(monkeypatch, GUNICORN_BIND="0.0.0.0:9000", GUNICORN_WORKERS="3", GUNICORN_THREADS="6",
                         GUNICORN_TIMEOUT="45", GUNICORN_GRACEFUL_TIMEOUT="20", GUNICORN_KEEPALIVE="5")
    assert (settings["bind"], settings["workers"], settings["threads"]) == ("0.0.0.0:9000", 3, 6)
    assert (settings["timeout"], settings["graceful_timeout"], settings["keepalive"]) == (45, 20, 5)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _request(port: int, method: str, path: str, body: bytes | None = None) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        connection.request(method, path, body=body,
                           headers={"Content-Type": "application/x-www-form-urlencoded"} if body else {})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def _wait_for_health(port: int, server: subprocess.Popen, seconds: float) -> tuple[int, bytes]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"gunicorn exited with {server.returncode}: {server.stderr.read().decode()}")
        try:
            return _request(port, "GET", "/healthz")
        except OSError:
            time.sleep(0.1)
    pytest.fail("gunicorn did not answer /healthz in time")


@pytest.fixture
def start_gunicorn(database_url):
    """Start a real gunicorn with the repository's config on a free local port, on the test database, with its
    upload limit set to 1 MB; every server started is killed at the end of the test."""
    servers = []

    def start(**settings) -> tuple[int, subprocess.Popen]:
        port = _free_port()
        environment = {key: value for key, value in os.environ.items()
                       if not key.startswith(("GUNICORN_", "TRACKER_", "DATABASE_URL", "SECRET_KEY"))}
        environment.update(DATABASE_URL=database_url, SECRET_KEY="gunicorn-test", TRACKER_MAX_UPLOAD_MB="1",
                           GUNICORN_BIND=f"127.0.0.1:{port}", GUNICORN_WORKERS="1", GUNICORN_THREADS="2",
                           GUNICORN_GRACEFUL_TIMEOUT="10")
        environment.update(settings)
        servers.append(subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", str(CONFIG), "wsgi:app"], cwd=ROOT,
                                        env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE))
        _wait_for_health(port, servers[-1], seconds=20)
        return port, servers[-1]

    yield start
    for server in servers:
        if server.poll() is None:
            server.kill()
        server.communicate(timeout=10)


def test_gunicorn_serves_the_app_and_stops_cleanly_on_sigterm(start_gunicorn):
    port, server = start_gunicorn()
    assert _request(port, "GET", "/healthz") == (200, b'{"status":"ok"}\n')
    status, _body = _request(port, "POST", "/login", body=b"email=" + b"x" * (1024 * 1024 + 1))
    assert status == 413
    assert _request(port, "GET", "/login")[0] == 200

    stopping = time.monotonic()
    server.send_signal(signal.SIGTERM)
    stdout, stderr = server.communicate(timeout=10)
    assert server.returncode == 0, stderr.decode()
    assert time.monotonic() - stopping < 10
    assert b'"GET /healthz HTTP/1.1" 200' in stdout
    assert b"Shutting down" in stderr


def test_requests_served_at_once_on_threads_each_see_their_own_user(app, start_gunicorn):
    """Under gthread one process serves several requests at once: no user, session or query leaks between them."""
    expected = {}
    for value in (111, 222):
        exporter = factories.new_exporter(factories.area("131016"))
        factories.export_sale(factories.product(exporter), 2024, 1, "HK", value)
        token = issue_token(factories.user("exporter", exporter=exporter))
        expected[token] = [{"month": "2024-01", "value_jpy": value, "quantity": None}]
    db.session.commit()
    port, _server = start_gunicorn(GUNICORN_THREADS="4")

    def own_rows(token: str) -> bool:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        try:
            connection.request("GET", "/api/v1/exports?group_by=month", headers={"Authorization": f"Bearer {token}"})
            return json.loads(connection.getresponse().read())["rows"] == expected[token]
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(own_rows, list(expected) * 20))
    assert answers == [True] * 40
