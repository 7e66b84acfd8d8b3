"""Checking an uploaded PDF with a real parser: it must open, have pages, and hold nothing a
viewer would run (JavaScript, launch or submit actions, automatic actions, XFA forms)."""
from __future__ import annotations

import io
import warnings

from pypdf import PdfReader
from pypdf.errors import PyPdfError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

MAX_PAGES = 2000
# A document whose object graph is larger than this is not a site drawing or a letter.
MAX_OBJECTS = 200_000
# Keys that hold scripts or run something when the document is opened or a page is shown.
_ACTIVE_KEYS = frozenset({"/JS", "/JavaScript", "/AA", "/OpenAction", "/XFA", "/Launch"})
_ACTIVE_ACTIONS = frozenset({"/JavaScript", "/Launch", "/ImportData", "/SubmitForm",
                             "/RichMediaExecute", "/Rendition", "/GoToE"})


class Refused(ValueError):
    """The bytes are not a PDF this server serves."""


def _is_active(node: DictionaryObject) -> bool:
    """Whether a dictionary is or holds an action a viewer would run. An /OpenAction that
    only goes to a page (an array, or a /GoTo) is harmless and common."""
    for key in _ACTIVE_KEYS & set(node.keys()):
        if key != "/OpenAction":
            return True
        action = node[key].get_object()
        if isinstance(action, DictionaryObject) and action.get("/S") != "/GoTo":
            return True
    return node.get("/S") in _ACTIVE_ACTIONS


def _active_content(root) -> bool:
    """Walk every object reachable from the catalogue (streams are not decoded) and tell
    whether any of them is active."""
    seen: set[tuple[int, int]] = set()
    pending = [root]
    while pending:
        node = pending.pop()
        if isinstance(node, IndirectObject):
            key = (node.idnum, node.generation)
            if key in seen:
                continue
            seen.add(key)
            if len(seen) > MAX_OBJECTS:
                raise Refused("the PDF has too many objects")
            node = node.get_object()
        if isinstance(node, DictionaryObject):
            if _is_active(node):
                return True
            pending.extend(node.values())
        elif isinstance(node, ArrayObject):
            pending.extend(node)
    return False


def check(data: bytes) -> int:
    """The page count of a PDF that opens and holds nothing active, or Refused."""
    try:
        with warnings.catch_warnings():
            # pypdf warns about (and repairs) small faults of real-world files.
            warnings.simplefilter("ignore")
            reader = PdfReader(io.BytesIO(data), strict=False)
            if reader.is_encrypted:
                raise Refused("an encrypted PDF cannot be checked")
            pages = len(reader.pages)
            if not 1 <= pages <= MAX_PAGES:
                raise Refused(f"a PDF must have 1 to {MAX_PAGES} pages, not {pages}")
            if _active_content(reader.trailer.raw_get("/Root")):
                raise Refused("a PDF with scripts or actions is not allowed")
    except Refused:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError,
            RecursionError, OSError) as error:
        raise Refused(f"not a readable PDF ({type(error).__name__})") from None
    return pages
