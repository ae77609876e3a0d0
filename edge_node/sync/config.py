"""The `[sync]` section: whether and how this node talks to the hub."""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from edge_node.common.addresses import check_listen, is_loopback
from edge_node.common.errors import InvalidArgument

NODE_ID_RE = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


@dataclass(frozen=True)
class SyncConfig:
    enabled: bool = False
    # The hub's HOST:PORT.
    hub: str = ""
    # This node's id on the hub (`edge-node hub add-node NODE_ID` prints its token).
    node_id: str = ""
    # The node token; empty means "<data_dir>/sync.token".
    token: str = ""
    # TLS to the hub: always unless the hub is on loopback (then with tls = true), or insecure = true.
    # tls_ca is a PEM file of the CA that signed the hub's certificate; empty means the hub's own CA,
    # pinned the first time this box reaches it (in <data_dir>/known_hubs), which must have the
    # fingerprint tls_fingerprint when one is given (`edge-node hub add-node` prints it).
    tls: bool = False
    tls_ca: str = ""
    tls_fingerprint: str = ""
    insecure: bool = False
    # Events per PushEvents call; a backlog is sent batch after batch, then the worker waits `interval_seconds`.
    batch_size: int = 500
    interval_seconds: float = 5.0
    # Retries after a failure wait a random time up to min(backoff_max, backoff_initial * 2^failures).
    backoff_initial_seconds: float = 1.0
    backoff_max_seconds: float = 60.0
    rpc_timeout_seconds: float = 30.0
    # Events acknowledged by the hub and older than this are deleted locally; unsynced ones never are.
    retention_days: float = 90.0
    roster_page_size: int = 200
    # The other boxes of this site (their node ids): their punches, learnt from the hub, decide IN/OUT here
    # and enter this box's timecards. Empty means every other box on the hub is one site with this one.
    site_nodes: tuple[str, ...] = ()
    # Other boxes' punches per PullSitePunches call.
    site_page_size: int = 1000

    def validate(self) -> None:
        if not self.enabled:
            return
        check_listen("sync.hub", self.hub)
        if self.insecure and (self.tls or self.tls_ca):
            raise InvalidArgument("sync.insecure = true turns TLS off: drop it, or drop sync.tls/tls_ca")
        if not NODE_ID_RE.match(self.node_id):
            raise InvalidArgument("sync.node_id must be 1-64 letters, digits, '.', '_' or '-'")
        if not 1 <= self.batch_size <= 5000:
            raise InvalidArgument("sync.batch_size must be between 1 and 5000")
        if not 1 <= self.roster_page_size <= 1000:
            raise InvalidArgument("sync.roster_page_size must be between 1 and 1000")
        if not 1 <= self.site_page_size <= 5000:
            raise InvalidArgument("sync.site_page_size must be between 1 and 5000")
        for other in self.site_nodes:
            if not NODE_ID_RE.match(other) or other == self.node_id:
                raise InvalidArgument(f"sync.site_nodes: {other!r} must be another box's node id (1-64 letters, "
                                      "digits, '.', '_' or '-')")
        for name in ("interval_seconds", "backoff_initial_seconds", "backoff_max_seconds", "rpc_timeout_seconds"):
            if not 0.01 <= getattr(self, name) <= 86400:
                raise InvalidArgument(f"sync.{name} must be between 0.01 and 86400")
        if self.backoff_max_seconds < self.backoff_initial_seconds:
            raise InvalidArgument("sync.backoff_max_seconds must be at least sync.backoff_initial_seconds")
        if self.retention_days < 1:
            raise InvalidArgument("sync.retention_days must be at least 1")

    def token_path(self, data_dir: Path) -> Path:
        return data_dir / "sync.token"

    @property
    def uses_tls(self) -> bool:
        return self.tls or bool(self.tls_ca) or not (self.insecure or is_loopback(self.hub))

    @property
    def plaintext_beyond_loopback(self) -> bool:
        return self.enabled and not self.uses_tls and not is_loopback(self.hub)
