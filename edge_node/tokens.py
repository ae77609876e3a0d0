"""Secrets on disk: generated once, kept in 0600 files."""
from __future__ import annotations

import os
import secrets
from pathlib import Path


def load_or_create_token(path: Path) -> tuple[str, bool]:
    """The token stored at `path`, creating a new random one (mode 0600) if missing; (token, created)."""
    if path.exists():
        token = path.read_text().strip()
        if token:
            return token, False
    path.parent.mkdir(parents=True, exist_ok=True)
    token = new_token()
    write_private(path, token + "\n")
    return token, True


def new_token() -> str:
    """A random 43-character URL-safe secret that never starts with '-' (so `--token TOKEN` always parses)."""
    while True:
        token = secrets.token_urlsafe(32)
        if not token.startswith("-"):
            return token


def write_private(path: Path, content: str | bytes) -> None:
    """Write a file that is mode 0600 from the moment it exists (never readable by others)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(content.encode() if isinstance(content, str) else content)
    os.chmod(path, 0o600)  # an existing file keeps its old mode through O_CREAT
