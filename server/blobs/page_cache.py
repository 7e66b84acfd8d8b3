"""Rendered pages kept beside their blob, bounded in total size: the least recently used
go first.

A file's modification time is when it was last served (a hit touches it), so every worker
and app server sharing the blob folder sees the same order without a shared index. The
folder is scanned after each new render only: a render costs far more than listing the
few thousand files the bound allows.
"""
from __future__ import annotations

import logging
import os
from pathlib import Path

log = logging.getLogger(__name__)
# Rendered pages, named `<sha256>.page<n>.w<width>.png` two folders down (see routes._path).
PATTERN = "*/*/*.page*.w*.png"


def name(number: int, width: int) -> str:
    """The variant name of page `number` rendered `width` pixels wide."""
    return f"page{number}.w{width}.png"


def read(path: Path) -> bytes | None:
    """A cached render, marked as just used; None when not cached (or evicted meanwhile)."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    try:
        os.utime(path)
    except OSError:  # evicted as it was read: served all the same
        pass
    return data


def _entries(root: Path) -> list[tuple[float, int, Path]]:
    """(last used, size, path) of every cached render; files gone meanwhile left out."""
    entries = []
    for path in root.glob(PATTERN):
        try:
            stat = path.stat()
        except FileNotFoundError:
            continue
        entries.append((stat.st_mtime, stat.st_size, path))
    return entries


def bound(root: Path, limit_bytes: int, keep: Path) -> int:
    """Remove the least recently used renders until those left hold at most `limit_bytes`,
    never `keep` (the render just made); the bytes left."""
    entries = sorted(_entries(root))
    total = sum(size for _, size, _ in entries)
    for _, size, path in entries:
        if total <= limit_bytes:
            break
        if path == keep:
            continue
        try:
            path.unlink()
        except FileNotFoundError:  # another worker evicted it first
            pass
        except OSError as error:
            log.warning("could not evict cached page %s: %s", path, error)
            continue
        total -= size
    return total
