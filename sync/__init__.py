"""Gridline's sync engine: clocks, field kinds, merge, push results and pull cursors.

Pure Python with no web framework or database imports: the server adapts it to its
database through the `Store` and `Policy` interfaces in `sync.store`.
"""
from .engine import SERVER_CLIENT_ID, BatchMalformed, DeviceOwnedByOther, push, write_by_server
from .errors import ClockFormatError, MutationRejected, SyncError
from .hlc import MAX_DRIFT_MS, Hlc, clamp_hlc, parse_hlc
from .pull import Change, CursorError, PullPage, ResyncRequired, pull
from .records import FieldKind, RecordType, Registry, StateMachine
from .state import (ConflictEntry, DeviceState, HistoryEntry, Reaction, RecordState,
                    RejectedEntry)

__all__ = [
    "BatchMalformed", "Change", "ClockFormatError", "ConflictEntry", "CursorError",
    "DeviceOwnedByOther", "DeviceState", "FieldKind", "HistoryEntry", "Hlc", "MAX_DRIFT_MS",
    "MutationRejected", "PullPage", "Reaction", "RecordState", "RecordType", "Registry", "RejectedEntry",
    "ResyncRequired", "SERVER_CLIENT_ID", "StateMachine", "SyncError", "clamp_hlc", "parse_hlc",
    "pull", "push", "write_by_server",
]
