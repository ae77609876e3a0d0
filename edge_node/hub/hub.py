"""The hub's domain parts wired from its configuration (no gRPC here)."""
from __future__ import annotations

import logging
from pathlib import Path
from typing import Callable

from edge_node.hub.config import HubConfig
from edge_node.hub.events import HubEvents
from edge_node.hub.migrations import migrate
from edge_node.hub.nodes import NodeRegistry
from edge_node.hub.roster import HubRoster
from edge_node.hub.schedules import HubSchedules
from edge_node.hub.schema import bind, open_database
from edge_node.rpc.certs import HUB_TLS_DIR
from edge_node.common.tokens import HUB_TOKENS_FILE, TokenBook, TokenFile, load_or_create_token

log = logging.getLogger(__name__)


class Hub:
    """Connects to PostgreSQL, migrates the schema, and owns the admin token."""

    def __init__(self, config: HubConfig, data_dir: Path) -> None:
        self.config = config
        self.tables = bind(open_database(config.database))
        migrate(self.tables)
        self.nodes = NodeRegistry(self.tables)
        self.events = HubEvents(self.tables)
        self.roster = HubRoster(self.tables)
        self.schedules = HubSchedules(self.tables)
        if config.admin_token:
            self.admin_token, self.admin_token_created = config.admin_token, False
            self.admin_token_source: Callable[[], str] = lambda: self.admin_token
        else:
            self.admin_token, self.admin_token_created = load_or_create_token(data_dir / "hub-admin.token")
            # Re-read when the file changes: `edge-node token --hub --rotate` takes effect without a restart.
            self.admin_token_source = TokenFile(data_dir / "hub-admin.token", self.admin_token)
        self.token_book = TokenBook(data_dir / HUB_TOKENS_FILE)
        # The self-made CA and certificate, when the hub serves TLS without one of its own (rpc.certs).
        self.tls_dir = data_dir / HUB_TLS_DIR

    def close(self) -> None:
        self.tables.db.close()
