"""`tracker worker`: the process that runs the queued imports."""

from __future__ import annotations

import logging

import click
from flask import current_app
from flask.cli import with_appcontext

from tracker.jobs.queue import queue
from tracker.jobs.runner import sweep


@click.command("worker")
@click.option("--workers", default=1, show_default=True, help="Imports run at the same time by this process.")
@with_appcontext
def worker_command(workers: int) -> None:
    """Run queued imports (Ctrl-C stops after the running ones); fails first the jobs of workers that died."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    failed = sweep()
    if failed:
        click.echo(f"failed {len(failed)} import jobs whose worker had stopped: {', '.join(map(str, failed))}")
    app = current_app._get_current_object()
    # an idle worker looks for new jobs at least every second (a SQLite queue is polled)
    queue(app).huey.create_consumer(workers=workers, periodic=True, max_delay=1.0).run()
