"""The job library: Huey on Redis when REDIS_URL is set, else on a SQLite file that needs no server."""

from __future__ import annotations

import os
from dataclasses import dataclass

from flask import Flask, current_app
from huey import Huey, RedisHuey, SqliteHuey
from huey.api import TaskWrapper

QUEUE_NAME = "tracker"


@dataclass(frozen=True)
class Queue:
    huey: Huey
    import_job: TaskWrapper


def queue(app: Flask | None = None) -> Queue:
    """The app's queue, built on first use so that commands which queue nothing open no queue file."""
    app = app or current_app._get_current_object()
    if "tracker.queue" not in app.extensions:
        app.extensions["tracker.queue"] = _build(app)
    return app.extensions["tracker.queue"]


def enqueue_import(job_id: int) -> None:
    """Hand the job to a worker (or, in immediate mode, run it now); call after the job's row is committed."""
    queue().import_job(job_id)


def waiting_imports() -> set[int]:
    """The jobs whose message waits in the queue for a worker, or in its schedule for a retry."""
    built = queue()
    # the schedule before the queue: a retry that falls due meanwhile moves from the one to the other, never back
    tasks = [*built.huey.scheduled(), *built.huey.pending()]
    return {task.args[0] for task in tasks if isinstance(task, built.import_job.task_class)}


def _build(app: Flask) -> Queue:
    from tracker.jobs.tasks import register_tasks
    from tracker.notifications.tasks import register_tasks as register_notification_tasks

    immediate = app.config["TRACKER_JOBS_IMMEDIATE"]
    if app.config["REDIS_URL"]:
        huey = RedisHuey(QUEUE_NAME, url=app.config["REDIS_URL"], immediate=immediate)
    else:
        path = app.config["TRACKER_QUEUE_FILE"]
        os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
        huey = SqliteHuey(QUEUE_NAME, filename=path, immediate=immediate)
    import_job = register_tasks(huey, app)
    register_notification_tasks(huey, app)
    return Queue(huey=huey, import_job=import_job)
