"""Revisions as a person reads them: the stored values, note and source (stable text in codes, written once
by each feature's `RevisionFormat`, and never rewritten) put into words of the page's language for the history
and audit pages (the key stays as stored: the audit's identifier of the record, which the history pages show
split into words): "status: estimate -> provisional" reads 確定区分: 推計値 → 暫定値, "1200000 JPY; 300 l" reads
1,200,000円・300 L, "form" reads 入力フォーム."""

from __future__ import annotations

import re
from decimal import Decimal

from flask_babel import gettext as _

from tracker.affiliations.labels import field_labels, kind_label, level_label
from tracker.affiliations.services import TABLE as AFFILIATIONS
from tracker.exports.forms import unit_label
from tracker.exports.services import TABLE as SALES
from tracker.formatting import SOURCE_LABELS, number, status_label, uses_man_oku, yen
from tracker.models import Revision
from tracker.visitors.services import TABLE as VISITORS

# the value text of a sale: "1200000 JPY" or "1200000 JPY; 12.5 kg" (tracker/exports/services.py REVISIONS)
_SALE = re.compile(r"(?P<yen>-?\d+) JPY(?:; (?P<quantity>[\d.]+) (?P<unit>\w+))?")
# the value text of a tie: "sister city: ポートランド市; 1959 (1959-05-10) - 2001; fields: culture;tourism; note: …"
# (tracker/affiliations/services.py REVISIONS)
_TIE = re.compile(r"(?P<kind>\w+) (?P<level>\w+): (?P<partner>.*?); (?P<years>\d{4}[^;]*); fields: (?P<fields>.*?); "
                  r"note: (?P<note>.*)", re.S)
# the status part of a visitor figure's note: "status: final" (a new figure) or "status: estimate -> final"
_STATUS = re.compile(r"status: (?P<old>\w+)(?: -> (?P<new>\w+))?")


def value_text(revision: Revision, value: str | None) -> str:
    """One of a revision's values (its `old_value` or `new_value`) in words; "–" for none."""
    if value is None:
        return "–"
    if revision.table_name == VISITORS and value.isdigit():
        return number(int(value))
    if revision.table_name == SALES and (sale := _SALE.fullmatch(value)):
        return sale_text(int(sale["yen"]), sale["quantity"] and Decimal(sale["quantity"]), sale["unit"])
    if revision.table_name == AFFILIATIONS and (tie := _TIE.fullmatch(value)):
        return tie_text(tie)
    return value


def tie_text(tie: re.Match) -> str:
    """姉妹 · 都市: ポートランド市 · 1959 · 交流分野: 文化, 観光 · メモ: …, the parts given."""
    parts = [f"{kind_label(tie['kind'])} · {level_label(tie['level'])}: {tie['partner']}",
             tie["years"].replace(" - ", " – ")]
    if tie["fields"]:
        parts.append(f"{_('Fields of exchange')}: {field_labels(tie['fields'].split(';'))}")
    if tie["note"]:
        parts.append(f"{_('Note')}: {tie['note']}")
    return " · ".join(parts)


def sale_text(value_jpy: int, quantity: Decimal | None = None, unit: str | None = None) -> str:
    """1,200,000円・300 L / ¥1,200,000 · 300 L."""
    japanese = uses_man_oku()
    text = f"{number(value_jpy)}円" if japanese else yen(value_jpy)
    if quantity is None:
        return text
    return text + ("・" if japanese else " · ") + f"{number(quantity)} {unit_label(unit)}"


def note_text(note: str | None) -> str:
    """A revision's note with its status change in words; what a person wrote stays as written."""
    parts = []
    for part in (note or "").split("; "):
        status = _STATUS.fullmatch(part)
        if status is None:
            parts.append(part)
        elif status["new"] is None:
            parts.append(f"{_('Status')}: {status_label(status['old'])}")
        else:
            parts.append(f"{_('Status')}: {status_label(status['old'])} → {status_label(status['new'])}")
    return "; ".join(part for part in parts if part)


def source_text(source: str) -> str:
    return str(SOURCE_LABELS.get(source, source))
