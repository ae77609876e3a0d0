"""SQLite schema of the node (peewee models), bound per database so several nodes can share a process."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import peewee as pw
from playhouse.sqlite_ext import AutoIncrementField

from edge_node.storage.binding import bound_models
from edge_node.storage.checkpointer import FALLBACK_AUTOCHECKPOINT_PAGES

# secure_delete: deleted rows (face templates) are overwritten with zeros, not left in free pages.
PRAGMAS_BASE = {"journal_mode": "wal", "foreign_keys": 1, "busy_timeout": 10000, "cache_size": -8000, "secure_delete": 1}


class _Base(pw.Model):
    pass


class SchemaVersion(_Base):
    version = pw.IntegerField()

    class Meta:
        table_name = "schema_version"


class PersonRow(_Base):
    person_id = pw.TextField(primary_key=True)
    display_name = pw.TextField()
    active = pw.BooleanField(default=True)
    created_us = pw.BigIntegerField()
    updated_us = pw.BigIntegerField()
    last_seen_us = pw.BigIntegerField(null=True)
    employed_from = pw.TextField(default="")  # YYYY-MM-DD or '' (unset)
    employed_until = pw.TextField(default="")

    class Meta:
        table_name = "person"


class EventRow(_Base):
    """The attendance log; `id` is AUTOINCREMENT so ids are never reused (outbox sequence)."""

    id = AutoIncrementField()
    person_id = pw.TextField()
    person_name = pw.TextField(default="")
    event_type = pw.TextField()
    occurred_us = pw.BigIntegerField()
    local_date = pw.TextField()
    confidence = pw.FloatField(default=0.0)
    camera_id = pw.TextField(default="")
    anomalies = pw.TextField(default="")
    reason = pw.TextField(default="")
    # Evidence and corrections: a PUNCH_VOIDED or PUNCH_MOVED event names the event it corrects in
    # ref_seq; actor is the admin who made a correction or an admin action.
    liveness = pw.FloatField(default=0.0)
    ref_seq = pw.BigIntegerField(null=True)
    actor = pw.TextField(default="")
    # The hash chain (edge_node/storage/chain.py).
    prev_hash = pw.TextField(default="")
    hash = pw.TextField(default="")

    class Meta:
        table_name = "event"
        indexes = ((("person_id", "occurred_us"), False), (("occurred_us",), False), (("local_date",), False),
                   (("ref_seq",), False))


class SettingRow(_Base):
    """Runtime configuration changed through UpdateConfig (JSON values)."""

    key = pw.TextField(primary_key=True)
    value = pw.TextField()

    class Meta:
        table_name = "setting"


class TemplateRow(_Base):
    """A face template: the L2-normalised embedding (float32 bytes) of one enrolment image."""

    template_id = pw.TextField(primary_key=True)
    person_id = pw.TextField(index=True)
    model_id = pw.TextField()
    embedding = pw.BlobField()
    created_us = pw.BigIntegerField()
    # The kind of image it was made from ("photo", "camera", "learned") and where from (a file name, a camera id;
    # "<box>:<source>" or "hub" for one synced from the hub).
    kind = pw.TextField(default="photo")
    source = pw.TextField(default="")
    # A learned template's punch (the event it was learned from); NULL for every other one, and for those
    # learned before schema v12.
    event_id = pw.BigIntegerField(null=True, index=True)

    class Meta:
        table_name = "face_template"


class ChangeRow(_Base):
    """Journal of local roster changes (persons, templates) waiting to be sent to the hub."""

    seq = AutoIncrementField()
    entity = pw.TextField()
    op = pw.TextField()
    key = pw.TextField()
    payload = pw.TextField(default="")
    created_us = pw.BigIntegerField()

    class Meta:
        table_name = "change_journal"


class CameraRow(_Base):
    """A camera known to the capture service: pairing state (with its link key) or a pull source."""

    camera_id = pw.TextField(primary_key=True)
    state = pw.TextField()
    source_kind = pw.TextField()
    address = pw.TextField(default="")
    firmware_version = pw.TextField(default="")
    device_nonce = pw.BlobField(null=True)
    pairing_code = pw.TextField(default="")
    # The camera's link key as capture/registry.py writes it ("link-v1:<hex>"); a SHA-256 token hash before.
    token_hash = pw.TextField(default="")
    created_us = pw.BigIntegerField()
    updated_us = pw.BigIntegerField()
    # JSON of the camera's StreamSettings; empty: the [capture] defaults.
    stream_settings = pw.TextField(default="")

    class Meta:
        table_name = "camera"


class ScheduleVersionRow(_Base):
    """A version of the schedule (JSON), in force from `effective_from` (YYYY-MM-DD) on; append-only, `id`
    is the version number the hub receives (AUTOINCREMENT: never reused). `event_id` is the admin event
    that records the change on the chained log."""

    id = AutoIncrementField()
    effective_from = pw.TextField()
    schedule = pw.TextField()
    actor = pw.TextField()
    recorded_us = pw.BigIntegerField()
    event_id = pw.BigIntegerField(null=True)

    class Meta:
        table_name = "schedule_version"


class PunchReviewRow(_Base):
    """A camera punch to review (`reasons`, comma-separated) and/or its face crop (JPEG), keyed by its event;
    `reviewed_us`/`reviewed_by`/`note` once a manager looked at it. Crops go with retention and erasure."""

    event_id = pw.BigIntegerField(primary_key=True)
    person_id = pw.TextField()
    occurred_us = pw.BigIntegerField()
    reasons = pw.TextField(default="")
    match_margin = pw.FloatField(default=0.0)
    runner_up_margin = pw.FloatField(default=0.0)
    liveness_margin = pw.FloatField(default=0.0)
    crop = pw.BlobField(null=True)
    reviewed_us = pw.BigIntegerField(null=True)
    reviewed_by = pw.TextField(default="")
    note = pw.TextField(default="")

    class Meta:
        table_name = "punch_review"
        indexes = ((("occurred_us",), False), (("person_id",), False))


class SitePunchRow(_Base):
    """A punch, duplicate scan or correction logged by another box of the site, learnt from the hub. Kept
    apart from `event`: it is not this box's event, so it is never sent back nor chained here. (node_id, seq)
    names it as its own box does; a correction's `ref_seq` names an event of the same box."""

    node_id = pw.TextField()
    seq = pw.BigIntegerField()
    person_id = pw.TextField()
    event_type = pw.TextField()
    occurred_us = pw.BigIntegerField()
    ref_seq = pw.BigIntegerField(null=True)
    anomalies = pw.TextField(default="")

    class Meta:
        table_name = "site_punch"
        primary_key = pw.CompositeKey("node_id", "seq")
        # (node_id, ref_seq): the corrections of a punch, looked up on every scan.
        indexes = ((("person_id", "occurred_us"), False), (("occurred_us",), False), (("node_id", "ref_seq"), False))


ALL_MODELS: tuple[type[_Base], ...] = (SchemaVersion, PersonRow, EventRow, SettingRow, TemplateRow, ChangeRow,
                                       CameraRow, ScheduleVersionRow, PunchReviewRow, SitePunchRow)


@dataclass(frozen=True)
class Tables:
    """The schema's model classes bound to one database."""

    db: pw.SqliteDatabase
    version: type[SchemaVersion]
    person: type[PersonRow]
    event: type[EventRow]
    setting: type[SettingRow]
    template: type[TemplateRow]
    change: type[ChangeRow]
    camera: type[CameraRow]
    schedule_version: type[ScheduleVersionRow]
    punch_review: type[PunchReviewRow]
    site_punch: type[SitePunchRow]


class WriteFirstSqliteDatabase(pw.SqliteDatabase):
    """Every transaction begins IMMEDIATE, taking the write lock first (waiting up to busy_timeout).

    Each thread has its own connection; a deferred transaction that read before another connection
    committed fails at its first write with "database is locked" at once, without waiting.
    """

    def begin(self, lock_type: str | None = None) -> None:
        super().begin(lock_type or "IMMEDIATE")


def open_database(path: Path, synchronous: str = "NORMAL") -> pw.SqliteDatabase:
    """Open (creating) the SQLite file in WAL mode with the given durability level.

    A new file is created 0600 (it holds face templates); SQLite gives its -wal and -shm files the same mode.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    os.close(os.open(path, os.O_RDWR | os.O_CREAT, 0o600))
    pragmas = {**PRAGMAS_BASE, "synchronous": synchronous, "wal_autocheckpoint": FALLBACK_AUTOCHECKPOINT_PAGES}
    return WriteFirstSqliteDatabase(str(path), pragmas=pragmas, check_same_thread=False)


def purge_wal(db: pw.SqliteDatabase) -> None:
    """After deleting face data: copy the (zeroed) pages into the database and empty the WAL, so no old copy
    stays on disk. Only outside a transaction; inside one the caller's commit comes first."""
    if db.transaction_depth() == 0:
        db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")


def bind(db: pw.SqliteDatabase) -> Tables:
    """The schema's models bound to `db`."""
    return Tables(db, *bound_models(db, ALL_MODELS))
