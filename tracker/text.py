"""Text as people type it: the folding that forms, filters, downloads and imports share."""

from __future__ import annotations

import unicodedata


def halfwidth(value: str) -> str:
    """Fold full-width digits, letters and signs to ASCII (NFKC), for cells meant as numbers or codes."""
    return unicodedata.normalize("NFKC", value).strip()
