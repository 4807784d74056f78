"""Forms of the visitor pages; the grid's per-market fields are read by `grid_entries`."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, ValidationError

from tracker.formatting import STATUS_LABELS
from tracker.models import MAX_VISITORS
from tracker.periods import Month
from tracker.text import halfwidth
from tracker.visitors.services import Entry

# JNTO's main source markets, and ZZ for an area that only knows its total.
GRID_MARKETS = ("KR", "CN", "TW", "HK", "TH", "SG", "MY", "ID", "PH", "VN", "IN", "AU", "US", "CA", "GB", "FR",
                "DE", "IT", "ES", "RU", "ZZ")


class GridForm(FlaskForm):
    status = SelectField(_l("Status"), choices=lambda: [(key, str(label)) for key, label in STATUS_LABELS.items()])
    confirm_outliers = BooleanField(_l("I have checked the figures far from last year's and confirm them"))
    submit = SubmitField(_l("Save"))


class MonthField(StringField):
    """A "YYYY-MM" month."""

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        if self.data:
            try:
                self.data = str(Month.parse(self.data))
            except ValueError:
                raise ValidationError(_l("Enter a month as YYYY-MM.")) from None


class PickForm(FlaskForm):
    class Meta:
        csrf = False

    area = SelectField(_l("Area"), validate_choice=False)
    month = MonthField(_l("Month (YYYY-MM)"), validators=[DataRequired()])
    submit = SubmitField(_l("Open"))


def parse_grid(form_data, markets) -> tuple[list[Entry], dict[str, int], dict[str, str]]:
    """The grid's per-market fields (`visitors-CC`, `version-CC`) as entries, the versions the page showed by
    market, and the cells that are not whole numbers >= 0 (full-width digits and thousands separators are
    accepted, as typed in Japan).

    A cell still holding the figure the page showed (`shown-CC`) is no entry: the officer did not touch it, so
    a figure someone else saved there meanwhile is theirs to keep, not a conflict."""
    entries, read, errors = [], {}, {}
    for code in markets:
        text = _cell_text(form_data.get(f"visitors-{code}", ""))
        version = form_data.get(f"version-{code}", "")
        if version.isdigit():
            read[code] = int(version)
        visitors = None
        if text:
            if not text.isdigit():
                errors[code] = str(_l("Enter a whole number of 0 or more."))
                continue
            if int(text) > MAX_VISITORS:
                errors[code] = str(_l("Too large: at most %(most)s.", most=f"{MAX_VISITORS:,}"))
                continue
            visitors = int(text)
        shown = form_data.get(f"shown-{code}")
        if shown is not None and _cell_text(shown) == ("" if visitors is None else str(visitors)):
            continue
        entries.append(Entry(code, visitors))
    return entries, read, errors


def _cell_text(text: str) -> str:
    return halfwidth(text).replace(",", "").strip()
