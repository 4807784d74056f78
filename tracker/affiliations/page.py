"""The tables behind the register's charts, from plain ties and records: what each chart draws and its rows."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from tracker.affiliations.labels import kind_label
from tracker.affiliations.summary import Tie, active_by, active_by_year_and_country, added_per_year
from tracker.charts.table import Table
from tracker.models import Affiliation

# the network's chart starts with Japan's first tie (Nagasaki and Saint Paul)
FIRST_YEAR = 1955
TOP_COUNTRIES = 5


def network_table(ties: Sequence[Tie], current_year: int, country_name: Callable[[str], str], rest_label: str,
                  ) -> Table:
    """Per year since FIRST_YEAR (or an earlier first tie): added, then active per leading country and the rest."""
    first = min([FIRST_YEAR, *(tie.established_year for tie in ties)])
    years, leaders, series = active_by_year_and_country(ties, first, current_year, TOP_COUNTRIES)
    added = added_per_year(ties, first, current_year)
    columns = ("year", "added", *(country_name(code) for code in leaders), rest_label)
    rows = tuple((year, added[i], *(series[code][i] for code in [*leaders, None])) for i, year in enumerate(years))
    return Table(columns, rows)


@dataclass(frozen=True)
class Network:
    """The network page's counts and tables."""

    active: int
    added: int  # this year
    total: int  # ended ties included
    by_year: Table
    by_prefecture: Table
    prefecture_codes: tuple[str, ...]  # the codes of by_prefecture's rows, for links to their pages
    by_kind: Table


def network(ties: Sequence[Tie], current_year: int, country_name: Callable[[str], str],
            prefecture_names: dict[str, str], rest_label: str) -> Network:
    kinds = by_kind(ties)
    prefectures = active_by(ties, "prefecture")
    return Network(active=sum(count for _label, count, _share in kinds.rows),
                   added=sum(1 for tie in ties if tie.established_year == current_year), total=len(ties),
                   by_year=network_table(ties, current_year, country_name, rest_label),
                   by_prefecture=share_table(prefectures, lambda code: prefecture_names.get(code, code)),
                   prefecture_codes=tuple(code for code, _count in prefectures), by_kind=kinds)


def share_table(counts: Sequence[tuple[str, int]], label: Callable[[str], str]) -> Table:
    """(label, active ties, share) from (key, active ties), the most first: what bars and rings draw."""
    total = sum(count for _key, count in counts)
    return Table(("label", "active", "share"),
                 tuple((label(key), count, count / total) for key, count in counts if total))


def by_prefecture(ties: Sequence[Tie], names: dict[str, str]) -> Table:
    return share_table(active_by(ties, "prefecture"), lambda code: names.get(code, code))


def by_kind(ties: Sequence[Tie]) -> Table:
    return share_table(active_by(ties, "kind"), kind_label)


def timeline_table(records: Sequence[Affiliation], country_name: Callable[[str], str], language: str = "ja") -> Table:
    return Table(("partner", "established", "ended", "kind"),
                 tuple((f"{record.name_in(language)} ({country_name(record.country)})", record.established_year,
                        record.ended_year, kind_label(record.kind)) for record in records))


def before_after_table(body: dict) -> Table:
    """The visitors endpoint's body as the chart's rows: (year, partner index, others' index)."""
    return Table(("year", "partner_index", "others_index"),
                 tuple((row["year"], row["partner_index"], row["others_index"]) for row in body["rows"]))
