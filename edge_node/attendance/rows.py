"""Conversions between stored rows and domain records (times stored as UTC microseconds)."""
from __future__ import annotations

import json
from datetime import date

from edge_node.storage.timestamps import from_us
from edge_node.attendance.model import Anomaly, AnomalyKind, Employment, Event, EventType, Person

PERSON_COLUMNS = "person_id, display_name, active, created_us, updated_us, last_seen_us, employed_from, employed_until"


def person_from_row(row) -> Person:
    return person_from_tuple((row.person_id, row.display_name, row.active, row.created_us, row.updated_us,
                              row.last_seen_us, row.employed_from, row.employed_until))


def person_from_tuple(values: tuple) -> Person:
    """A Person from the columns PERSON_COLUMNS."""
    person_id, name, active, created_us, updated_us, last_seen_us, employed_from, employed_until = values
    return Person(person_id, name, bool(active), from_us(created_us), from_us(updated_us), from_us(last_seen_us),
                  employment_from_text(employed_from, employed_until))


def employment_from_text(start: str, end: str) -> Employment:
    """An employment period as stored ('' for an open end)."""
    return Employment(date.fromisoformat(start) if start else None, date.fromisoformat(end) if end else None)


def anomalies_to_text(anomalies: tuple[Anomaly, ...]) -> str:
    return json.dumps([[a.kind.value, a.reason] for a in anomalies]) if anomalies else ""


def event_from_row(row) -> Event:
    flags = tuple(Anomaly(AnomalyKind(k), r) for k, r in json.loads(row.anomalies)) if row.anomalies else ()
    return Event(row.id, row.person_id, row.person_name, EventType(row.event_type), from_us(row.occurred_us),
                 date.fromisoformat(row.local_date), row.confidence, row.camera_id, flags, row.reason, row.liveness,
                 row.ref_seq, row.actor, row.hash)
