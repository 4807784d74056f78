"""Export sales over the API: aggregates for readers of public figures, its own sales for an exporter."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from flask import jsonify
from flask_babel import gettext as _
from flask_login import current_user
from pydantic import BaseModel, ConfigDict, Field, PlainValidator, WithJsonSchema

from tracker import policy
from tracker.api.blueprint import bp
from tracker.api.contract import endpoint
from tracker.api.fields import AreaCode, OptionalMonth, left_out
from tracker.api.imports import ImportCounts, ImportQuery, ImportUpload, Queued, queued, refusal, should_queue
from tracker.downloads import record_id
from tracker.exports import queries
from tracker.exports.importer import import_exports
from tracker.extensions import db
from tracker.models import Exporter, Product


def _destination(code: Any) -> int | None:
    if not isinstance(code, str) or not code.strip():
        return None
    market = queries.market_id(code)
    if market is None:
        raise ValueError(_("An ISO 3166-1 alpha-2 country code."))
    return market


def _product(text: Any) -> int | None:
    if not isinstance(text, str) or not text.strip():
        return None
    product = record_id(text)
    if product is None or db.session.get(Product, product) is None:
        raise ValueError(_("Unknown product id."))
    return product


class SalesQuery(BaseModel):
    area: AreaCode = Field("JP", validate_default=True)
    group_by: Literal[queries.GROUPS] = "month"
    first: OptionalMonth = left_out("The first month, YYYY-MM.", alias="from")
    last: OptionalMonth = left_out("The last month, YYYY-MM.", alias="to")
    destination: Annotated[int | None, PlainValidator(_destination), WithJsonSchema(
        {"type": "string", "examples": ["HK"]})] = left_out("The destination country, ISO 3166-1 alpha-2.")
    product: Annotated[int | None, PlainValidator(_product), WithJsonSchema(
        {"type": "string", "pattern": "^[0-9]+$"})] = left_out("A product's id.")


class _Sales(BaseModel):
    model_config = ConfigDict(extra="forbid")

    value_jpy: int
    quantity: int | float | None = Field(description="Null unless every sale of the row has a quantity in one unit.")


class MonthSales(_Sales):
    month: str


class YearSales(_Sales):
    year: int


class DestinationSales(_Sales):
    destination: str


class ProductSales(_Sales):
    product: int | Literal["other"]


class AreaSales(_Sales):
    area: str


class SalesRows(BaseModel):
    rows: list[MonthSales | YearSales | DestinationSales | ProductSales | AreaSales] = Field(
        description="One row per `group_by` value; groups that would single out an exporter the account may not "
                    "see are summed into a last row keyed \"other\".")


@bp.get("/exports")
@endpoint(tags=["exports"], allow=policy.can_read_exports, query=SalesQuery, ok={200: SalesRows})
def list_exports(query: SalesQuery):
    """Export sales of the exporters in an area, grouped by month, year, destination, product or area."""
    selection = queries.SalesFilter(area=query.area, first=query.first, last=query.last,
                                    destination_id=query.destination, product_id=query.product)
    where = []
    own = policy.own_exporter_id(current_user)
    if own is not None:
        where.append(Exporter.id == own)
    return jsonify(rows=queries.grouped(selection, query.group_by, *where, user=current_user))


class CreatedProduct(BaseModel):
    exporter: str
    product: str


class SalesImported(ImportCounts):
    created_exporters: list[str]
    created_products: list[CreatedProduct]


@bp.post("/imports/exports")
@endpoint(tags=["imports"], allow=policy.can_import_exports, query=ImportQuery, form=ImportUpload,
          ok={200: SalesImported, 202: Queued}, refusals=(409, 422))
def post_export_import(query: ImportQuery, form: ImportUpload):
    """Import a file of export sales: all of it or, with errors by line and column, none of it.

    A file over 1 MB (or any file with `?async=1`) becomes a job, answered 202 with its address."""
    if should_queue(form, query):
        return queued(form, "exports")
    result, importer = import_exports(form.file.stream, form.file.filename or "upload", current_user, source="api")
    if not result.ok:
        db.session.rollback()
        raise refusal(result)
    db.session.commit()
    return jsonify(**result.counts_json(), created_exporters=importer.created_exporters,
                   created_products=[{"exporter": exporter, "product": product}
                                     for exporter, product in importer.created_products])
