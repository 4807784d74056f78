"""The account's choice of reminders."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SubmitField


class RemindersForm(FlaskForm):
    reminders = BooleanField(_l("Email me reminders of due months, the approvals digest and target alerts"))
    save_reminders = SubmitField(_l("Save"))
