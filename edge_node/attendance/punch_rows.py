"""Reading the node's punches (and the corrections and duplicates around them) for a time range."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

import peewee as pw

from edge_node.attendance.punches import PUNCH_QUERY_TYPES, PunchRow
from edge_node.storage.timestamps import to_us
from edge_node.attendance.rules import AttendanceRules

_TYPES = ", ".join(f"'{t}'" for t in PUNCH_QUERY_TYPES)
_COLUMNS = "'', id, person_id, event_type, occurred_us, ref_seq, camera_id, anomalies"
_ALL = f"SELECT {_COLUMNS} FROM event WHERE occurred_us >= ? AND occurred_us < ? AND event_type IN ({_TYPES})"
_PERSON = (f"SELECT {_COLUMNS} FROM event WHERE occurred_us >= ? AND occurred_us < ? AND event_type IN ({_TYPES})"
           " AND (person_id = ? OR ref_seq IN (SELECT id FROM event WHERE person_id = ? AND occurred_us >= ?"
           " AND occurred_us < ?))")
# Shift windows reach at most a day beyond their date: read this much around a period.
MARGIN = timedelta(days=2)


def period_range_us(rules: AttendanceRules, first: date, last: date) -> tuple[int, int]:
    """UTC microseconds covering every punch that can belong to a shift day from `first` to `last`."""
    start = datetime.combine(first, time(0), tzinfo=rules.zone) - MARGIN
    end = datetime.combine(last + timedelta(days=1), time(0), tzinfo=rules.zone) + MARGIN
    return to_us(start), to_us(end)


def load_punch_rows(db: pw.Database, start_us: int, end_us: int, person_id: str = "") -> list[PunchRow]:
    if person_id:
        rows = db.execute_sql(_PERSON, (start_us, end_us, person_id, person_id, start_us, end_us))
    else:
        rows = db.execute_sql(_ALL, (start_us, end_us))
    return [PunchRow(*r) for r in rows]

