"""The messages: one plain-text template per kind and language (templates/notifications/<kind>.<language>.txt),
its first line the subject. Links are absolute, on TRACKER_BASE_URL, since mail is read outside the app."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, render_template
from flask_babel import force_locale

from tracker.models import LANGUAGES, User


def language_of(user: User) -> str:
    """The recipient's language: the account's choice, else the app's default."""
    if user.language in LANGUAGES:
        return user.language
    default = current_app.config["BABEL_DEFAULT_LOCALE"]
    return default if default in LANGUAGES else "ja"


def compose(kind: str, language: str, **context) -> tuple[str, str]:
    """(subject, body) of a message rendered in the language (dates and month names too)."""
    with force_locale(language):
        text = render_template(f"notifications/{kind}.{language}.txt", link=link, **context)
    subject, _newline, body = text.strip().partition("\n")
    return subject.strip(), body.strip() + "\n"


def link(endpoint: str, **values) -> str:
    """An absolute URL of a page of the app, built without a request."""
    base = urlsplit(current_app.config["TRACKER_BASE_URL"])
    adapter = current_app.url_map.bind(base.netloc, script_name=base.path or "/", url_scheme=base.scheme or "https")
    return adapter.build(endpoint, values, force_external=True)
