"""Who a bearer token belongs to: the admin token and the people's tokens, looked up by digest in one dict."""
from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from typing import Callable

from edge_node.common.errors import InvalidArgument
from edge_node.rpc.roles import ADMIN, BY_NAME
from edge_node.common.tokens import ADMIN_NAME, TokenBook, file_stamp, token_digest

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Caller:
    """The owner of the token a call carried, and its role."""

    name: str
    role: int


class AccessList:
    """Maps a token to its Caller in O(1): SHA-256 of the token, then one dict lookup. The dict is rebuilt
    when the admin token or the token file changes (a revoked token stops working at its next call); a
    token file that cannot be read keeps the previous list in force (logged)."""

    def __init__(self, admin_token: Callable[[], str], book: TokenBook | None = None) -> None:
        self._admin_token = admin_token
        self._book = book
        self._lock = threading.Lock()
        self._seen: tuple[str, tuple[int, int, int] | None] | None = None
        self._by_digest: dict[str, Caller] = {}
        self._refresh()

    def _refresh(self) -> None:
        admin = self._admin_token()
        seen = (admin, file_stamp(self._book.path) if self._book else None)
        if seen == self._seen:
            return
        with self._lock:
            people = {d: c for d, c in self._by_digest.items() if c.name != ADMIN_NAME}
            try:
                entries = self._book.entries() if self._book else []
                people = {t.digest: Caller(t.name, BY_NAME[t.role]) for t in entries if t.role in BY_NAME}
            except InvalidArgument as exc:
                log.error("token list not reloaded, the previous one stays in force: %s", exc)
            people[token_digest(admin)] = Caller(ADMIN_NAME, ADMIN)
            self._by_digest, self._seen = people, seen

    def __call__(self, token: str) -> Caller | None:
        """The token's owner, or None for a token that is not (or no longer) valid."""
        self._refresh()
        return self._by_digest.get(token_digest(token))
