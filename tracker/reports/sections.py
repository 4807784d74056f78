"""What a printed report is made of: a list of sections, each a heading with a chart, a table and lines of text.

A report is built by running its list of section builders (`tracker.reports.target.SECTIONS`,
`tracker.reports.area.SECTIONS`); a builder returns None when its section does not apply. Another part of the
report is one more builder in the list: a map is a Section with a `figure`, notes of the period a Section with
`lines` or a `table`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from tracker import formatting
from tracker.charts import Table


@dataclass(frozen=True)
class PrintedTable:
    """A table as printed: headings and cells already written in the report's language; `numeric` right-aligns
    a column; `total` is a last row set apart."""

    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    numeric: tuple[bool, ...]
    total: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    note: str = ""
    figure: dict[str, Any] | None = None  # a plotly figure, drawn by the page's charts.js
    table: PrintedTable | None = None
    lines: tuple[str, ...] = ()
    empty: str = ""  # what the section says when it has neither figure, table nor lines

    @property
    def has_content(self) -> bool:
        return self.figure is not None or self.table is not None or bool(self.lines)


def build(builders: Iterable[Callable[[Any], Section | None]], subject: Any) -> list[Section]:
    """The sections of a report about `subject`, in the builders' order, leaving out those that do not apply."""
    return [section for builder in builders if (section := builder(subject)) is not None]


# How a column's values are written: each takes the value and gives the text printed.
Cell = Callable[[Any], str]


def text(value: Any) -> str:
    return "" if value is None else str(value)


def count(value: Any) -> str:
    return formatting.number(None if value is None else round(value))


def yen(value: Any) -> str:
    return formatting.yen(value)


def share(value: Any) -> str:
    return formatting.percent(value)


def change(value: float | None) -> str:
    """+12.3% / -4.5%, a dash where there is nothing to compare."""
    if value is None:
        return "–"
    return ("+" if value > 0 else "") + formatting.percent(value)


def printed(table: Table, cells: Sequence[Cell], total: Sequence[Any] | None = None) -> PrintedTable:
    """A chart's rows (the same rows its CSV gives) written for paper, one cell writer per column."""
    numeric = tuple(cell is not text for cell in cells)
    rows = tuple(tuple(cell(value) for cell, value in zip(cells, row, strict=True)) for row in table.rows)
    written_total = None if total is None else tuple(cell(value) for cell, value in zip(cells, total, strict=True))
    return PrintedTable(tuple(table.columns), rows, numeric, written_total)
