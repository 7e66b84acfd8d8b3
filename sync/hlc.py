"""Hybrid logical clock strings and the server-side clamp.

An hlc is `PPPPPPPPPPPPPPP:CCCCC:<client_id>`: 15-digit zero-padded Unix milliseconds,
a 5-digit counter, then the device's client id. Zero padding makes plain string
comparison equal to (physical, counter, client_id) ordering, so the engine compares
hlc strings directly.

The clamp (protocol, "Ids and clocks"): a device whose clock runs ahead would win every
last-writer-wins race until real time caught up. The server therefore caps the physical
part at its own clock plus `MAX_DRIFT_MS`, and keeps the original hlc in history.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .errors import ClockFormatError

MAX_DRIFT_MS = 60_000
_HLC = re.compile(r"\A([0-9]{15}):([0-9]{5}):([0-9a-fA-F-]{1,64})\Z")


@dataclass(frozen=True, slots=True)
class Hlc:
    """A parsed hybrid logical clock value."""

    physical: int
    counter: int
    client_id: str

    def __str__(self) -> str:
        return f"{self.physical:015d}:{self.counter:05d}:{self.client_id}"


def parse_hlc(text: object) -> Hlc:
    """Parse an hlc string, raising ClockFormatError when it is malformed."""
    if not isinstance(text, str):
        raise ClockFormatError("hlc must be a string")
    match = _HLC.match(text)
    if not match:
        raise ClockFormatError("hlc must look like PPPPPPPPPPPPPPP:CCCCC:<client_id>")
    return Hlc(int(match.group(1)), int(match.group(2)), match.group(3))


def clamp_hlc(text: str, now_ms: int, max_drift_ms: int = MAX_DRIFT_MS, *,
              parsed: Hlc | None = None) -> tuple[str, bool]:
    """Return (effective hlc, clamped?) with the physical part capped at now + drift
    (`parsed`: `text` already parsed)."""
    value = parsed or parse_hlc(text)
    limit = now_ms + max_drift_ms
    if value.physical <= limit:
        return text, False
    return str(Hlc(limit, value.counter, value.client_id)), True
