"""The job library's tasks, thin: each runs the service in its own app context."""

from __future__ import annotations

from flask import Flask
from huey import Huey, crontab
from huey.api import TaskWrapper

from tracker.jobs import runner


def register_tasks(huey: Huey, app: Flask) -> TaskWrapper:
    """Register the import task, and the sweep every minute that fails the jobs of workers that died and sends
    again the jobs whose message was lost."""

    # retried when it could not even claim its job (SQLite busy with another import); a claimed job is never rerun
    @huey.task(name="tracker.import_job", retries=5, retry_delay=30)
    def import_job(job_id: int) -> None:
        with app.app_context():
            runner.run_job(job_id)

    @huey.periodic_task(crontab(minute="*"), name="tracker.sweep_jobs")
    def sweep_jobs() -> None:
        with app.app_context():
            runner.sweep()

    return import_job
