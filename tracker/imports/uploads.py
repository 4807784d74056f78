"""The web upload of an import file, shared by every feature's upload page.

Without the page's script the form posts normally and the page shows the report. With it, the import runs
beside the response, which streams the progress as JSON lines ({"progress": 0.42}) and ends with the rendered
report ({"report": "<section>...", "ok": true}).
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Callable
from queue import Queue
from threading import Thread
from typing import IO, Any

from flask import Response, copy_current_request_context, current_app, request
from flask_babel import gettext as _
from werkzeug.datastructures import FileStorage

from tracker.database import writing
from tracker.extensions import db
from tracker.imports.pipeline import ImportResult, Progress

# (stream, file name, progress) -> the pipeline's result and whatever else the report shows
RunImport = Callable[[IO[bytes], str, Progress | None], tuple[ImportResult, dict[str, Any]]]


def wants_stream() -> bool:
    return request.headers.get("X-Requested-With") == "fetch"


def import_and_commit(upload: FileStorage, run: RunImport) -> tuple[ImportResult, dict[str, Any]]:
    """Run the import on the request's file: committed when clean, rolled back otherwise."""
    result, extra = run(upload.stream, upload.filename or "upload", None)
    _finish(result)
    return result, extra


def streamed_import(upload: FileStorage, run: RunImport, render_report: Callable[..., str]) -> Response:
    events: Queue = Queue()
    # the request closes its uploaded files when the view returns; the worker reads its own copy
    spool = tempfile.TemporaryFile()  # noqa: SIM115 (closed by the worker)
    shutil.copyfileobj(upload.stream, spool, 1024 * 1024)
    spool.seek(0)
    filename = upload.filename or "upload"

    def progress(done: int, total: int | None) -> None:
        events.put({"progress": done / total if total else None})

    # the worker writes in a transaction of its own: the request's (which read the user) must not hold the
    # database meanwhile
    db.session.rollback()

    @copy_current_request_context
    def work() -> None:
        try:
            with writing():
                result, extra = run(spool, filename, progress)
            _finish(result)
            events.put({"report": render_report(result=result, **extra), "ok": result.ok})
        except Exception:
            db.session.rollback()
            current_app.logger.exception("import of %s failed", filename)
            events.put({"error": _("The import failed. Nothing was saved."), "ok": False})
        finally:
            spool.close()

    worker = Thread(target=work, daemon=True)
    worker.start()

    def lines():
        while True:
            event = events.get()
            yield json.dumps(event) + "\n"
            if "progress" not in event:
                break
        worker.join()

    return Response(lines(), mimetype="application/x-ndjson")


def _finish(result: ImportResult) -> None:
    if result.ok:
        db.session.commit()
    else:
        db.session.rollback()
