"""A fresh database per test, on SQLite or (TRACKER_TEST_DB=postgresql) on PostgreSQL."""

from __future__ import annotations

import os
import uuid

import pytest
import sqlalchemy as sa
from flask import g
from flask.testing import FlaskClient
from flask_migrate import upgrade
from hypothesis import HealthCheck, settings

from tests import factories
from tracker import create_app
from tracker.config import for_tests
from tracker.extensions import db
from tracker.reference import seed_reference_data

# The workplace's reference data: beside the checkout, or where TRACKER_SHARED_DATA says (a clone elsewhere).
SHARED_DATA_CANDIDATES = [
    os.environ.get("TRACKER_SHARED_DATA", ""),
    os.path.join(os.path.dirname(__file__), "..", "..", "shared", "data"),
    "/work/shared/data",
]
SHARED_DATA = next((os.path.normpath(p) for p in SHARED_DATA_CANDIDATES if p and os.path.isdir(p)), None)
BACKEND = os.environ.get("TRACKER_TEST_DB", "sqlite")

# Property tests draw the same examples on every run (derandomize), so a red run is never luck; the examples
# share one app and its database per test, which is what the function-scoped fixtures give them. To hunt for new
# failures locally, draw fresh examples: TRACKER_HYPOTHESIS=random (or pytest --hypothesis-profile=random), and
# pin what it finds with @example.
_HYPOTHESIS = {"deadline": None, "database": None,
               "suppress_health_check": [HealthCheck.function_scoped_fixture, HealthCheck.too_slow]}
settings.register_profile("tracker", derandomize=True, max_examples=25, **_HYPOTHESIS)
settings.register_profile("random", derandomize=False, max_examples=100, print_blob=True, **_HYPOTHESIS)
settings.load_profile("random" if os.environ.get("TRACKER_HYPOTHESIS") == "random" else "tracker")


def pytest_report_header(config):
    return f"tracker database backend: {BACKEND}"


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    """One database per test session, migrated once; tests then only empty and re-seed it."""
    if BACKEND == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite'}"
        yield _migrated(url)
        return
    server_url = sa.make_url(os.environ["TEST_DATABASE_URL"]).set(drivername="postgresql+psycopg")
    name = f"tracker_test_{uuid.uuid4().hex[:10]}"
    server = sa.create_engine(server_url, isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield _migrated(server_url.set(database=name).render_as_string(hide_password=False))
    finally:
        with server.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        server.dispose()


def _migrated(url: str) -> str:
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade()
        db.engine.dispose()
    return url


def _empty_and_seed(url: str) -> None:
    engine = sa.create_engine(url)
    tables = list(reversed(db.metadata.sorted_tables))
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            names = ", ".join(f'"{table.name}"' for table in tables)
            connection.execute(sa.text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                connection.execute(table.delete())
        seed_reference_data(connection)
    engine.dispose()


@pytest.fixture
def app_config(database_url, tmp_path):
    """The tests' settings (tracker.config.for_tests); override per test module by redefining this fixture."""
    return for_tests(database_url, str(tmp_path / "uploads"))


class IsolatedClient(FlaskClient):
    """Requests share the test's app context (and so its session); `g`, as in production, starts empty."""

    def open(self, *args, **kwargs):
        g.__dict__.clear()
        return super().open(*args, **kwargs)


@pytest.fixture
def app(app_config, database_url):
    _empty_and_seed(database_url)
    app = create_app(app_config)
    app.test_client_class = IsolatedClient
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


class AuthActions:
    def __init__(self, client):
        self._client = client

    def login(self, email: str, password: str = factories.PASSWORD):
        return self._client.post("/login", data={"email": email, "password": password})

    def logout(self):
        return self._client.post("/logout")


@pytest.fixture
def auth(client):
    return AuthActions(client)


@pytest.fixture
def shared_data():
    if SHARED_DATA is None:
        pytest.skip("the shared reference data is missing (set TRACKER_SHARED_DATA)")
    return SHARED_DATA
