"""Language choice: the user's saved preference, else the browser's, else Japanese."""

from flask import current_app, has_request_context, request, session
from flask_login import current_user

from tracker.models import LANGUAGES

# Command-line messages are read in logs and terminals where English is the safer common ground.
COMMAND_LINE_LANGUAGE = "en"


def select_locale() -> str:
    if not has_request_context():
        return COMMAND_LINE_LANGUAGE
    if current_user and current_user.is_authenticated and current_user.language:
        return current_user.language
    if session.get("language") in LANGUAGES:
        return session["language"]
    return request.accept_languages.best_match(LANGUAGES) or current_app.config["BABEL_DEFAULT_LOCALE"]
