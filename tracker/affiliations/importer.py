"""Affiliations in the import format (`tracker.affiliations.columns`) on the shared import engine: the row checks
are the entry form's (`tracker.affiliations.values`), the upsert, revisions and counts the engine's.

The register is not monthly: a file takes the register's lock instead of month locks, no month can be locked
against it, and there are no rollups to refresh. The key is area + country + partner_name_en.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy import select

from tracker import policy
from tracker.affiliations.columns import COLUMNS, JAPANESE_HEADERS, REQUIRED
from tracker.affiliations.services import REVISIONS, TABLE, VALUES
from tracker.affiliations.values import check, countries
from tracker.areas.queries import in_subtree
from tracker.database import lock_registry
from tracker.extensions import db
from tracker.imports.cells import area_code
from tracker.imports.engine import FigureImporter
from tracker.imports.pipeline import ImportResult, Issue, ProgressCallback, run_import
from tracker.models import Affiliation, Area, User
from tracker.reference import NATION_CODE


class AffiliationImporter(FigureImporter):
    """The register's description for the import engine, for one user's scope."""

    kind = TABLE
    required = REQUIRED
    optional = COLUMNS[len(REQUIRED):]
    aliases = {japanese: name for name, japanese in JAPANESE_HEADERS.items()}
    # dates are staged as their ISO text, which both databases read into a DATE column
    staging_columns = (("area_id", sa.Integer), ("country", sa.String(2)), ("partner_name_en", sa.String(200)),
                       ("partner_name", sa.String(200)), ("partner_level", sa.String(5)), ("kind", sa.String(10)),
                       ("established_year", sa.Integer), ("established_on", sa.Date, True),
                       ("ended_year", sa.Integer, True), ("ended_on", sa.Date, True), ("fields", sa.String(80)),
                       ("note", sa.Text))
    key = ("area_id", "country", "partner_name_en")
    table = Affiliation.__table__
    values = VALUES
    lookups = {"area_code": (Area.__table__.c.code, "area_id")}
    revisions = REVISIONS

    def __init__(self, user: User | None, source: str = "import", today: date | None = None):
        """`user` None is the command line's admin rights."""
        super().__init__(user, source, today)
        self.today = today or date.today()
        # the nation has no ties of its own: its code is refused like an unknown one, with its reason
        self._areas = dict(db.session.execute(select(Area.code, Area.id).where(Area.level != "nation")).all())
        roots = policy.affiliation_write_roots(user)
        self._writable = None if roots is None else set(db.session.scalars(
            select(Area.id).where(in_subtree(Area.id, sorted(roots)))))
        self._countries = countries()

    def parse(self, line: int, row: dict[str, str]) -> tuple | list[Issue]:
        area_id, area_issue = self._area(row["area_code"])
        values, errors = check(row, self.today, self._countries)
        issues = [Issue(line, "area_code", area_issue)] if area_issue else []
        issues += [Issue(line, column, message) for column, message in errors.items()]
        if issues or values is None:
            return issues
        ended = values.ended
        return (area_id, values.country, values.partner_name_en, values.partner_name, values.partner_level,
                values.kind, values.established.year, _iso(values.established.on), ended and ended.year,
                _iso(ended and ended.on), values.fields, values.note)

    def _area(self, text: str) -> tuple[int | None, str | None]:
        code, message = area_code(text, self._areas.__contains__)
        if code is None:
            return None, message
        area_id = self._areas.get(code)
        if area_id is None and code == NATION_CODE:
            return None, _("A tie belongs to a prefecture or a municipality, not to the nation.")
        if area_id is None:
            return None, _("Unknown area: %(code)s.", code=code)
        if self._writable is not None and area_id not in self._writable:
            return None, _("The area %(code)s is outside your areas.", code=code)
        return area_id, None

    def check(self, staging: sa.Table) -> Iterator[Issue]:
        """No month of figures is behind a tie: nothing in the database refuses a file that passed its rows."""
        return iter(())

    def lock(self, staging: sa.Table) -> list[tuple[int, int]]:
        lock_registry(TABLE)
        return []


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def import_affiliations(stream, filename: str, user: User | None, *, encoding: str | None = None,
                        source: str = "import", progress: ProgressCallback | None = None) -> ImportResult:
    """Run the pipeline on an affiliations file; the caller commits when `result.ok`, else rolls back."""
    return run_import(AffiliationImporter(user, source=source), stream, filename,
                      user_id=user.id if user is not None else None, encoding=encoding, progress=progress)
