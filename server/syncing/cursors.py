"""Pull cursors signed for the user and device they were given to.

The engine's cursor (sync.pull) says how far a device has synced and for which projects;
a client could write one naming any project, and the next pull would evict that
project's records by name. So the server hands out `<cursor>.<key id>.<signature>`: an
HMAC-SHA256 (RFC 2104) of the cursor, the user and the client_id under the app's
SECRET_KEY. A cursor comes back only to the user and device it was given to, as it was.
"""
from __future__ import annotations

import base64
import hashlib
import hmac

from flask import current_app

import sync
from sync.pull import decode_cursor


class CursorOfOtherKey(sync.SyncError):
    """A cursor signed under another SECRET_KEY, or one from before cursors were signed:
    the device starts over (HTTP 410 resync)."""


def _b64(raw: bytes) -> str:
    """base64url without padding (a cursor travels in a query string)."""
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _key() -> bytes:
    """The cursors' own key, derived from SECRET_KEY (which also serves other uses)."""
    secret = current_app.config["SECRET_KEY"].encode()
    return hashlib.sha256(b"gridline pull cursor\0" + secret).digest()


def _key_id(key: bytes) -> str:
    """A short name of the key (not the key): tells a key change from a forgery."""
    return _b64(hmac.new(key, b"key id", hashlib.sha256).digest()[:6])


def _signature(key: bytes, cursor: str, user_id: str, client_id: str) -> str:
    message = "\0".join((cursor, user_id, client_id.lower())).encode()
    return _b64(hmac.new(key, message, hashlib.sha256).digest()[:18])


def sign(cursor: str, user_id: str, client_id: str) -> str:
    """The cursor as the server hands it out to `user_id` on `client_id`."""
    key = _key()
    return f"{cursor}.{_key_id(key)}.{_signature(key, cursor, user_id, client_id)}"


def verify(text: str | None, user_id: str, client_id: str) -> str | None:
    """The engine's cursor inside `text` (None: from the start).

    CursorOfOtherKey when it is unsigned or signed under another key; sync.CursorError
    when its signature does not match (forged, or another user's or device's)."""
    if not text:
        return None
    cursor, _, rest = text.partition(".")
    key_id, _, signature = rest.partition(".")
    if not rest:
        decode_cursor(cursor)  # garbage is 400, an old cursor starts over
        raise CursorOfOtherKey("this cursor is from before cursors were signed; start over")
    key = _key()
    if key_id != _key_id(key):
        raise CursorOfOtherKey("this cursor was signed under another key; start over")
    if not hmac.compare_digest(signature, _signature(key, cursor, user_id, client_id)):
        raise sync.CursorError("cursor is not one this server gave this device")
    return cursor
