"""Forward-only migrations of the hub's PostgreSQL schema, serialised across hubs by an advisory lock.

Each version is frozen DDL, written out once and never derived from today's peewee models, so a model
change can never change what an old migration does.
"""
from __future__ import annotations

from edge_node.hub.schema import HubTables

MIGRATION_LOCK = 0x4544_4745  # "EDGE"

_VERSION_TABLE = ('CREATE TABLE IF NOT EXISTS "hub_schema_version" ("id" SERIAL NOT NULL PRIMARY KEY,'
                  ' "version" INTEGER NOT NULL)')

_V1_INITIAL = (
    'CREATE TABLE IF NOT EXISTS "hub_node" ("node_id" TEXT NOT NULL PRIMARY KEY, "token_hash" TEXT NOT NULL,'
    ' "revoked" BOOLEAN NOT NULL, "created_us" BIGINT NOT NULL, "last_seen_us" BIGINT, "acked_seq" BIGINT NOT NULL,'
    ' "roster_acked_seq" BIGINT NOT NULL, "queue_depth" BIGINT NOT NULL, "lag_seconds" DOUBLE PRECISION NOT NULL,'
    ' "roster_version" BIGINT NOT NULL)',
    'CREATE TABLE IF NOT EXISTS "hub_event" ("node_id" TEXT NOT NULL, "seq" BIGINT NOT NULL, "person_id" TEXT NOT NULL,'
    ' "person_name" TEXT NOT NULL, "event_type" TEXT NOT NULL, "occurred_us" BIGINT NOT NULL, "local_date" TEXT NOT NULL,'
    ' "confidence" DOUBLE PRECISION NOT NULL, "camera_id" TEXT NOT NULL, "anomalies" TEXT NOT NULL, "reason" TEXT NOT NULL,'
    ' "received_us" BIGINT NOT NULL, PRIMARY KEY ("node_id", "seq"))',
    'CREATE INDEX IF NOT EXISTS "eventrow_occurred_us" ON "hub_event" ("occurred_us")',
    'CREATE INDEX IF NOT EXISTS "eventrow_local_date" ON "hub_event" ("local_date")',
    'CREATE INDEX IF NOT EXISTS "eventrow_person_id_occurred_us" ON "hub_event" ("person_id", "occurred_us")',
    'CREATE TABLE IF NOT EXISTS "hub_person" ("person_id" TEXT NOT NULL PRIMARY KEY, "display_name" TEXT NOT NULL,'
    ' "active" BOOLEAN NOT NULL, "deleted" BOOLEAN NOT NULL, "version" BIGINT NOT NULL, "origin_node_id" TEXT NOT NULL,'
    ' "updated_us" BIGINT NOT NULL)',
    'CREATE INDEX IF NOT EXISTS "personrow_version" ON "hub_person" ("version")',
    'CREATE TABLE IF NOT EXISTS "hub_template" ("template_id" TEXT NOT NULL PRIMARY KEY, "person_id" TEXT NOT NULL,'
    ' "model_id" TEXT NOT NULL, "embedding" BYTEA, "deleted" BOOLEAN NOT NULL, "version" BIGINT NOT NULL,'
    ' "origin_node_id" TEXT NOT NULL, "updated_us" BIGINT NOT NULL)',
    'CREATE INDEX IF NOT EXISTS "templaterow_person_id" ON "hub_template" ("person_id")',
    'CREATE INDEX IF NOT EXISTS "templaterow_version" ON "hub_template" ("version")',
    'CREATE SEQUENCE IF NOT EXISTS hub_roster_version',
)

_V2_INSTALLATION_ID = ("ALTER TABLE hub_node ADD COLUMN IF NOT EXISTS installation_id TEXT NOT NULL DEFAULT ''",)

# Punch evidence, corrections and the hash chain on every event; the chain head the hub holds per node.
_V3_PUNCHES_AND_CHAIN = (
    'ALTER TABLE hub_event ADD COLUMN IF NOT EXISTS "liveness" DOUBLE PRECISION NOT NULL DEFAULT 0',
    'ALTER TABLE hub_event ADD COLUMN IF NOT EXISTS "ref_seq" BIGINT',
    'ALTER TABLE hub_event ADD COLUMN IF NOT EXISTS "actor" TEXT NOT NULL DEFAULT \'\'',
    'ALTER TABLE hub_event ADD COLUMN IF NOT EXISTS "prev_hash" TEXT NOT NULL DEFAULT \'\'',
    'ALTER TABLE hub_event ADD COLUMN IF NOT EXISTS "hash" TEXT NOT NULL DEFAULT \'\'',
    'ALTER TABLE hub_node ADD COLUMN IF NOT EXISTS "chain_head" TEXT NOT NULL DEFAULT \'\'',
)

# Each node's schedule versions (the shift days of site timecards); (node_id, version) stores each once.
_V4_SCHEDULE_VERSIONS = (
    'CREATE TABLE IF NOT EXISTS "hub_schedule_version" ("node_id" TEXT NOT NULL, "version" BIGINT NOT NULL,'
    ' "effective_from" TEXT NOT NULL, "schedule" TEXT NOT NULL, "actor" TEXT NOT NULL, "recorded_us" BIGINT NOT NULL,'
    ' "received_us" BIGINT NOT NULL, PRIMARY KEY ("node_id", "version"))',
)

# The order the hub stored events in (boxes pull each other's punches after a cursor); events already
# held are numbered in the order they were received.
_V5_SITE_CURSOR = (
    "CREATE SEQUENCE IF NOT EXISTS hub_site_cursor",
    'ALTER TABLE hub_event ADD COLUMN IF NOT EXISTS "site_cursor" BIGINT',
    'UPDATE hub_event SET site_cursor = numbered.n FROM (SELECT node_id, seq, row_number() OVER'
    ' (ORDER BY received_us, node_id, seq) AS n FROM hub_event) AS numbered'
    ' WHERE hub_event.node_id = numbered.node_id AND hub_event.seq = numbered.seq AND hub_event.site_cursor IS NULL',
    "SELECT setval('hub_site_cursor', greatest((SELECT max(site_cursor) FROM hub_event), 1),"
    " (SELECT max(site_cursor) FROM hub_event) IS NOT NULL)",
    "ALTER TABLE hub_event ALTER COLUMN site_cursor SET DEFAULT nextval('hub_site_cursor')",
    'ALTER TABLE hub_event ALTER COLUMN site_cursor SET NOT NULL',
    'CREATE UNIQUE INDEX IF NOT EXISTS "eventrow_site_cursor" ON "hub_event" ("site_cursor")',
)

# Each node's pay rules of the days before its first schedule version (JSON of PayRules; '' until sent).
_V6_FALLBACK_PAY = ("ALTER TABLE hub_node ADD COLUMN IF NOT EXISTS fallback_pay TEXT NOT NULL DEFAULT ''",)

# Each person's employment period as set on the boxes and the earliest creation a box reported.
_V7_EMPLOYMENT = (
    "ALTER TABLE hub_person ADD COLUMN IF NOT EXISTS employed_from TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE hub_person ADD COLUMN IF NOT EXISTS employed_until TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE hub_person ADD COLUMN IF NOT EXISTS created_us BIGINT",
)

# Each template's kind ("photo", "camera", "learned"; '' for one stored before: enrolled) and its source on its box.
_V8_TEMPLATE_KIND = (
    "ALTER TABLE hub_template ADD COLUMN IF NOT EXISTS kind TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE hub_template ADD COLUMN IF NOT EXISTS source TEXT NOT NULL DEFAULT ''",
)

MIGRATIONS: list[tuple[str, ...]] = [_V1_INITIAL, _V2_INSTALLATION_ID, _V3_PUNCHES_AND_CHAIN, _V4_SCHEDULE_VERSIONS,
                                     _V5_SITE_CURSOR, _V6_FALLBACK_PAY, _V7_EMPLOYMENT, _V8_TEMPLATE_KIND]
SCHEMA_VERSION = len(MIGRATIONS)


def migrate(tables: HubTables) -> int:
    """Apply every migration newer than the database's version; return the final version."""
    db = tables.db
    with db.atomic():
        db.execute_sql("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))
        db.execute_sql(_VERSION_TABLE)
        version = db.execute_sql("SELECT max(version) FROM hub_schema_version").fetchone()[0] or 0
        if version > SCHEMA_VERSION:
            raise RuntimeError(f"hub schema version {version} is newer than this edge-node ({SCHEMA_VERSION}); upgrade it")
        for number in range(version + 1, SCHEMA_VERSION + 1):
            for statement in MIGRATIONS[number - 1]:
                db.execute_sql(statement)
            db.execute_sql("DELETE FROM hub_schema_version")
            db.execute_sql("INSERT INTO hub_schema_version (version) VALUES (%s)", (number,))
    return SCHEMA_VERSION
