"""Password hashing with Argon2id (argon2-cffi), and the rules a new password must meet.

The rules follow NIST SP 800-63B (§3.1.1.2, rev. 4): a length floor, a check against
passwords that are common or easy to guess, nothing about which kinds of characters a
password holds, and no password that is (or holds) the username.

- At least 8 characters: the floor SP 800-63B sets for a password chosen by its user. Site
  staff type it on a phone, often with gloves; throttled logins (server/accounts/throttle.py)
  and the guessability check below do what a longer floor would, and a deployment that wants
  the 15 of rev. 4 for single-factor logins can ask its users for more.
- At most 256 characters: Argon2 hashes any length, this only bounds the work of one request.
- Guessability from zxcvbn (Dropbox's estimator, kept on PyPI): its lists of passwords
  found in leaks, common words and names, and its patterns (keyboard walks, sequences,
  repeats, dates), with the username as a word an attacker would try first. Under a million
  estimated guesses is refused: that is what a throttled online attacker could still try.

New hashes take the parameters of one of argon2-cffi's profiles, named by the setting
`PASSWORD_HASH_PROFILE`: by default RFC 9106's second recommendation (`RFC_9106_LOW_MEMORY`:
64 MiB, 3 passes, 4 lanes). A hash is checked with the parameters it was made with, so a
change of profile leaves every stored password working. The test suite names `CHEAPEST`, which
argon2-cffi gives for tests, so that its thousands of logins do not each cost a third of a second.
"""
from functools import cache

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from zxcvbn import zxcvbn

from ..errors import ApiError

MIN_LENGTH = 8
MAX_LENGTH = 256
# zxcvbn refuses longer input; a password's guesses are at least its prefix's.
_ESTIMATED_PREFIX = 72
# zxcvbn's score 2: at least 10^6 estimated guesses.
_MIN_SCORE = 2

PROFILES = ("RFC_9106_LOW_MEMORY", "RFC_9106_HIGH_MEMORY", "CHEAPEST")


@cache
def hasher(profile: str) -> tuple[PasswordHasher, str]:
    """The hasher of an argon2-cffi profile, and a hash it made that the check of an unknown
    username verifies against, so both paths cost the same time."""
    if profile not in PROFILES:
        raise ValueError(f"PASSWORD_HASH_PROFILE must be one of {', '.join(PROFILES)}, not {profile!r}")
    made = PasswordHasher.from_parameters(getattr(profiles, profile))
    return made, made.hash("gridline-timing-equaliser")


def _configured() -> tuple[PasswordHasher, str]:
    return hasher(current_app.config["PASSWORD_HASH_PROFILE"])


def hash_password(password: str) -> str:
    """An Argon2id hash of `password`."""
    return _configured()[0].hash(password)


def check_password(password_hash: str | None, password: str) -> bool:
    """Whether `password` matches `password_hash` (a missing hash never matches)."""
    made, dummy = _configured()
    try:
        return made.verify(password_hash or dummy, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def password_problems(password: str, username: str) -> list[str]:
    """Why `password` may not be set for `username` (empty when it may)."""
    if len(password) < MIN_LENGTH:
        return [f"at least {MIN_LENGTH} characters"]
    if len(password) > MAX_LENGTH:
        return [f"at most {MAX_LENGTH} characters"]
    if username and username.casefold() in password.casefold():
        return ["must not contain the username"]
    if zxcvbn(password[:_ESTIMATED_PREFIX], user_inputs=[username])["score"] < _MIN_SCORE:
        return ["too common or too easy to guess; try a few unrelated words"]
    return []


def require_good_password(password: str, username: str, field: str = "password") -> None:
    """ApiError 422 naming `field` unless `password` may be set for `username`."""
    problems = password_problems(password, username)
    if problems:
        raise ApiError(422, "this password may not be used", "invalid", {field: problems})
