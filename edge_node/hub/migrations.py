"""Forward-only migrations of the hub's PostgreSQL schema, serialised across hubs by an advisory lock."""
from __future__ import annotations

from typing import Callable

from edge_node.hub.schema import HubTables

MIGRATION_LOCK = 0x4544_4745  # "EDGE"


def _v1_initial(t: HubTables) -> None:
    t.db.create_tables([t.node, t.event, t.person, t.template])
    t.db.execute_sql("CREATE SEQUENCE IF NOT EXISTS hub_roster_version")


def _v2_installation_id(t: HubTables) -> None:
    t.db.execute_sql("ALTER TABLE hub_node ADD COLUMN IF NOT EXISTS installation_id TEXT NOT NULL DEFAULT ''")


MIGRATIONS: list[Callable[[HubTables], None]] = [_v1_initial, _v2_installation_id]
SCHEMA_VERSION = len(MIGRATIONS)


def migrate(tables: HubTables) -> int:
    """Apply every migration newer than the database's version; return the final version."""
    with tables.db.atomic():
        tables.db.execute_sql("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))
        tables.db.create_tables([tables.version])
        row = tables.version.select().order_by(tables.version.version.desc()).first()
        version = row.version if row else 0
        if version > SCHEMA_VERSION:
            raise RuntimeError(f"hub schema version {version} is newer than this edge-node ({SCHEMA_VERSION}); upgrade it")
        for number in range(version + 1, SCHEMA_VERSION + 1):
            MIGRATIONS[number - 1](tables)
            tables.version.delete().execute()
            tables.version.create(version=number)
    return SCHEMA_VERSION
