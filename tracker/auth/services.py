"""Accounts: creation, changes and authentication, with plain arguments and domain errors."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from functools import cache

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select
from werkzeug.security import check_password_hash, generate_password_hash

from tracker.areas.queries import UnknownArea, find_area
from tracker.auth.passwords import password_problem
from tracker.config import DEFAULT_TOKEN_DAYS
from tracker.extensions import db
from tracker.models import EXPORTER, OFFICER, ROLES, ApiToken, Area, Exporter, User
from tracker.revisions import Change, record_changes

ACCOUNTS = "users"  # the revisions' table name for account changes, keyed by email


class AccountError(ValueError):
    pass


class PasswordRefused(AccountError):
    """The new password breaks the rules of `tracker.auth.passwords`."""


def authenticate(email: str, password: str) -> User | None:
    """The account for the email and password, or None; an unknown email costs the same hash check as a known
    one, so the time taken does not tell which accounts exist."""
    user = find_user(email)
    if user is None:
        check_password_hash(_dummy_hash(), password)
        return None
    if not user.check_password(password) or not user.active:
        return None
    return user


@cache
def _dummy_hash() -> str:
    return generate_password_hash("no account has this password")


def find_user(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


def create_user(
    email: str,
    password: str,
    role: str,
    *,
    name: str = "",
    area_codes: Sequence[str] = (),
    exporter_name: str | None = None,
    language: str | None = None,
    by: User | None = None,
    source: str = "cli",
) -> User:
    """A new account; officers need areas, exporters need their exporter. `by` (None: the command line) is who
    created it, for the revision."""
    email = email.strip().lower()
    if "@" not in email:
        raise AccountError(_l("Not an email address: %(email)s", email=email))
    if find_user(email) is not None:
        raise AccountError(_l("A user with the email %(email)s already exists.", email=email))
    _check_password(password)
    areas, exporter = _scope(role, area_codes, exporter_name)
    user = User(email=email, name=name or email.split("@")[0], role=role, areas=areas, exporter=exporter,
                language=language, active=True)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    _record(user, None, _account_text(user), "created", by, source)
    return user


def update_user(
    user: User,
    *,
    name: str,
    role: str,
    area_codes: Sequence[str],
    exporter_name: str | None,
    active: bool,
    password: str | None = None,
    by: User | None = None,
    source: str = "cli",
) -> User:
    """Change an account's role, scope and state, under the same rules as creation; a revision says what changed."""
    areas, exporter = _scope(role, area_codes, exporter_name)
    if password:
        _check_password(password)
        user.set_password(password)
    before = _account_text(user)
    deactivated = user.active and not active
    what = [field for field, old, new in (
        ("name", user.name, name), ("role", user.role, role), ("areas", _codes(user.areas), _codes(areas)),
        ("exporter", user.exporter, exporter)) if old != new]
    if user.active != active:
        what.append("deactivated" if deactivated else "reactivated")
    if password:
        what.append("password reset")
    user.name, user.role, user.areas, user.exporter, user.active = name, role, areas, exporter, active
    if password or deactivated:
        end_sessions(user)
    db.session.flush()
    if what:
        _record(user, before, _account_text(user), ", ".join(what), by, source)
    return user


def issue_token(user: User, lifetime: timedelta = timedelta(days=DEFAULT_TOKEN_DAYS)) -> str:
    """Store a new token's hash and return the token, which is never stored."""
    token, plain = ApiToken.issue(user, lifetime)
    db.session.add(token)
    db.session.flush()
    return plain


def change_password(user: User, current: str, new: str) -> None:
    """A new password ends the account's sessions and revokes its tokens; the view opens its own session anew."""
    if not user.check_password(current):
        raise AccountError(_l("The current password is wrong."))
    _check_password(new)
    user.set_password(new)
    end_sessions(user)
    db.session.flush()
    text = _account_text(user)
    _record(user, text, text, "password changed", user, "form")


def end_sessions(user: User) -> None:
    """Every session opened so far stops working at its next request, and every API token is revoked."""
    user.session_version += 1
    db.session.execute(delete(ApiToken).where(ApiToken.user_id == user.id))
    db.session.expire(user, ["tokens"])
    db.session.flush()


def revoke_token(user: User, token_id: int) -> bool:
    """Delete one of the user's own tokens; False when it is not theirs."""
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != user.id:
        return False
    db.session.delete(token)
    db.session.flush()
    return True


def _codes(areas: Sequence[Area]) -> list[str]:
    return sorted(area.code for area in areas)


def _account_text(user: User) -> str:
    """What an account is, as its revisions show it: "Sato; officer; areas 130001 131016; active"."""
    parts = [user.name, user.role]
    if user.areas:
        parts.append("areas " + " ".join(_codes(user.areas)))
    if user.exporter is not None:
        parts.append(f"exporter {user.exporter.name}")
    parts.append("active" if user.active else "inactive")
    return "; ".join(parts)


def _record(user: User, old: str | None, new: str, note: str, by: User | None, source: str) -> None:
    record_changes(ACCOUNTS, [Change(user.email, old, new, note)], source=source, user_id=by.id if by else None)


def _check_password(password: str) -> None:
    problem = password_problem(password)
    if problem is not None:
        raise PasswordRefused(problem)


def _scope(role: str, area_codes: Sequence[str], exporter_name: str | None) -> tuple[list[Area], Exporter | None]:
    if role not in ROLES:
        raise AccountError(_l("Unknown role %(role)s: choose one of %(roles)s.", role=role, roles=", ".join(ROLES)))
    areas = [_area(code) for code in area_codes]
    if role == OFFICER and not areas:
        raise AccountError(_l("An officer needs at least one area."))
    if role != EXPORTER:
        return areas, None
    if not exporter_name:
        raise AccountError(_l("An exporter account needs its exporter."))
    exporter = db.session.scalar(select(Exporter).where(Exporter.name == exporter_name))
    if exporter is None:
        raise AccountError(_l("Unknown exporter: %(name)s", name=exporter_name))
    return areas, exporter


def _area(code: str) -> Area:
    try:
        return find_area(code)
    except UnknownArea as error:
        raise AccountError(*error.args) from None
