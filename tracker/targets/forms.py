from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from tracker.formatting import METRIC_LABELS, YEAR_BASIS_LABELS


def _optional_int(value):
    return int(value) if value not in (None, "", "None") else None


class TargetForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    metric = SelectField(_l("Metric"), choices=lambda: list(METRIC_LABELS.items()))
    area = StringField(_l("Area (local-government code, or JP for the nation)"),
                       validators=[DataRequired(), Length(max=6)])
    include_subareas = BooleanField(_l("Measure the sum of the areas below (not the area's own reported figures)"))
    market = StringField(_l("Market (country code, visitors only)"), validators=[Optional(), Length(max=2)])
    destination = StringField(_l("Destination (country code, exports only)"), validators=[Optional(), Length(max=2)])
    product = SelectField(_l("Product (exports only)"), coerce=_optional_int, validate_choice=False)
    year_basis = SelectField(_l("Years"), choices=lambda: list(YEAR_BASIS_LABELS.items()))
    baseline_year = IntegerField(_l("Baseline year"), validators=[InputRequired(), NumberRange(1900, 2200)])
    baseline_value = IntegerField(_l("Baseline value (empty: the recorded figure of the baseline year)"),
                                  validators=[Optional(), NumberRange(min=1)])
    target_year = IntegerField(_l("Target year"), validators=[InputRequired(), NumberRange(1900, 2200)])
    target_value = IntegerField(_l("Target value"), validators=[InputRequired(), NumberRange(min=1)])
    submit = SubmitField(_l("Save"))
