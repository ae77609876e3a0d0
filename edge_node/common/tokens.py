"""Secrets on disk: the admin token (generated once, kept in a 0600 file) and the people's tokens (digests only)."""
from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import secrets
import threading
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path

from edge_node.common.errors import AlreadyExists, InvalidArgument, NotFound

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


def file_stamp(path: Path) -> tuple[int, int, int] | None:
    """What changes when a file is rewritten (mtime, size, inode); None when it does not exist."""
    try:
        info = path.stat()
    except OSError:
        return None
    return info.st_mtime_ns, info.st_size, info.st_ino


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
        return file_stamp(self._path)

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


ROLE_NAMES = ("kiosk", "viewer", "manager", "admin")
# The admin token of admin.token (or server.admin_token) is the admin token of this name.
ADMIN_NAME = "admin"
# The people's tokens, next to admin.token in the data directory (the hub's: hub-tokens.json).
TOKENS_FILE = "tokens.json"
HUB_TOKENS_FILE = "hub-tokens.json"
_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$")


def token_digest(token: str) -> str:
    """SHA-256 of a token, hex: what is stored and compared (tokens are 256-bit random, so no slow hash)."""
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class PersonToken:
    """One person's token as stored: never the token itself, only its digest."""

    name: str
    role: str
    digest: str
    created: str


class TokenBook:
    """The people's tokens of a node (or a hub): a 0600 JSON file of names, roles and SHA-256 digests."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def entries(self) -> list[PersonToken]:
        """Every token, by name; none when the file does not exist yet."""
        try:
            data = json.loads(self.path.read_text())
        except FileNotFoundError:
            return []
        except (OSError, ValueError) as exc:
            raise InvalidArgument(f"{self.path} is not a readable token list ({exc}); restore it or remove it") from None
        return sorted((PersonToken(**item) for item in data.get("tokens", [])), key=lambda t: t.name)

    def add(self, name: str, role: str) -> str:
        """Make a token for `name` with `role`; return it (it is shown once and only its digest is kept)."""
        if not _NAME_RE.match(name) or name == ADMIN_NAME:
            raise InvalidArgument(f"token name {name!r}: 1-64 letters, digits, '.', '_', '@' or '-', not starting with "
                                  f"a sign, and not {ADMIN_NAME!r} (that one is admin.token; rotate it with `edge-node "
                                  "token --rotate`)")
        if role not in ROLE_NAMES:
            raise InvalidArgument(f"role {role!r} is not one of {', '.join(ROLE_NAMES)}")
        entries = self.entries()
        if any(t.name == name for t in entries):
            raise AlreadyExists(f"a token named {name!r} exists; revoke it first (`edge-node token revoke {name}`)")
        token = new_token()
        created = datetime.now(timezone.utc).isoformat(timespec="seconds")
        self._write([*entries, PersonToken(name, role, token_digest(token), created)])
        return token

    def revoke(self, name: str) -> None:
        """Forget `name`'s token; a running node refuses it from its next call."""
        entries = self.entries()
        if not any(t.name == name for t in entries):
            raise NotFound(f"no token named {name!r} (see `edge-node token list`)")
        self._write([t for t in entries if t.name != name])

    def _write(self, entries: list[PersonToken]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        staged = self.path.with_suffix(".tmp")
        write_private(staged, json.dumps({"tokens": [asdict(t) for t in entries]}, indent=1) + "\n")
        os.replace(staged, self.path)
