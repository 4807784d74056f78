"""Text as people type it: the folding that forms, filters, downloads and imports share."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal


def halfwidth(value: str) -> str:
    """Fold full-width digits, letters and signs to ASCII (NFKC), for cells meant as numbers or codes."""
    return unicodedata.normalize("NFKC", value).strip()


# "¥1,200,000", "120万", "1.2億", "1億2,000万円", "１２０万円": yen signs, 円, digit-group commas and full-width
# digits as people write amounts; 億 and 万 multiply the number before them.
_AMOUNT = re.compile(r"(?:(?P<oku>\d+(?:\.\d+)?)億)?(?:(?P<man>\d+(?:\.\d+)?)万)?(?P<ones>\d+(?:\.\d+)?)?", re.ASCII)
_YEN_SIGNS = ("¥", "\\")


def parse_amount(text: str | None) -> int | None:
    """A whole amount of 0 or more as people write it (see _AMOUNT); None when empty, ValueError when unreadable."""
    folded = halfwidth(text or "").replace(",", "").replace(" ", "")
    if folded.startswith(_YEN_SIGNS):
        folded = folded[1:]
    folded = folded.removesuffix("円")
    if not folded:
        return None
    match = _AMOUNT.fullmatch(folded)
    if match is None or not any(match.groups()):
        raise ValueError(text)
    parts = match.groupdict()
    total = sum(Decimal(parts[unit] or 0) * factor for unit, factor in (("oku", 10**8), ("man", 10**4), ("ones", 1)))
    if parts["ones"] and "." in parts["ones"] and (parts["oku"] or parts["man"]):
        raise ValueError(text)  # "1万2.5" is no way to write an amount
    if total != total.to_integral_value():
        raise ValueError(text)
    return int(total)
