"""The `[hub]` section: where the hub listens and which PostgreSQL database it uses."""
from __future__ import annotations

from dataclasses import dataclass

from edge_node.common.addresses import check_listen, is_loopback
from edge_node.common.errors import InvalidArgument


@dataclass(frozen=True)
class HubConfig:
    listen: str = "127.0.0.1:50061"
    # libpq URL of the hub's database (peewee/psycopg2), e.g. postgresql://user:pass@host:5432/edge_hub.
    database: str = "postgresql://postgres@127.0.0.1:5432/edge_hub"
    # Hub admin bearer token; empty means "<data_dir>/hub-admin.token", created on first start.
    admin_token: str = ""
    # As [server]: TLS with tls_cert/tls_key, else with a CA and certificate made on first start in
    # <data_dir>/hub-tls beyond loopback (or with tls = true); plain text beyond loopback needs insecure = true.
    tls_cert: str = ""
    tls_key: str = ""
    tls: bool = False
    insecure: bool = False
    # Largest PushEvents batch accepted.
    max_batch_events: int = 5000
    max_message_bytes: int = 16 * 1024 * 1024
    # Threads (each with one database connection) serving requests.
    db_threads: int = 4
    grace_seconds: float = 5.0

    def validate(self) -> None:
        check_listen("hub.listen", self.listen)
        if not self.database.startswith(("postgresql://", "postgres://")):
            raise InvalidArgument("hub.database must be a postgresql:// URL")
        if bool(self.tls_cert) != bool(self.tls_key):
            raise InvalidArgument("hub.tls_cert and hub.tls_key must be given together")
        if self.insecure and (self.tls or self.tls_cert):
            raise InvalidArgument("hub.insecure = true turns TLS off: drop it, or drop hub.tls/tls_cert")
        if not 1 <= self.max_batch_events <= 100_000:
            raise InvalidArgument("hub.max_batch_events must be between 1 and 100000")
        if not 1024 <= self.max_message_bytes <= 256 * 1024 * 1024:
            raise InvalidArgument("hub.max_message_bytes must be between 1024 and 268435456")
        if not 1 <= self.db_threads <= 64:
            raise InvalidArgument("hub.db_threads must be between 1 and 64")

    @property
    def uses_tls(self) -> bool:
        """TLS unless the hub listens on loopback only (and tls is not asked for) or insecure = true."""
        return bool(self.tls_cert) or self.tls or not (self.insecure or is_loopback(self.listen))
