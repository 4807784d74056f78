"""`tracker import exports FILE`."""

from __future__ import annotations

from tracker import policy
from tracker.exports.importer import import_exports
from tracker.imports.cli import file_import


@file_import("exports", policy.can_import_exports, "export sales")
def import_exports_command(stream, filename, user, **options):
    """Import export sales (exporter,area_code,year,month,product,hs_code,destination,quantity,unit,value_jpy)."""
    result, importer = import_exports(stream, filename, user, **options)
    created = [f"new exporter: {name}" for name in importer.created_exporters]
    created += [f"new product: {exporter} / {product}" for exporter, product in importer.created_products]
    return result, created
