"""How Flask-Login finds the user: the session cookie for pages, a bearer token for the API."""

from datetime import UTC, datetime

from flask import Request
from flask_babel import lazy_gettext as _l
from flask_login import LoginManager
from sqlalchemy import select

from tracker.extensions import db
from tracker.models import ApiToken, User


def register_user_loaders(login_manager: LoginManager) -> None:
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please log in to see this page.")
    login_manager.login_message_category = "info"
    login_manager.user_loader(load_user)
    login_manager.request_loader(load_user_from_token)


def load_user(user_id: str) -> User | None:
    user = db.session.get(User, int(user_id)) if user_id.isdigit() else None
    return user if user is not None and user.active else None


def load_user_from_token(request: Request) -> User | None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    api_token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == ApiToken.hash(token.strip())))
    if api_token is None or not api_token.user.active:
        return None
    api_token.last_used_at = datetime.now(UTC)
    db.session.commit()
    return api_token.user
