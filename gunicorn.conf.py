"""gunicorn settings for the tracker (`gunicorn -c gunicorn.conf.py wsgi:app`); each can be overridden from the
environment, so one file serves every machine.

Request bodies: gunicorn itself does not limit them; the app refuses an upload over `TRACKER_MAX_UPLOAD_MB` with
413 (Flask's MAX_CONTENT_LENGTH), and the proxy in front should accept at least that much and buffer it, so a
slow upload never holds a worker thread. gunicorn's own limits (request line, header count and size) are its
defaults: they bound headers only, and the tracker's URLs and cookies are far below them.
"""

import os


def _cpus() -> int:
    """The CPUs this process may run on: a container's or cgroup's share, not the host's count."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # platforms without affinity (macOS)
        return os.cpu_count() or 1


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")

# A request mostly waits on PostgreSQL, so each process serves a few requests on threads (each request has its
# own app context, hence its own Flask-SQLAlchemy session and user); the processes, twice the CPUs plus one, keep
# every core busy with the CPU part (templates, charts) that threads of one process cannot run in parallel.
worker_class = "gthread"
workers = _int("GUNICORN_WORKERS", 2 * _cpus() + 1)
threads = _int("GUNICORN_THREADS", 4)

# With threads, `timeout` is the longest a worker's event loop may stay silent before it is restarted (it
# reports every second while its threads work), not a limit on one request. On a restart or SIGTERM a worker
# finishes its requests for up to `graceful_timeout`: enough for a page or an import of at most 1 MB (larger files
# become background jobs), a few seconds; a download of many years streams for longer and is cut there.
timeout = _int("GUNICORN_TIMEOUT", 30)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)

# An idle connection stays open longer than a proxy keeps its own idle upstream connections (nginx: 60 s), so the
# proxy closes it first and never sends a request on a connection gunicorn is closing at that very moment (the
# request would fail with a reset). Idle connections wait in the worker's poller, not on a thread.
keepalive = _int("GUNICORN_KEEPALIVE", 75)

# The access log goes to stdout with the time taken in ms; errors and gunicorn's own messages to stderr.
accesslog = "-"
errorlog = "-"
access_log_format = '%(h)s %(t)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'
