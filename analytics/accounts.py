"""Dashboard accounts: users with roles, passwords hashed with Argon2 (argon2-cffi), and sign-in sessions
that expire. An administrator sees every school and manages users; an adviser sees their schools; a
teacher sees their own classes. :class:`Scope` is what a user may see, applied to every query."""

from __future__ import annotations

import functools
import hashlib
import re
import secrets
import time
from dataclasses import dataclass

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy.engine import Engine

from analytics.models import LoginSession, User
from settings.schools import CLASS_CODE

# A safeguarding lead (the school's DSL) sees their schools' conversations like an adviser, and is the
# only role besides an administrator to see messages that signalled a risk.
ROLES = ("admin", "adviser", "safeguarding", "teacher")
SEES_RISK = ("admin", "safeguarding")
SESSION_HOURS = 8  # a school day; signing in again after that is cheap
USERNAME = re.compile(r"^[A-Za-z0-9._@-]{3,80}$")
MIN_PASSWORD = 10
_hasher = PasswordHasher()


@functools.cache
def _dummy_hash() -> str:
    """A hash to check unknown usernames against, so that they take as long as known ones; made on
    the first sign-in rather than whenever this module is imported."""
    return _hasher.hash("not a real password, for timing")


class AccountError(ValueError):
    """A user could not be created or changed; the message says why, for the person doing it."""


@dataclass(frozen=True)
class Scope:
    """What a user may see: None means no limit (an administrator)."""

    schools: frozenset[str] | None
    classes: frozenset[str] | None

    def allows(self, school: str | None = None, class_code: str | None = None) -> bool:
        if school and self.schools is not None and school not in self.schools:
            return False
        return not (class_code and self.classes is not None and class_code not in self.classes)


@dataclass(frozen=True)
class Account:
    id: int
    username: str
    role: str
    schools: tuple[str, ...]
    classes: tuple[str, ...]

    @property
    def sees_risk(self) -> bool:
        return self.role in SEES_RISK

    @property
    def scope(self) -> Scope:
        if self.role == "admin":
            return Scope(None, None)
        if self.role in ("adviser", "safeguarding"):
            return Scope(frozenset(self.schools), None)
        return Scope(frozenset(self.schools), frozenset(self.classes))


def _split(text: str) -> tuple[str, ...]:
    return tuple(x for x in (t.strip() for t in text.split(",")) if x)


def _account(user: sa.engine.Row) -> Account:
    return Account(user.id, user.username, user.role, _split(user.schools), _split(user.classes))


def create_user(
    engine: Engine,
    username: str,
    password: str,
    role: str,
    schools: list[str] | tuple[str, ...] = (),
    classes: list[str] | tuple[str, ...] = (),
) -> Account:
    """Add a user; raises :class:`AccountError` naming what is wrong."""
    problems = []
    if not USERNAME.match(username):
        problems.append("a username is 3 to 80 letters, digits or . _ @ -")
    if len(password) < MIN_PASSWORD:
        problems.append(f"a password needs at least {MIN_PASSWORD} characters")
    if role not in ROLES:
        problems.append(f"the role must be one of {', '.join(ROLES)}")
    if role != "admin" and not schools:
        problems.append(f"a{'n' if role == 'adviser' else ''} {role} user needs at least one school")
    if role == "teacher" and not classes:
        problems.append("a teacher needs at least one class code")
    bad_codes = [c for c in classes if not CLASS_CODE.match(c)]
    if bad_codes:
        problems.append(f"class codes are letters, digits and hyphens: {', '.join(bad_codes)}")
    if problems:
        raise AccountError("; ".join(problems))
    with engine.begin() as conn:
        taken = conn.execute(sa.select(User.id).where(User.username == username)).first()
        if taken:
            raise AccountError(f"the username {username} is taken")
        user_id = conn.execute(
            sa.insert(User).values(
                username=username,
                password_hash=_hasher.hash(password),
                role=role,
                schools=",".join(schools),
                classes=",".join(c.upper() for c in classes),
            )
        ).inserted_primary_key[0]
    return Account(user_id, username, role, tuple(schools), tuple(c.upper() for c in classes))


def list_users(engine: Engine) -> list[Account]:
    with engine.connect() as conn:
        return [_account(u) for u in conn.execute(sa.select(User).order_by(User.username)).all()]


def delete_user(engine: Engine, user_id: int) -> None:
    with engine.begin() as conn:
        conn.execute(sa.delete(LoginSession).where(LoginSession.user_id == user_id))
        conn.execute(sa.delete(User).where(User.id == user_id))


def authenticate(engine: Engine, username: str, password: str) -> Account | None:
    """The account if the password is right; None otherwise (taking as long either way)."""
    with engine.connect() as conn:
        user = conn.execute(sa.select(User).where(User.username == username)).first()
    try:
        _hasher.verify(user.password_hash if user else _dummy_hash(), password)
    except (VerificationError, InvalidHashError):
        return None
    return _account(user) if user else None


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(engine: Engine, account: Account, now: float | None = None) -> tuple[str, str]:
    """A new session for ``account``: (the cookie's token, the session's CSRF token)."""
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(24)
    expires = (now or time.time()) + SESSION_HOURS * 3600
    with engine.begin() as conn:
        conn.execute(sa.delete(LoginSession).where(LoginSession.expires_at < (now or time.time())))
        conn.execute(
            sa.insert(LoginSession).values(
                token_hash=_token_hash(token), user_id=account.id, expires_at=expires, csrf=csrf
            )
        )
    return token, csrf


def session_account(
    engine: Engine, token: str | None, now: float | None = None
) -> tuple[Account, str] | None:
    """The signed-in account and its CSRF token for a cookie's token; None if unknown or expired."""
    if not token:
        return None
    with engine.connect() as conn:
        found = conn.execute(
            sa.select(User.id, User.username, User.role, User.schools, User.classes, LoginSession.csrf)
            .join(LoginSession, LoginSession.user_id == User.id)
            .where(LoginSession.token_hash == _token_hash(token))
            .where(LoginSession.expires_at > (now or time.time()))
        ).first()
    return (_account(found), found.csrf) if found else None


def end_session(engine: Engine, token: str | None) -> None:
    if token:
        with engine.begin() as conn:
            conn.execute(sa.delete(LoginSession).where(LoginSession.token_hash == _token_hash(token)))
