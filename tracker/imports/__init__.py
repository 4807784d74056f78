"""Reading and writing the tabular files (CSV in UTF-8 or CP932, xlsx) that every importer shares."""

from tracker.imports.quoting import excerpt
from tracker.imports.readers import FileFormatError, Table, open_table
from tracker.imports.writers import escape_formula, unescape_formula, write_csv, write_xlsx
from tracker.text import halfwidth

__all__ = [
    "FileFormatError",
    "Table",
    "escape_formula",
    "excerpt",
    "halfwidth",
    "open_table",
    "unescape_formula",
    "write_csv",
    "write_xlsx",
]
