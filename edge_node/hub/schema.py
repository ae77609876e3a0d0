"""PostgreSQL schema of the hub (peewee models): nodes, events, the versioned roster and schedule versions."""
from __future__ import annotations

from dataclasses import dataclass

import peewee as pw
from playhouse.db_url import parse

from edge_node.storage.binding import bound_models


class _Base(pw.Model):
    pass


class HubSchemaVersion(_Base):
    version = pw.IntegerField()

    class Meta:
        table_name = "hub_schema_version"


class NodeRow(_Base):
    """A kiosk allowed to sync: its token hash and its sync cursors as the hub sees them."""

    node_id = pw.TextField(primary_key=True)
    token_hash = pw.TextField()
    revoked = pw.BooleanField(default=False)
    created_us = pw.BigIntegerField()
    last_seen_us = pw.BigIntegerField(null=True)
    acked_seq = pw.BigIntegerField(default=0)
    roster_acked_seq = pw.BigIntegerField(default=0)
    queue_depth = pw.BigIntegerField(default=0)
    lag_seconds = pw.DoubleField(default=0.0)
    roster_version = pw.BigIntegerField(default=0)
    installation_id = pw.TextField(default="")
    # Hash of the node's last stored event: the next batch must continue the chain from here.
    chain_head = pw.TextField(default="")
    # The node's pay rules before its first schedule version (JSON of PayRules), '' until it sent them.
    fallback_pay = pw.TextField(default="")

    class Meta:
        table_name = "hub_node"


class EventRow(_Base):
    """Every node's events; the primary key (node_id, seq) makes at-least-once delivery exactly-once storage."""

    node_id = pw.TextField()
    seq = pw.BigIntegerField()
    person_id = pw.TextField()
    person_name = pw.TextField(default="")
    event_type = pw.TextField()
    occurred_us = pw.BigIntegerField()
    local_date = pw.TextField()
    confidence = pw.DoubleField(default=0.0)
    camera_id = pw.TextField(default="")
    anomalies = pw.TextField(default="")
    reason = pw.TextField(default="")
    received_us = pw.BigIntegerField()
    liveness = pw.DoubleField(default=0.0)
    ref_seq = pw.BigIntegerField(null=True)
    actor = pw.TextField(default="")
    prev_hash = pw.TextField(default="")
    hash = pw.TextField(default="")
    # The order of storage across every box (drawn by PostgreSQL on insert): the cursor of PullSitePunches.
    site_cursor = pw.BigIntegerField(unique=True, null=True)

    class Meta:
        table_name = "hub_event"
        primary_key = pw.CompositeKey("node_id", "seq")
        indexes = ((("occurred_us",), False), (("local_date",), False), (("person_id", "occurred_us"), False))


class PersonRow(_Base):
    """The current state of a person (deleted ones stay as tombstones); `version` orders roster changes."""

    person_id = pw.TextField(primary_key=True)
    display_name = pw.TextField(default="")
    active = pw.BooleanField(default=True)
    deleted = pw.BooleanField(default=False)
    version = pw.BigIntegerField(index=True)
    origin_node_id = pw.TextField(default="")
    updated_us = pw.BigIntegerField()
    # The employment period as set on the boxes (YYYY-MM-DD, '' unset) and the earliest creation a box reported.
    employed_from = pw.TextField(default="")
    employed_until = pw.TextField(default="")
    created_us = pw.BigIntegerField(null=True)

    class Meta:
        table_name = "hub_person"


class TemplateRow(_Base):
    """A face template (embedding only, never an image); deleted ones stay as tombstones."""

    template_id = pw.TextField(primary_key=True)
    person_id = pw.TextField(index=True)
    model_id = pw.TextField(default="")
    embedding = pw.BlobField(null=True)
    deleted = pw.BooleanField(default=False)
    version = pw.BigIntegerField(index=True)
    origin_node_id = pw.TextField(default="")
    updated_us = pw.BigIntegerField()
    # What it was made from as its box stores it ("photo", "camera", "learned"; '' from an older box: enrolled),
    # and where on that box (an image's name, a camera id).
    kind = pw.TextField(default="")
    source = pw.TextField(default="")

    class Meta:
        table_name = "hub_template"


class ScheduleVersionRow(_Base):
    """A node's schedule version (JSON as the node stores it), in force from `effective_from` (YYYY-MM-DD)."""

    node_id = pw.TextField()
    version = pw.BigIntegerField()
    effective_from = pw.TextField()
    schedule = pw.TextField()
    actor = pw.TextField(default="")
    recorded_us = pw.BigIntegerField()
    received_us = pw.BigIntegerField()

    class Meta:
        table_name = "hub_schedule_version"
        primary_key = pw.CompositeKey("node_id", "version")


ALL_MODELS: tuple[type[_Base], ...] = (HubSchemaVersion, NodeRow, EventRow, PersonRow, TemplateRow, ScheduleVersionRow)


@dataclass(frozen=True)
class HubTables:
    db: pw.PostgresqlDatabase
    version: type[HubSchemaVersion]
    node: type[NodeRow]
    event: type[EventRow]
    person: type[PersonRow]
    template: type[TemplateRow]
    schedule_version: type[ScheduleVersionRow]


def open_database(url: str) -> pw.PostgresqlDatabase:
    """A PostgreSQL database from a postgresql:// URL; one connection per thread, opened on first use."""
    return pw.PostgresqlDatabase(**parse(url))


def bind(db: pw.PostgresqlDatabase) -> HubTables:
    """The hub's models bound to `db`."""
    return HubTables(db, *bound_models(db, ALL_MODELS))
