from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import TextInput

from tracker.formatting import METRIC_LABELS, YEAR_BASIS_LABELS
from tracker.pickers import AreaField, MarketField
from tracker.targets.services import FIRST_YEAR, LAST_YEAR
from tracker.text import parse_amount

# the domain's own messages (tracker/targets/services.py), so that the form and the service read alike
YEAR_MESSAGE = _l("Give a year from %(first)d to %(last)d.", first=FIRST_YEAR, last=LAST_YEAR)
VALUE_MESSAGE = _l("Give a whole number above zero.")


def _optional_int(value):
    return int(value) if value not in (None, "", "None") else None


class WholeNumberField(IntegerField):
    """Unreadable input counts as no number, so that the field's validators say what it takes, once
    (WTForms would add its stock "Not a valid integer value." before their message)."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            self.data = None


class AmountField(WholeNumberField):
    """A whole amount written as people write it: "60000000", "60,000,000", "6000万", "1.2億" (tracker.text); a text
    input, since a number input refuses commas and 万 in the browser."""

    widget = TextInput()

    def process_formdata(self, valuelist):
        try:
            self.data = parse_amount(valuelist[0]) if valuelist else None
        except ValueError:
            self.data = None


def _year(label):
    return WholeNumberField(label, validators=[InputRequired(YEAR_MESSAGE),
                                               NumberRange(FIRST_YEAR, LAST_YEAR, YEAR_MESSAGE)])


class TargetForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    name_en = StringField(_l("Name in English (optional; English pages show the name above without it)"),
                          validators=[Optional(), Length(max=200)])
    metric = SelectField(_l("Metric"), choices=lambda: list(METRIC_LABELS.items()))
    area = AreaField(_l("Area (a name from the list, a local-government code, or JP for the nation)"),
                     validators=[DataRequired()], render_kw={"list": "areas", "autocomplete": "off"})
    include_subareas = BooleanField(_l("Measure the sum of the areas below (not the area's own reported figures)"))
    market = MarketField(_l("Market (visitors only)"), render_kw={"list": "markets", "autocomplete": "off"})
    destination = MarketField(_l("Destination (exports only)"), render_kw={"list": "markets", "autocomplete": "off"})
    product = SelectField(_l("Product (exports only)"), coerce=_optional_int, validate_choice=False)
    year_basis = SelectField(_l("Years"), choices=lambda: list(YEAR_BASIS_LABELS.items()))
    baseline_year = _year(_l("Baseline year"))
    baseline_value = AmountField(_l("Baseline value (empty: the recorded figure of the baseline year)"),
                                      validators=[Optional(), NumberRange(min=1, message=VALUE_MESSAGE)])
    target_year = _year(_l("Target year"))
    target_value = AmountField(_l("Target value"), validators=[InputRequired(VALUE_MESSAGE),
                                                                     NumberRange(min=1, message=VALUE_MESSAGE)])
    submit = SubmitField(_l("Save"))

