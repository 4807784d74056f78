"""The API's contract served: the OpenAPI document at /api/v1/openapi.json, and the same document drawn as a page
at /api/docs (rendered here, no script and no CDN: it works offline). Both are public: the document holds no
data, is the same for every account, and a program needs it before it holds a token."""

from __future__ import annotations

from flask import Blueprint, jsonify, render_template
from markupsafe import Markup, escape
from pydantic import BaseModel, ConfigDict

from tracker.api.blueprint import bp
from tracker.api.contract import document, endpoint
from tracker.api.reference import read

pages = Blueprint("api_docs", __name__, url_prefix="/api")


class OpenApiDocument(BaseModel):
    model_config = ConfigDict(extra="allow")

    openapi: str
    info: dict
    paths: dict


@bp.get("/openapi.json")
@endpoint(tags=["documentation"], ok={200: OpenApiDocument}, public=True)
def openapi():
    """This document: every endpoint under /api/v1, made from the schemas that check its requests."""
    return jsonify(document())


@pages.get("/docs")
def reference():
    contents = read(document())
    return render_template("api/docs.html", reference=contents,
                           schema_names={schema.name for schema in contents.schemas})


@pages.app_template_filter("code_spans")
def code_spans(text: str | None) -> Markup:
    """The contract's prose marks code with backticks, as OpenAPI readers expect; the page shows it as code
    rather than as backticks. Text with an unpaired backtick is shown as written."""
    parts = str(escape(text or "")).split("`")
    if len(parts) % 2 == 0:
        return Markup("`".join(parts))
    return Markup("".join(f"<code>{part}</code>" if i % 2 else part for i, part in enumerate(parts)))
