"""Validation of identifiers, names and paging arguments shared by the attendance API."""
from __future__ import annotations

import base64
import binascii
import unicodedata

from edge_node.common.errors import InvalidArgument

MAX_ID_CHARS = 64
MAX_NAME_CHARS = 128
DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 1000


def check_person_id(person_id: str) -> str:
    """Person ids: 1-64 characters, no control characters, no surrounding white space."""
    if not person_id:
        raise InvalidArgument("person_id is required")
    if len(person_id) > MAX_ID_CHARS:
        raise InvalidArgument(f"person_id must be at most {MAX_ID_CHARS} characters (got {len(person_id)})")
    if person_id != person_id.strip():
        raise InvalidArgument("person_id must not start or end with white space")
    if any(unicodedata.category(ch) == "Cc" for ch in person_id):
        raise InvalidArgument("person_id must not contain control characters")
    return person_id


def check_display_name(name: str) -> str:
    """Display names: 1-128 characters of any script; NUL is refused."""
    if not name.strip():
        raise InvalidArgument("display_name is required")
    if len(name) > MAX_NAME_CHARS:
        raise InvalidArgument(f"display_name must be at most {MAX_NAME_CHARS} characters (got {len(name)})")
    if "\x00" in name:
        raise InvalidArgument("display_name must not contain NUL characters")
    return name


def page_size(requested: int) -> int:
    if requested == 0:
        return DEFAULT_PAGE_SIZE
    if not 1 <= requested <= MAX_PAGE_SIZE:
        raise InvalidArgument(f"page_size must be between 1 and {MAX_PAGE_SIZE}, or 0 for the default {DEFAULT_PAGE_SIZE} (got {requested})")
    return requested


def encode_token(kind: str, cursor: str) -> str:
    """An opaque page token carrying the listing's kind and the last key of the page."""
    return base64.urlsafe_b64encode(f"{kind}:{cursor}".encode()).decode()


def decode_token(kind: str, token: str) -> str | None:
    """The cursor inside a page token of this kind, None for the first page."""
    if not token:
        return None
    try:
        text = base64.b64decode(token.encode(), altchars=b"-_", validate=True).decode()
    except (binascii.Error, UnicodeError, ValueError):
        text = ""
    prefix, sep, cursor = text.partition(":")
    if prefix != kind or not sep or not cursor:
        raise InvalidArgument("page_token is not valid: pass the next_page_token of the previous page unchanged")
    return cursor
