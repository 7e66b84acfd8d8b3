"""Typed errors raised by the sync engine."""


class SyncError(Exception):
    """Base class of every error the engine raises."""


class ClockFormatError(SyncError):
    """An hlc string that does not follow `PPPPPPPPPPPPPPP:CCCCC:<client_id>`."""


class MutationRejected(SyncError):
    """A mutation that must be rejected with a protocol error code; nothing is written."""

    def __init__(self, code: str, message: str, fields: dict | None = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.fields = fields or {}

    def as_error(self) -> dict:
        """The protocol's error object."""
        return {"code": self.code, "message": self.message, "fields": self.fields}
