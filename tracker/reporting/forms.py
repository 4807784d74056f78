"""Forms of the reporting pages: a transition, the approvers' queue, the admins' rules."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, IntegerField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, NumberRange, Optional


class TransitionForm(FlaskForm):
    """One button of a unit's month; `comment` is required for a return and a reopen (the service says so)."""

    comment = TextAreaField(_l("Comment or reason"))
    next = HiddenField()


class QueueForm(FlaskForm):
    """The checked months of the queue (`selected`, read from the request) approved or returned at once."""

    comment = TextAreaField(_l("Comment (required to return)"))
    approve = SubmitField(_l("Approve"))
    send_back = SubmitField(_l("Return"))


class RuleForm(FlaskForm):
    months_after = IntegerField(_l("Months after the reported month"), validators=[InputRequired(),
                                                                                  NumberRange(0, 12)])
    day = IntegerField(_l("Day of that month (empty: its last day)"), validators=[Optional(), NumberRange(1, 31)])
    listed_units = BooleanField(_l("Only the listed areas report (visitor figures)"))
    unit_areas = TextAreaField(_l("Areas that report, by code (one or more per line)"))
    save_rule = SubmitField(_l("Save the rule"))


class ExceptionForm(FlaskForm):
    metric = SelectField(_l("Figures"), choices=lambda: [("visitors", _l("Visitor figures")),
                                                         ("exports", _l("Export sales"))])
    unit = StringField(_l("Area code (visitors) or exporter id (exports)"), validators=[InputRequired()])
    months_after = IntegerField(_l("Months after the reported month"), validators=[InputRequired(),
                                                                                  NumberRange(0, 12)])
    day = IntegerField(_l("Day of that month (empty: its last day)"), validators=[Optional(), NumberRange(1, 31)])
    add_exception = SubmitField(_l("Save the exception"))
