"""Settings read from the environment, and the settings every test starts from."""

import os
from datetime import timedelta

DEFAULT_SECRET_KEY = "dev-only-not-secret"
DEFAULT_TOKEN_DAYS = 90


def _bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def from_environment(instance_path: str) -> dict:
    """Build the settings of a running app; SQLite in the instance folder unless DATABASE_URL says otherwise."""
    sqlite_path = os.path.join(instance_path, "tracker.sqlite")
    return {
        "SECRET_KEY": os.environ.get("SECRET_KEY", DEFAULT_SECRET_KEY),
        "SQLALCHEMY_DATABASE_URI": normalise_database_url(
            os.environ.get("DATABASE_URL", f"sqlite:///{sqlite_path}")
        ),
        "TRACKER_DEMO": _bool("TRACKER_DEMO"),
        "BABEL_DEFAULT_LOCALE": os.environ.get("TRACKER_DEFAULT_LOCALE", "ja"),
        "SESSION_COOKIE_SECURE": _bool("SESSION_COOKIE_SECURE"),
        "SESSION_COOKIE_SAMESITE": "Lax",
        "TRACKER_PROXY_COUNT": int(os.environ.get("TRACKER_PROXY_COUNT", "0")),
        "MAX_CONTENT_LENGTH": int(os.environ.get("TRACKER_MAX_UPLOAD_MB", "512")) * 1024 * 1024,
        "TRACKER_MAX_UNZIPPED_BYTES": int(os.environ.get("TRACKER_MAX_UNZIPPED_MB", "200")) * 1024 * 1024,
        # imports run by a worker: Redis when REDIS_URL is set, else a SQLite queue file that needs no server
        "REDIS_URL": os.environ.get("REDIS_URL") or None,
        "TRACKER_QUEUE_FILE": os.environ.get("TRACKER_QUEUE_FILE", os.path.join(instance_path, "queue.sqlite")),
        "TRACKER_UPLOAD_DIR": os.environ.get("TRACKER_UPLOAD_DIR", os.path.join(instance_path, "uploads")),
        "TRACKER_JOB_TIME_LIMIT_MINUTES": float(os.environ.get("TRACKER_JOB_TIME_LIMIT_MINUTES", "30")),
        "TRACKER_JOB_HEARTBEAT_SECONDS": float(os.environ.get("TRACKER_JOB_HEARTBEAT_SECONDS", "10")),
        # a job still queued this long whose message is not in the queue lost it: the sweep sends it again
        "TRACKER_JOB_REQUEUE_AFTER_MINUTES": float(os.environ.get("TRACKER_JOB_REQUEUE_AFTER_MINUTES", "5")),
        # True runs each job inside the request that queues it (Huey's immediate mode): the tests' setting
        "TRACKER_JOBS_IMMEDIATE": False,
        # A session ends after this long without a request (the signed cookie carries its own time).
        "PERMANENT_SESSION_LIFETIME": timedelta(hours=float(os.environ.get("TRACKER_SESSION_HOURS", "12"))),
        "TRACKER_TOKEN_LIFETIME": timedelta(days=int(os.environ.get("TRACKER_TOKEN_DAYS", DEFAULT_TOKEN_DAYS))),
        # Failed log-ins counted per account and per address; several servers share the counts through Redis.
        "RATELIMIT_STORAGE_URI": os.environ.get("REDIS_URL") or "memory://",
        "TRACKER_LOGIN_LIMIT_PER_ACCOUNT": os.environ.get("TRACKER_LOGIN_LIMIT_PER_ACCOUNT", "5 per 15 minutes"),
        "TRACKER_LOGIN_LIMIT_PER_ADDRESS": os.environ.get("TRACKER_LOGIN_LIMIT_PER_ADDRESS", "30 per 15 minutes"),
        # Reminders and alerts: sent through this SMTP server when set, else kept in the admins' outbox.
        "MAIL_SERVER": os.environ.get("MAIL_SERVER") or None,
        "MAIL_PORT": int(os.environ.get("MAIL_PORT", "25")),
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME") or None,
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD") or None,
        "MAIL_USE_TLS": _bool("MAIL_USE_TLS"),
        "MAIL_USE_SSL": _bool("MAIL_USE_SSL"),
        "MAIL_DEFAULT_SENDER": os.environ.get("MAIL_DEFAULT_SENDER", "tracker@localhost"),
        "MAIL_TIMEOUT": 30,
        # where the links in messages point (mail is read outside the app)
        "TRACKER_BASE_URL": os.environ.get("TRACKER_BASE_URL", "http://127.0.0.1:5000"),
        # static files under hashed names with their compressed copies (tracker/assets.py); kept across restarts
        "TRACKER_ASSET_DIR": os.environ.get("TRACKER_ASSET_DIR", os.path.join(instance_path, "assets")),
        "TRACKER_REMINDER_DAYS_BEFORE": int(os.environ.get("TRACKER_REMINDER_DAYS_BEFORE", "3")),
    }


def for_tests(database_url: str, upload_dir: str) -> dict:
    """What tests/conftest.py gives `create_app` over the environment's settings: the test's own database, no CSRF
    token to fetch, import jobs run inside the request that queues them, uploads in the test's own folder."""
    return {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SECRET_KEY": "test-secret",
        "WTF_CSRF_ENABLED": False,
        "TRACKER_JOBS_IMMEDIATE": True,
        "TRACKER_UPLOAD_DIR": upload_dir,
    }


def normalise_database_url(url: str) -> str:
    """Let operators write postgres:// or postgresql:// and still get the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url
