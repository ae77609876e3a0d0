"""Secrets on disk: generated once, kept in 0600 files."""
from __future__ import annotations

import logging
import os
import secrets
import threading
from pathlib import Path

from edge_node.common.errors import InvalidArgument

log = logging.getLogger(__name__)
# An admin token shorter than this is refused (new_token makes 43 characters).
MIN_TOKEN_CHARS = 24


def load_or_create_token(path: Path) -> tuple[str, bool]:
    """The token stored at `path`, creating a new random one (mode 0600) if missing; (token, created)."""
    if path.exists():
        token = path.read_text().strip()
        if token:
            check_strength(token, path)
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


def check_strength(token: str, where: object) -> None:
    """Refuse a token too short to be a secret (InvalidArgument naming where it came from)."""
    if len(token) < MIN_TOKEN_CHARS:
        raise InvalidArgument(f"the admin token in {where} is too short ({len(token)} characters; at least "
                              f"{MIN_TOKEN_CHARS}); make one with `edge-node token --rotate`")


class TokenFile:
    """The admin token as its file says now: re-read when the file changes, so a rotated token takes
    effect without a restart and the old one stops working. A new token that is missing or too short is
    refused (logged) and the previous one stays in force."""

    def __init__(self, path: Path, token: str) -> None:
        self._path = path
        self._token = token
        self._seen = self._stamp()
        self._lock = threading.Lock()

    def _stamp(self) -> tuple[int, int, int] | None:
        try:
            info = self._path.stat()
        except OSError:
            return None
        return info.st_mtime_ns, info.st_size, info.st_ino

    def __call__(self) -> str:
        stamp = self._stamp()
        if stamp != self._seen and stamp is not None:
            with self._lock:
                self._seen = stamp
                self._reload()
        return self._token

    def _reload(self) -> None:
        try:
            token = self._path.read_text().strip()
            check_strength(token, self._path)
        except (OSError, InvalidArgument) as exc:
            log.error("admin token not rotated, the previous one stays valid: %s", exc)
            return
        if token != self._token:
            self._token = token
            log.info("admin token rotated (read again from %s)", self._path)
