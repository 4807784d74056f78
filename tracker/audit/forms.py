"""The audit page's filters, read from the URL (a GET form, so a filtered view can be shared and downloaded)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import DateField, SelectField, StringField
from wtforms.validators import Length, Optional, ValidationError

from tracker.affiliations.services import TABLE as AFFILIATIONS
from tracker.areas.queries import UnknownArea, find_area
from tracker.audit.queries import AuditFilter
from tracker.auth.services import ACCOUNTS
from tracker.exports.services import TABLE as SALES
from tracker.extensions import db
from tracker.formatting import JAPAN, SOURCE_LABELS
from tracker.models import User
from tracker.notes.services import TABLE as NOTES
from tracker.periods import FIRST_YEAR, LAST_YEAR
from tracker.reporting.services import TABLE as REPORTING
from tracker.targets.services import TABLE as TARGETS
from tracker.visitors.services import TABLE as VISITORS

VIEW_LABELS = {"changes": _l("Changes"), "logins": _l("Log-ins")}
KIND_LABELS = {
    VISITORS: _l("Visitor figures"),
    SALES: _l("Export sales"),
    TARGETS: _l("Targets"),
    ACCOUNTS: _l("Accounts"),
    REPORTING: _l("Reporting states"),
    AFFILIATIONS: _l("Affiliations"),
    NOTES: _l("Notes"),
}
OUTCOME_LABELS = {"success": _l("Logged in"), "failed": _l("Refused"), "throttled": _l("Throttled")}


def _labels(labels, *, any_: bool = True):
    """Choices in the active language (WTForms' shorthand: value -> label, as plain strings)."""
    return lambda: ({"": str(_l("All"))} if any_ else {}) | {value: str(label) for value, label in labels.items()}


def _accounts():
    return {"": str(_l("All"))} | {str(id_): email for id_, email in
                                   db.session.execute(select(User.id, User.email).order_by(User.email))}


class AuditFilterForm(FlaskForm):
    class Meta:
        csrf = False  # a GET form that only reads

    area_id: int | None = None  # the area the code names, found by validate_area

    view = SelectField(_l("Show"), choices=_labels(VIEW_LABELS, any_=False), default="changes")
    user = SelectField(_l("Account"), choices=_accounts, default="")
    area = StringField(_l("Area (code, with the areas below it)"), validators=[Optional(), Length(max=20)])
    kind = SelectField(_l("Record"), choices=_labels(KIND_LABELS), default="")
    source = SelectField(_l("Source"), choices=_labels(SOURCE_LABELS), default="")
    outcome = SelectField(_l("Outcome"), choices=_labels(OUTCOME_LABELS), default="")
    start = DateField(_l("From (Japan date)"), validators=[Optional()])
    end = DateField(_l("To (Japan date)"), validators=[Optional()])

    def validate_area(self, field) -> None:
        if not field.data:
            return
        try:
            self.area_id = find_area(field.data).id
        except UnknownArea as error:
            raise ValidationError(*error.args) from None

    def validate_start(self, field) -> None:
        _check_year(field.data)

    def validate_end(self, field) -> None:
        _check_year(field.data)
        if field.data and self.start.data and field.data < self.start.data:
            raise ValidationError(_l("The last day comes before the first."))

    def filter(self) -> AuditFilter:
        """The filter of a validated form: dates are days in Japan, turned into UTC bounds."""
        return AuditFilter(
            user_id=int(self.user.data) if self.user.data else None,
            area_id=self.area_id if self.area.data else None,
            kind=self.kind.data or None, source=self.source.data or None, outcome=self.outcome.data or None,
            start=_day_start(self.start.data),
            end=_day_start(self.end.data + timedelta(days=1) if self.end.data else None),
        )


def _check_year(day: date | None) -> None:
    if day is not None and not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise ValidationError(_l("Give a year from %(first)d to %(last)d.", first=FIRST_YEAR, last=LAST_YEAR))


def _day_start(day: date | None) -> datetime | None:
    return datetime.combine(day, time(), JAPAN).astimezone(UTC) if day else None
