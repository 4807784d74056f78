"""How Flask-Login finds the user: the session cookie for pages, a bearer token (header only) for the API."""

from datetime import UTC, datetime, timedelta

from flask import Request, g
from flask_babel import lazy_gettext as _l
from flask_login import LoginManager
from sqlalchemy import select, update

from tracker.extensions import db
from tracker.models import ApiToken, User


def register_user_loaders(login_manager: LoginManager) -> None:
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please log in to see this page.")
    login_manager.login_message_category = "info"
    login_manager.user_loader(load_user)
    login_manager.request_loader(load_user_from_token)


def load_user(session_id: str) -> User | None:
    """The session's account while its session version is current: a password change or log-out ends it."""
    user_id, _, version = session_id.partition(":")
    if not (user_id.isdigit() and version.isdigit()) or len(user_id) > 18:
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.active or user.session_version != int(version):
        return None
    return user


_TOUCH_EVERY = timedelta(minutes=1)


def load_user_from_token(request: Request) -> User | None:
    """The `Authorization: Bearer` header's account; a token in the query string is never read (it ends up in
    logs and browser histories)."""
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    now = datetime.now(UTC)
    api_token = db.session.scalar(
        select(ApiToken).where(ApiToken.token_hash == ApiToken.hash(token.strip()), ApiToken.expires_at > now)
    )
    if api_token is None or not api_token.user.active:
        return None
    user = api_token.user
    if api_token.last_used_at is None or api_token.last_used_at < now - _TOUCH_EVERY:
        token_id = api_token.id
        # a transaction of its own whose first statement writes: SQLite cannot turn the reading one into a writer
        # once another request has written; and once a minute is enough to tell a token in use
        db.session.commit()
        db.session.execute(update(ApiToken).where(ApiToken.id == token_id).values(last_used_at=now))
        db.session.commit()
    g.authenticated_by_token = True
    return user
