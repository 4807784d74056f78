"""URL and query-string converters: route ids and page numbers within the columns' range of both databases."""

from flask import Flask
from werkzeug.routing import IntegerConverter

LARGEST_ID = 2**31 - 1


class IdConverter(IntegerConverter):
    """`<int:...>` in every route: ids beyond the column's range are a 404, never an overflow in the database."""

    def __init__(self, map, fixed_digits=0, min=None, max=None, signed=False):  # noqa: A002  (werkzeug's names)
        super().__init__(map, fixed_digits=fixed_digits, min=1 if min is None else min,
                         max=LARGEST_ID if max is None else max, signed=signed)


def page_number(text: str) -> int:
    """The `type` of a `?page=` argument: a positive page number the database can offset to."""
    if not (text.isascii() and text.isdigit() and len(text) <= 6):
        raise ValueError(text)
    return max(int(text), 1)


def register_converters(app: Flask) -> None:
    app.url_map.converters["int"] = IdConverter
