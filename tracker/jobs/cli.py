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
    """Run queued imports (Ctrl-C stops after the running ones); first fails the jobs of workers that died and
    sends again the jobs whose message was lost."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    swept = sweep()
    for ids, what in ((swept.stopped, "failed {} import jobs whose worker had stopped: {}"),
                      (swept.requeued, "queued again {} import jobs whose message was lost: {}"),
                      (swept.file_gone, "failed {} import jobs whose message and file were lost: {}")):
        if ids:
            click.echo(what.format(len(ids), ", ".join(map(str, ids))))
    app = current_app._get_current_object()
    # an idle worker looks for new jobs at least every second (a SQLite queue is polled)
    queue(app).huey.create_consumer(workers=workers, periodic=True, max_delay=1.0).run()
