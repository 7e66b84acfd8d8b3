"""Failed logins, counted in the database so every worker and app server shares them.

Two counters, with one rule each:

- **Per account** (`account:<username>`): after `LOGIN_LOCK_AFTER` failed logins in a row
  the account is locked for `LOGIN_LOCK_SECONDS`, doubled at each further failure, up to an
  hour; while locked, every attempt is refused (429) without its password being checked. A
  correct login clears the count; failures are forgotten a day after the first. This bounds
  guessing one account from anywhere to a handful of tries an hour.
- **Per client address** (`address:<ip>`): `LOGIN_RATE_LIMIT` failed logins (e.g. "10 per
  minute") from one address; past it, that address may only log in to accounts that have
  logged in from it before (a token was issued to that address). This stops one address
  trying a password on many accounts, while the colleagues of a site behind one mobile NAT,
  who log in from that address every day, still get in; only a login new to the address
  waits for the window to pass. The account rule above still holds for every account.

Every attempt is counted against its address before its password is checked, and the
count committed at once (`admit`), so workers checking passwords side by side cannot all pass
a limit that only one more attempt would reach; a correct login then gives its count back
(`record_success`). The account's count is taken after the check, so an attack spread over
W workers may get W - 1 guesses past `LOGIN_LOCK_AFTER` before the lock holds.
"""
from __future__ import annotations

import datetime as dt
import math
import re

from flask import current_app
from sqlalchemy import case, delete, literal, select, update
from sqlalchemy.dialects import postgresql, sqlite

from ..errors import ApiError
from ..extensions import db
from ..timestamps import UtcDateTime, utcnow
from .models import LoginCounter, Token, User

_UNITS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}
_LIMIT = re.compile(r"^\s*(\d+)\s*(?:per|/)\s*(\d+\s+)?(second|minute|hour|day)s?\s*$")
# How long an account's failures are remembered after the first of them.
ACCOUNT_WINDOW = dt.timedelta(days=1)
MAX_LOCK = dt.timedelta(hours=1)


def parse_limit(text: str) -> tuple[int, dt.timedelta]:
    """("10 per minute" | "10/minute" | "20 per 5 minutes") as (10, one minute)."""
    match = _LIMIT.match(text)
    if not match:
        raise ValueError(f"LOGIN_RATE_LIMIT must read like '10 per minute', not {text!r}")
    amount, count, unit = match.groups()
    return int(amount), dt.timedelta(seconds=int(count or 1) * _UNITS[unit])


def _account_key(username: str) -> str:
    return f"account:{username.casefold()[:100]}"


def _address_key(address: str | None) -> str:
    return f"address:{address or 'unknown'}"


def _too_many(wait: dt.timedelta, message: str) -> ApiError:
    seconds = max(1, math.ceil(wait.total_seconds()))
    return ApiError(429, message, "rate_limited", headers={"Retry-After": str(seconds)})


def _known_at(user: User | None, address: str | None) -> bool:
    """Whether `user` has logged in from `address` before."""
    if user is None or address is None:
        return False
    return db.session.execute(select(Token.id).where(
        Token.user_id == user.id, Token.address == address).limit(1)).first() is not None


def admit(user: User | None, username: str, address: str | None) -> ApiError | None:
    """Count a login attempt of `username` from `address`, then the 429 to answer it with,
    or None to go on and check its password. The caller commits the count at once on None,
    and rolls it back with a refusal (a refused attempt is not counted)."""
    now = utcnow()
    account = db.session.get(LoginCounter, _account_key(username))
    if account is not None and account.locked_until is not None and account.locked_until > now:
        return _too_many(account.locked_until - now,
                         "too many failed logins for this account; try again later")
    amount, window = parse_limit(current_app.config["LOGIN_RATE_LIMIT"])
    place = _count(_address_key(address), window, now)
    if place.failures > amount and not _known_at(user, address):
        return _too_many(place.window_start + window - now,
                         "too many failed logins from this address; try again later")
    return None


def _count(key: str, window: dt.timedelta, now: dt.datetime) -> LoginCounter:
    """Add one failure to counter `key` in one statement (an upsert, so workers racing on
    a new key neither fail nor lose a count), starting afresh once `window` has passed."""
    table = LoginCounter.__table__
    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    stale = table.c.window_start < now - window
    moment = literal(now, UtcDateTime())
    statement = dialect.insert(table).values(key=key, failures=1, window_start=now)
    statement = statement.on_conflict_do_update(index_elements=[table.c.key], set_={
        "failures": case((stale, 1), else_=table.c.failures + 1),
        "window_start": case((stale, moment), else_=table.c.window_start),
        "locked_until": case((stale, None), else_=table.c.locked_until)})
    db.session.execute(statement)
    return db.session.get(LoginCounter, key, populate_existing=True)


def record_failure(username: str) -> None:
    """Count a failed login against the account, locking it past `LOGIN_LOCK_AFTER` (the
    caller commits); the address counted the attempt already."""
    now = utcnow()
    account = _count(_account_key(username), ACCOUNT_WINDOW, now)
    over = account.failures - current_app.config["LOGIN_LOCK_AFTER"]
    if over >= 0:
        base = dt.timedelta(seconds=current_app.config["LOGIN_LOCK_SECONDS"])
        lock = min(base * 2 ** min(over, 20), MAX_LOCK)
        db.session.execute(update(LoginCounter).where(LoginCounter.key == account.key)
                           .values(locked_until=now + lock))


def record_success(username: str, address: str | None) -> None:
    """A correct login clears the account's failures and gives back the attempt counted
    against the address (the caller commits)."""
    db.session.execute(delete(LoginCounter).where(LoginCounter.key == _account_key(username)))
    counter = LoginCounter.__table__.c
    db.session.execute(update(LoginCounter).where(LoginCounter.key == _address_key(address))
                       .values(failures=case((counter.failures > 0, counter.failures - 1), else_=0)))
