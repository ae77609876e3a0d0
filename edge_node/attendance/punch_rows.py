"""Reading the node's punches (and the corrections and duplicates around them) for a time range: its own and
those of the site's other boxes."""
from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta

import peewee as pw

from edge_node.attendance.punches import PUNCH_QUERY_TYPES, PunchRow
from edge_node.storage.timestamps import to_us
from edge_node.attendance.rules import AttendanceRules

_TYPES = ", ".join(f"'{t}'" for t in PUNCH_QUERY_TYPES)
_RANGE = f"occurred_us >= ? AND occurred_us < ? AND event_type IN ({_TYPES})"
# This box's events ('' as the box), then the other boxes' punches learnt from the hub (site_punch).
_OWN = (f"SELECT '' AS box, id AS seq, person_id, event_type, occurred_us, ref_seq, camera_id AS source, anomalies"
        f" FROM event WHERE {_RANGE}")
_SITE = (f"SELECT node_id, seq, person_id, event_type, occurred_us, ref_seq, node_id, anomalies FROM site_punch"
         f" WHERE {_RANGE}")
_ALL = f"{_OWN} UNION ALL {_SITE}"
_PERSON = (f"{_OWN}"
           " AND (person_id = ? OR ref_seq IN (SELECT id FROM event WHERE person_id = ? AND occurred_us >= ?"
           f" AND occurred_us < ?)) UNION ALL {_SITE}"
           " AND (person_id = ? OR (node_id, ref_seq) IN (SELECT node_id, seq FROM site_punch WHERE person_id = ?"
           " AND occurred_us >= ? AND occurred_us < ?))")
# One person's rows as one JSON value: a scan reads them on the attendance-write thread, and each row fetched
# on its own would give up and take back the GIL (the gRPC loop's) once more.
PERSON_PACKED = f"SELECT json_group_array(json_array({', '.join(PunchRow._fields)})) FROM ({_PERSON})"
# Shift windows reach at most a day beyond their date: read this much around a period.
MARGIN = timedelta(days=2)


def period_range_us(rules: AttendanceRules, first: date, last: date) -> tuple[int, int]:
    """UTC microseconds covering every punch that can belong to a shift day from `first` to `last`."""
    start = datetime.combine(first, time(0), tzinfo=rules.zone) - MARGIN
    end = datetime.combine(last + timedelta(days=1), time(0), tzinfo=rules.zone) + MARGIN
    return to_us(start), to_us(end)


def load_punch_rows(db: pw.Database, start_us: int, end_us: int, person_id: str = "") -> list[PunchRow]:
    """The punch rows of this box and of the site's other boxes (as far as the hub told this box)."""
    if person_id:
        (packed,) = db.execute_sql(PERSON_PACKED, person_packed_args(start_us, end_us, person_id)).fetchone()
        return unpack_rows(packed)
    return [PunchRow(*r) for r in db.execute_sql(_ALL, (start_us, end_us) * 2)]


def person_packed_args(start_us: int, end_us: int, person_id: str) -> tuple:
    """The parameters of PERSON_PACKED."""
    args = (start_us, end_us, person_id, person_id, start_us, end_us)
    return args + args


def unpack_rows(packed: str) -> list[PunchRow]:
    """The rows of a PERSON_PACKED value."""
    return [PunchRow(*r) for r in json.loads(packed)]

