from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SubmitField
from wtforms.validators import DataRequired, Email, EqualTo, Length


class LoginForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[DataRequired(), Email(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired()])
    submit = SubmitField(_l("Log in"))


class PasswordForm(FlaskForm):
    current = PasswordField(_l("Current password"), validators=[DataRequired()])
    new = PasswordField(_l("New password (at least 12 characters, not a common one)"), validators=[DataRequired()])
    repeat = PasswordField(_l("New password again"), validators=[DataRequired(), EqualTo("new")])
    submit = SubmitField(_l("Change password"))


class TokenForm(FlaskForm):
    submit = SubmitField(_l("Issue a new API token"))
