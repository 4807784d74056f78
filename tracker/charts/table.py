"""What a chart draws and what its "download data (CSV)" link gives: the same rows."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Table:
    columns: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]

    def column(self, index: int) -> list[Any]:
        return [row[index] for row in self.rows]

    def __bool__(self) -> bool:
        return bool(self.rows)
