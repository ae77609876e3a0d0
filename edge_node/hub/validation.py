"""Checks of what nodes and admins send to the hub; every failure is an actionable InvalidArgument."""
from __future__ import annotations

import json
import math
from datetime import date

import numpy as np

from edge_node.attendance.model import Employment
from edge_node.attendance.persons import check_employment
from edge_node.attendance.rows import employment_from_text
from edge_node.attendance.rules import AttendanceRules, PayRules
from edge_node.attendance.schedule import with_defaults
from edge_node.attendance.schedule_history import ScheduleVersion
from edge_node.common.validation import check_display_name, check_person_id
from edge_node.common.errors import InvalidArgument
from edge_node.gen.edge.sync.v1 import sync_pb2 as pb
from edge_node.sync.change_messages import ANOMALY_NAME, EVENT_TYPE_NAME, TEMPLATE_KIND_NAME, TEMPLATE_SOURCE_CHARS
from edge_node.wire.schedules import pay_from_pb, version_from_pb

MAX_TEXT = 256
MIN_DIM, MAX_DIM = 16, 4096
MAX_ID_CHARS = 64
# Sequence numbers and versions are uint64 on the wire but bigint in PostgreSQL.
MAX_SEQ = (1 << 63) - 1
MAX_SCHEDULE_VERSIONS = 50


def event_rows(node_id: str, request: pb.PushEventsRequest, max_events: int, received_us: int) -> list[tuple]:
    """The batch as hub_event rows, in the column order of `events.EVENT_COLUMNS`."""
    if len(request.events) > max_events:
        raise InvalidArgument(f"batch of {len(request.events)} events exceeds the hub's limit of {max_events}; "
                              "lower sync.batch_size")
    if request.queue_depth > MAX_SEQ:
        raise InvalidArgument(f"queue_depth {request.queue_depth} is above the largest count {MAX_SEQ}")
    if not math.isfinite(request.lag_seconds):
        raise InvalidArgument(f"lag_seconds must be a finite number (got {request.lag_seconds})")
    rows = []
    previous = request.after_seq
    for i, e in enumerate(request.events):
        if e.seq > MAX_SEQ:
            raise InvalidArgument(f"events[{i}].seq {e.seq} is above the largest sequence number {MAX_SEQ}")
        if e.seq <= previous:
            raise InvalidArgument(f"events[{i}].seq {e.seq} must be greater than {previous} "
                                  "(after_seq, then strictly increasing)")
        previous = e.seq
        event_type = EVENT_TYPE_NAME.get(e.event_type)
        if event_type is None:
            raise InvalidArgument(f"events[{i}].event_type must be set to a known EventType")
        if not e.HasField("occurred_at"):
            raise InvalidArgument(f"events[{i}].occurred_at is required")
        try:
            date.fromisoformat(e.local_date)
        except ValueError:
            raise InvalidArgument(f"events[{i}].local_date must be YYYY-MM-DD (got {e.local_date!r})") from None
        if not 0.0 <= e.confidence <= 1.0:
            raise InvalidArgument(f"events[{i}].confidence must be between 0 and 1 (got {e.confidence})")
        if max(len(e.person_id), len(e.person_name), len(e.camera_id)) > MAX_TEXT or len(e.reason) > 4 * MAX_TEXT:
            raise InvalidArgument(f"events[{i}] has a text field longer than allowed")
        if not 0.0 <= e.liveness <= 1.0:
            raise InvalidArgument(f"events[{i}].liveness must be between 0 and 1 (got {e.liveness})")
        if e.ref_seq > MAX_SEQ or len(e.actor) > MAX_TEXT or len(e.prev_hash) > 64 or len(e.hash) > 64:
            raise InvalidArgument(f"events[{i}] has a ref_seq, actor or hash out of range")
        for name in ("person_id", "person_name", "camera_id", "reason", "actor", "prev_hash", "hash"):
            check_no_nul(getattr(e, name), f"events[{i}].{name}")
        anomalies = ""
        if e.anomalies:
            if any(a.kind not in ANOMALY_NAME for a in e.anomalies):
                raise InvalidArgument(f"events[{i}].anomalies has an unknown kind")
            anomalies = json.dumps([[ANOMALY_NAME[a.kind], a.reason] for a in e.anomalies])
        occurred_us = e.occurred_at.seconds * 1_000_000 + e.occurred_at.nanos // 1000
        rows.append((node_id, e.seq, e.person_id, e.person_name, event_type, occurred_us, e.local_date,
                     e.confidence, e.camera_id, anomalies, e.reason, received_us, e.liveness, e.ref_seq or None,
                     e.actor, e.prev_hash, e.hash))
    return rows


def check_no_nul(text: str, where: str) -> str:
    """PostgreSQL text cannot hold NUL; refuse it here rather than fail in the driver."""
    if "\x00" in text:
        raise InvalidArgument(f"{where} must not contain NUL characters")
    return text


def check_embedding(model_id: str, embedding: bytes, where: str) -> bytes:
    """A float32 L2-normalised vector of MIN_DIM..MAX_DIM values from a known model."""
    if not model_id or len(model_id) > MAX_ID_CHARS:
        raise InvalidArgument(f"{where}.model_id must be 1-{MAX_ID_CHARS} characters")
    check_no_nul(model_id, f"{where}.model_id")
    if len(embedding) % 4 or not MIN_DIM <= len(embedding) // 4 <= MAX_DIM:
        raise InvalidArgument(f"{where}.embedding must be {MIN_DIM}-{MAX_DIM} float32 values (got {len(embedding)} bytes)")
    vector = np.frombuffer(embedding, dtype="<f4")
    norm = float(np.linalg.norm(vector))
    if not np.isfinite(vector).all() or abs(norm - 1.0) > 1e-2:
        raise InvalidArgument(f"{where}.embedding must be finite and L2-normalised (norm {norm:.3f})")
    return embedding


def check_change(change: pb.RosterChange, where: str) -> None:
    """A node's journal change: known entity/op, valid ids, and a valid payload for upserts."""
    check_person_id(change.person_id)
    if change.version > MAX_SEQ:
        raise InvalidArgument(f"{where}.version {change.version} is above the largest sequence number {MAX_SEQ}")
    if change.entity == pb.ROSTER_ENTITY_PERSON:
        if change.op == pb.ROSTER_OP_UPSERT:
            check_display_name(change.display_name)
            check_employment(employment_of(change, where))
    elif change.entity == pb.ROSTER_ENTITY_TEMPLATE:
        if not 1 <= len(change.template_id) <= MAX_ID_CHARS:
            raise InvalidArgument(f"{where}.template_id must be 1-{MAX_ID_CHARS} characters")
        check_no_nul(change.template_id, f"{where}.template_id")
        if change.op == pb.ROSTER_OP_UPSERT:
            check_embedding(change.model_id, change.embedding, where)
            if change.template_kind not in TEMPLATE_KIND_NAME and change.template_kind != pb.TEMPLATE_KIND_UNSPECIFIED:
                raise InvalidArgument(f"{where}.template_kind {change.template_kind} is not a known TemplateKind")
            if len(change.template_source) > TEMPLATE_SOURCE_CHARS:
                raise InvalidArgument(f"{where}.template_source is longer than {TEMPLATE_SOURCE_CHARS} characters")
            check_no_nul(change.template_source, f"{where}.template_source")
    else:
        raise InvalidArgument(f"{where}.entity must be PERSON or TEMPLATE")
    if change.op not in (pb.ROSTER_OP_UPSERT, pb.ROSTER_OP_DELETE):
        raise InvalidArgument(f"{where}.op must be UPSERT or DELETE")


def employment_of(change: pb.RosterChange, where: str) -> Employment:
    """The employment period a person upsert carries; bad dates are InvalidArgument."""
    try:
        return employment_from_text(change.employed_from, change.employed_until)
    except ValueError:
        raise InvalidArgument(f"{where}.employed_from and employed_until must be YYYY-MM-DD or empty (got "
                              f"{change.employed_from!r}, {change.employed_until!r})") from None


def schedule_versions(node_id: str, request: pb.PushSchedulesRequest) -> list[ScheduleVersion]:
    """A node's schedule versions, each checked as the node checks a schedule (the built-in defaults added)."""
    if len(request.versions) > MAX_SCHEDULE_VERSIONS:
        raise InvalidArgument(f"at most {MAX_SCHEDULE_VERSIONS} schedule versions per request "
                              f"(got {len(request.versions)})")
    versions = []
    previous = request.after_version
    for i, message in enumerate(request.versions):
        where = f"versions[{i}]"
        if not previous < message.version <= MAX_SEQ:
            raise InvalidArgument(f"{where}.version {message.version} must be greater than {previous} "
                                  f"(after_version, then strictly increasing) and at most {MAX_SEQ}")
        previous = message.version
        if not message.HasField("recorded_at"):
            raise InvalidArgument(f"{where}.recorded_at is required")
        if len(message.actor) > MAX_TEXT:
            raise InvalidArgument(f"{where}.actor is longer than {MAX_TEXT} characters")
        check_no_nul(message.actor, f"{where}.actor")
        version = version_from_pb(message, where, node_id)
        with_defaults(version.schedule, AttendanceRules(time_zone="UTC")).validate()
        versions.append(version)
    return versions


def fallback_pay(request: pb.PushSchedulesRequest) -> PayRules | None:
    """The node's pay rules before its first version, checked as settings are; None from an older node."""
    if not request.HasField("fallback_pay"):
        return None
    try:
        return pay_from_pb(request.fallback_pay)
    except InvalidArgument as exc:
        raise InvalidArgument(f"fallback_pay: {exc}") from None
