"""Short codes: eight characters derived from a record's id, printed under its QR code and
typed into the app when there is no camera to scan with.

The alphabet leaves out what is misread on a dusty label (0/O, 1/I/L), so 31 characters
remain; eight of them tell 31**8 ≈ 8.5 × 10**11 codes apart, and a project's thousands of
records meet a repeat with odds far below one in a million. A lookup naming two records
lists both rather than pick one. The PWA derives codes the same way (pwa/js/sync/short_code.js),
so a typed code is found offline among the records the phone holds.
"""
from __future__ import annotations

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
LENGTH = 8


def short_code(record_id: str) -> str:
    """The record's code: the last 16 hex digits of its id, as 8 digits base 31."""
    number = int(record_id.replace("-", "")[-16:], 16) % len(ALPHABET) ** LENGTH
    digits = []
    for _ in range(LENGTH):
        number, digit = divmod(number, len(ALPHABET))
        digits.append(ALPHABET[digit])
    return "".join(reversed(digits))


def normalise(typed: str) -> str:
    """A typed code as codes are compared: upper case, without spaces and dashes."""
    return typed.upper().replace("-", "").replace(" ", "")


def printed(code: str) -> str:
    """A code as printed: two groups of four, easier to read out."""
    return f"{code[:4]}-{code[4:]}"
