"""What each kind of import job runs, and how its report is shown: the one place that knows the features."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import IO, Any

from tracker.affiliations.importer import import_affiliations
from tracker.exports.importer import import_exports
from tracker.imports.pipeline import ImportResult, ProgressCallback
from tracker.models import User
from tracker.visitors.importer import import_visitors

# (stream, file name, user, source, progress) -> the pipeline's result and what the feature adds to the API's body
Run = Callable[[IO[bytes], str, User, str, ProgressCallback], tuple[ImportResult, dict[str, Any]]]


@dataclass(frozen=True)
class Kind:
    run: Run
    report_template: str
    # the feature's additions to the result (as stored) -> the report template's own variables
    report_context: Callable[[dict[str, Any]], dict[str, Any]]


def _run_visitors(stream, filename, user, source, progress):
    return import_visitors(stream, filename, user, source=source, progress=progress), {}


def _run_affiliations(stream, filename, user, source, progress):
    return import_affiliations(stream, filename, user, source=source, progress=progress), {}


def _run_exports(stream, filename, user, source, progress):
    result, importer = import_exports(stream, filename, user, source=source, progress=progress)
    if not result.ok:
        return result, {}
    return result, {"created_exporters": importer.created_exporters,
                    "created_products": [{"exporter": exporter, "product": product}
                                         for exporter, product in importer.created_products]}


def _exports_context(extra: dict[str, Any]) -> dict[str, Any]:
    products = [(item["exporter"], item["product"]) for item in extra.get("created_products", [])]
    return {"importer": {"created_exporters": extra.get("created_exporters", []), "created_products": products}}


KINDS = {
    "visitors": Kind(_run_visitors, "imports/_report.html", lambda extra: {}),
    "exports": Kind(_run_exports, "exports/_report.html", _exports_context),
    "affiliations": Kind(_run_affiliations, "imports/_report.html", lambda extra: {}),
}
