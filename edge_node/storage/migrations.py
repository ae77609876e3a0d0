"""Forward-only schema migrations of the node's SQLite file, recorded in `schema_version`.

Each version is frozen DDL: the exact statements that version ran, written out once and never derived
from today's peewee models, so changing a model can never change what an old migration does. A new
column or table is a new version at the end of `MIGRATIONS`; `tests/attendance/test_storage.py`
checks that the migrated schema matches the models.
"""
from __future__ import annotations

from typing import Callable, Union

import peewee as pw

from edge_node.storage.chain import backfill_chain
from edge_node.storage.schema import Tables

Step = Union[str, Callable[[pw.Database], None]]

_VERSION_TABLE = 'CREATE TABLE IF NOT EXISTS "schema_version" ("id" INTEGER NOT NULL PRIMARY KEY, "version" INTEGER NOT NULL)'

_V1_INITIAL: tuple[Step, ...] = (
    'CREATE TABLE "event" ("id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, "person_id" TEXT NOT NULL,'
    ' "person_name" TEXT NOT NULL, "event_type" TEXT NOT NULL, "occurred_us" INTEGER NOT NULL,'
    ' "local_date" TEXT NOT NULL, "confidence" REAL NOT NULL, "camera_id" TEXT NOT NULL, "anomalies" TEXT NOT NULL,'
    ' "reason" TEXT NOT NULL)',
    'CREATE INDEX "eventrow_person_id_occurred_us" ON "event" ("person_id", "occurred_us")',
    'CREATE INDEX "eventrow_occurred_us" ON "event" ("occurred_us")',
    'CREATE INDEX "eventrow_local_date" ON "event" ("local_date")',
    'CREATE TABLE "person" ("person_id" TEXT NOT NULL PRIMARY KEY, "display_name" TEXT NOT NULL,'
    ' "active" INTEGER NOT NULL, "created_us" INTEGER NOT NULL, "updated_us" INTEGER NOT NULL, "last_seen_us" INTEGER)',
    'CREATE TABLE "setting" ("key" TEXT NOT NULL PRIMARY KEY, "value" TEXT NOT NULL)',
    'CREATE TABLE "daily_summary" ("person_id" TEXT NOT NULL, "local_date" TEXT NOT NULL, "person_name" TEXT NOT NULL,'
    ' "first_entry_us" INTEGER, "last_exit_us" INTEGER, "entry_count" INTEGER NOT NULL, "exit_count" INTEGER NOT NULL,'
    ' "hours_worked" REAL NOT NULL, "status" TEXT NOT NULL, "anomaly_count" INTEGER NOT NULL,'
    ' "open_entry" INTEGER NOT NULL, PRIMARY KEY ("person_id", "local_date"))',
    'CREATE INDEX "summaryrow_local_date" ON "daily_summary" ("local_date")',
)

_V2_TEMPLATES_AND_JOURNAL: tuple[Step, ...] = (
    'CREATE TABLE "change_journal" ("seq" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, "entity" TEXT NOT NULL,'
    ' "op" TEXT NOT NULL, "key" TEXT NOT NULL, "payload" TEXT NOT NULL, "created_us" INTEGER NOT NULL)',
    'CREATE TABLE "face_template" ("template_id" TEXT NOT NULL PRIMARY KEY, "person_id" TEXT NOT NULL,'
    ' "model_id" TEXT NOT NULL, "embedding" BLOB NOT NULL, "created_us" INTEGER NOT NULL)',
    'CREATE INDEX "templaterow_person_id" ON "face_template" ("person_id")',
)

_V3_CAMERAS: tuple[Step, ...] = (
    'CREATE TABLE "camera" ("camera_id" TEXT NOT NULL PRIMARY KEY, "state" TEXT NOT NULL, "source_kind" TEXT NOT NULL,'
    ' "address" TEXT NOT NULL, "firmware_version" TEXT NOT NULL, "device_nonce" BLOB, "pairing_code" TEXT NOT NULL,'
    ' "token_hash" TEXT NOT NULL, "created_us" INTEGER NOT NULL, "updated_us" INTEGER NOT NULL)',
)


def _v4_camera_stream_settings(db: pw.Database) -> None:
    # Builds of this version's release created v3 from the models, camera.stream_settings included.
    if "stream_settings" not in {c.name for c in db.get_columns("camera")}:
        db.execute_sql("ALTER TABLE camera ADD COLUMN stream_settings TEXT NOT NULL DEFAULT ''")


# Raw punches are the record: evidence (liveness), corrections (ref_seq, actor) and the hash chain on
# every event; the stored daily summaries are dropped, since timecards are computed from the punches.
_V5_PUNCH_EVIDENCE_AND_CHAIN: tuple[Step, ...] = (
    'ALTER TABLE event ADD COLUMN "liveness" REAL NOT NULL DEFAULT 0',
    'ALTER TABLE event ADD COLUMN "ref_seq" INTEGER',
    'ALTER TABLE event ADD COLUMN "actor" TEXT NOT NULL DEFAULT \'\'',
    'ALTER TABLE event ADD COLUMN "prev_hash" TEXT NOT NULL DEFAULT \'\'',
    'ALTER TABLE event ADD COLUMN "hash" TEXT NOT NULL DEFAULT \'\'',
    'CREATE INDEX "eventrow_ref_seq" ON "event" ("ref_seq")',
    'DROP TABLE "daily_summary"',
    backfill_chain,
)

# Effective-dated schedules: the one schedule kept in the setting table applied to every day, so it
# becomes version 1 in force since ever (0001-01-01), recorded now by "(upgrade)".
_V6_SCHEDULE_VERSIONS: tuple[Step, ...] = (
    'CREATE TABLE "schedule_version" ("id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, "effective_from" TEXT NOT NULL,'
    ' "schedule" TEXT NOT NULL, "actor" TEXT NOT NULL, "recorded_us" INTEGER NOT NULL, "event_id" INTEGER)',
    'INSERT INTO "schedule_version" ("effective_from", "schedule", "actor", "recorded_us", "event_id")'
    " SELECT '0001-01-01', value, '(upgrade)', CAST(strftime('%s', 'now') AS INTEGER) * 1000000, NULL"
    " FROM setting WHERE key = 'schedule'",
    "DELETE FROM setting WHERE key = 'schedule'",
)

# Employment periods: '' is unset (the start then is the day the person was created; no end).
_V7_EMPLOYMENT: tuple[Step, ...] = (
    'ALTER TABLE person ADD COLUMN "employed_from" TEXT NOT NULL DEFAULT \'\'',
    'ALTER TABLE person ADD COLUMN "employed_until" TEXT NOT NULL DEFAULT \'\'',
)

# Where each face template came from, so an admin can tell an enrolment slip from the person's own faces.
_V8_TEMPLATE_ORIGIN: tuple[Step, ...] = (
    'ALTER TABLE face_template ADD COLUMN "kind" TEXT NOT NULL DEFAULT \'photo\'',
    'ALTER TABLE face_template ADD COLUMN "source" TEXT NOT NULL DEFAULT \'\'',
)

# Punch review: the punches a manager should look at, with a small face crop of each (or of all).
_V9_PUNCH_REVIEW: tuple[Step, ...] = (
    'CREATE TABLE "punch_review" ("event_id" INTEGER NOT NULL PRIMARY KEY, "person_id" TEXT NOT NULL,'
    ' "occurred_us" INTEGER NOT NULL, "reasons" TEXT NOT NULL, "match_margin" REAL NOT NULL,'
    ' "runner_up_margin" REAL NOT NULL, "liveness_margin" REAL NOT NULL, "crop" BLOB, "reviewed_us" INTEGER,'
    ' "reviewed_by" TEXT NOT NULL, "note" TEXT NOT NULL)',
    'CREATE INDEX "punchreviewrow_occurred_us" ON "punch_review" ("occurred_us")',
    'CREATE INDEX "punchreviewrow_person_id" ON "punch_review" ("person_id")',
)

# The punches of the site's other boxes, learnt from the hub (never part of this box's log).
_V10_SITE_PUNCHES: tuple[Step, ...] = (
    'CREATE TABLE "site_punch" ("node_id" TEXT NOT NULL, "seq" INTEGER NOT NULL, "person_id" TEXT NOT NULL,'
    ' "event_type" TEXT NOT NULL, "occurred_us" INTEGER NOT NULL, "ref_seq" INTEGER, "anomalies" TEXT NOT NULL,'
    ' PRIMARY KEY ("node_id", "seq"))',
    'CREATE INDEX "sitepunchrow_person_id_occurred_us" ON "site_punch" ("person_id", "occurred_us")',
    'CREATE INDEX "sitepunchrow_occurred_us" ON "site_punch" ("occurred_us")',
    'CREATE INDEX "sitepunchrow_node_id_ref_seq" ON "site_punch" ("node_id", "ref_seq")',
)

# A counted scan (ENTRY or EXIT) keeps the person's last-seen time within its own INSERT: a scan then writes one
# statement, which needs no savepoint of its own inside a group commit's batch.
_V11_LAST_SEEN_BY_TRIGGER: tuple[Step, ...] = (
    'CREATE TRIGGER "event_counted_sets_last_seen" AFTER INSERT ON "event"'
    " WHEN NEW.event_type IN ('ENTRY', 'EXIT')"
    ' BEGIN UPDATE "person" SET "last_seen_us" = NEW.occurred_us WHERE "person_id" = NEW.person_id; END',
)

# The punch a learned template was learned from, so that voiding the punch or moving it to another person takes
# the face along (learned templates of older versions keep NULL: their punch is not known).
_V12_TEMPLATE_PUNCH: tuple[Step, ...] = (
    'ALTER TABLE face_template ADD COLUMN "event_id" INTEGER',
    'CREATE INDEX "templaterow_event_id" ON "face_template" ("event_id")',
)

MIGRATIONS: list[tuple[Step, ...]] = [_V1_INITIAL, _V2_TEMPLATES_AND_JOURNAL, _V3_CAMERAS, (_v4_camera_stream_settings,),
                                      _V5_PUNCH_EVIDENCE_AND_CHAIN, _V6_SCHEDULE_VERSIONS, _V7_EMPLOYMENT,
                                      _V8_TEMPLATE_ORIGIN, _V9_PUNCH_REVIEW,
                                      _V10_SITE_PUNCHES, _V11_LAST_SEEN_BY_TRIGGER,
                                      _V12_TEMPLATE_PUNCH]
SCHEMA_VERSION = len(MIGRATIONS)


def current_version(tables: Tables) -> int:
    tables.db.execute_sql(_VERSION_TABLE)
    row = tables.db.execute_sql("SELECT max(version) FROM schema_version").fetchone()
    return row[0] or 0


def apply_version(db: pw.Database, number: int) -> None:
    """Run the steps of one version (inside the caller's transaction)."""
    for step in MIGRATIONS[number - 1]:
        if isinstance(step, str):
            db.execute_sql(step)
        else:
            step(db)


def migrate(tables: Tables) -> int:
    """Apply every migration newer than the database's version; return the final version."""
    version = current_version(tables)
    if version > SCHEMA_VERSION:
        raise RuntimeError(f"database schema version {version} is newer than this edge-node ({SCHEMA_VERSION}); upgrade edge-node")
    for number in range(version + 1, SCHEMA_VERSION + 1):
        with tables.db.atomic():
            apply_version(tables.db, number)
            tables.db.execute_sql("DELETE FROM schema_version")
            tables.db.execute_sql("INSERT INTO schema_version (version) VALUES (?)", (number,))
    return SCHEMA_VERSION
