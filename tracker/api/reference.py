"""The OpenAPI document read into plain rows for the API reference page: operations by tag, their parameters,
bodies and answers, and the schemas they name. Pure: a dict in, dataclasses out."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

METHODS = ("get", "post", "put", "patch", "delete")


@dataclass(frozen=True)
class Field:
    name: str
    where: str  # query, path, body, or "" for a schema's property
    kind: str  # the type as a reader writes it: "string", "integer or null", "Errors"
    required: bool
    description: str


@dataclass(frozen=True)
class Answer:
    status: str
    description: str
    kind: str


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    summary: str
    description: str
    public: bool
    fields: tuple[Field, ...]
    body_type: str
    answers: tuple[Answer, ...]

    @property
    def anchor(self) -> str:
        return f"{self.method}-{self.path}".replace("/", "-").replace("{", "").replace("}", "")


@dataclass(frozen=True)
class Schema:
    name: str
    description: str
    properties: tuple[Field, ...]
    kind: str  # for a schema without properties (a list, a union)


@dataclass(frozen=True)
class Reference:
    title: str
    version: str
    description: str
    tags: tuple[tuple[str, tuple[Operation, ...]], ...]
    schemas: tuple[Schema, ...]


def read(document: dict[str, Any]) -> Reference:
    operations = [_operation(document, path, method, item[method])
                  for path, item in sorted(document.get("paths", {}).items()) for method in METHODS if method in item]
    tags: dict[str, list[Operation]] = {}
    for operation, tag in operations:
        tags.setdefault(tag, []).append(operation)
    schemas = tuple(_schema(name, schema) for name, schema in sorted(document.get("components", {})
                                                                     .get("schemas", {}).items()))
    info = document.get("info", {})
    return Reference(title=info.get("title", ""), version=info.get("version", ""),
                     description=info.get("description", ""),
                     tags=tuple((tag, tuple(items)) for tag, items in sorted(tags.items())), schemas=schemas)


def _operation(document: dict[str, Any], path: str, method: str, spec: dict[str, Any]) -> tuple[Operation, str]:
    fields = [Field(p["name"], p["in"], kind_of(p.get("schema", {})), p.get("required", False),
                    p.get("description") or p.get("schema", {}).get("description", ""))
              for p in spec.get("parameters", [])]
    content = spec.get("requestBody", {}).get("content", {})
    body_type = ", ".join(sorted(content))
    for media in content.values():
        body = _resolve(document, media.get("schema", {}))
        required = set(body.get("required", []))
        fields += [Field(name, "body", kind_of(prop), name in required, prop.get("description", ""))
                   for name, prop in body.get("properties", {}).items()]
    answers = tuple(Answer(status, answer.get("description", ""),
                           ", ".join(kind_of(media.get("schema", {})) for media in answer.get("content", {}).values()))
                    for status, answer in sorted(spec.get("responses", {}).items()))
    security = spec.get("security", document.get("security", []))
    operation = Operation(method=method.upper(), path=path, summary=spec.get("summary", ""),
                          description=spec.get("description", ""), public=security == [], fields=tuple(fields),
                          body_type=body_type, answers=answers)
    return operation, (spec.get("tags") or [""])[0]


def _schema(name: str, schema: dict[str, Any]) -> Schema:
    required = set(schema.get("required", []))
    properties = tuple(Field(key, "", kind_of(prop), key in required, prop.get("description", ""))
                       for key, prop in schema.get("properties", {}).items())
    return Schema(name=name, description=schema.get("description", ""), properties=properties,
                  kind="" if properties else kind_of(schema))


def _resolve(document: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    ref = schema.get("$ref", "")
    if ref.startswith("#/components/schemas/"):
        return document["components"]["schemas"][ref.rsplit("/", 1)[1]]
    return schema


def kind_of(schema: dict[str, Any]) -> str:
    """A schema as a short phrase: "string", "integer or null", "array of MonthRow", "one of: month, year"."""
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[1]
    if "enum" in schema:
        return "one of: " + ", ".join(str(value) for value in schema["enum"])
    if "const" in schema:
        return repr(schema["const"])
    for combined in ("anyOf", "oneOf"):
        if combined in schema:
            return " or ".join(kind_of(part) for part in schema[combined])
    kind = schema.get("type", "any")
    if kind == "array":
        return "array of " + kind_of(schema.get("items", {}))
    if kind == "object" and "additionalProperties" in schema and isinstance(schema["additionalProperties"], dict):
        return "object of " + kind_of(schema["additionalProperties"])
    if schema.get("format") == "binary":
        return "file"
    if "pattern" in schema:
        return f"{kind} ({schema['pattern']})"
    return str(kind)
