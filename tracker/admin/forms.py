from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, Length, Optional

from tracker.formatting import ROLE_LABELS
from tracker.models import VIEWER


def _role_choices():
    return [(role, label) for role, label in ROLE_LABELS.items()]


class UserForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[DataRequired(), Email(), Length(max=254)])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=100)])
    # the least a new account can do: an admin raises it on purpose, never by leaving the field as it was
    role = SelectField(_l("Role"), choices=_role_choices, default=VIEWER)
    area_codes = StringField(
        _l("Areas (local-government codes, separated by spaces)"), validators=[Optional(), Length(max=2000)]
    )
    exporter_name = StringField(_l("Exporter (for exporter accounts)"), validators=[Optional(), Length(max=200)])
    password = PasswordField(_l("Password (at least 12 characters, not a common one)"), validators=[Optional()])
    active = BooleanField(_l("Active"), default=True)
    submit = SubmitField(_l("Save"))


class AreaImportForm(FlaskForm):
    file = FileField(_l("List of local-government codes (CSV or xlsx)"), validators=[FileRequired()])
    submit = SubmitField(_l("Import"))


class AreaNamesForm(FlaskForm):
    name_ja = StringField(_l("Name (kanji)"), validators=[DataRequired(), Length(max=100)])
    name_kana = StringField(_l("Reading (kana)"), validators=[Optional(), Length(max=200)])
    name_en = StringField(_l("Name (English/romaji)"), validators=[Optional(), Length(max=200)])
    submit = SubmitField(_l("Save"))
