"""From logged events to each person's punches, with the corrections applied (pure; node and hub).

A correction is an event of its own and never edits another: PUNCH_VOIDED and PUNCH_MOVED name the
event they correct in `ref_seq` and carry its time, so they fall in the same period. A voided or
moved punch stays on the log and counts as a correction of its day.
"""
from __future__ import annotations

import json
from typing import Iterable, NamedTuple

from edge_node.attendance.model import AnomalyKind
from edge_node.attendance.timecard import Punch, PunchKind, ShiftCalendar, ShiftDay
from edge_node.storage.timestamps import from_us

_KIND = {"ENTRY": PunchKind.PUNCH, "EXIT": PunchKind.PUNCH, "PUNCH_ADDED": PunchKind.ADDED,
         "PUNCH_MOVED": PunchKind.MOVED, "DUPLICATE": PunchKind.DUPLICATE}
# Types a punch query must read: punches, duplicates and the corrections that remove punches.
PUNCH_QUERY_TYPES = (*_KIND, "PUNCH_VOIDED")


class PunchRow(NamedTuple):
    """The columns of an event that punches are made of; (box, seq) names an event (box is '' on a node);
    `source` is shown on the timecard: the box on the hub, the camera on a node."""

    box: str
    seq: int
    person_id: str
    event_type: str
    occurred_us: int
    ref_seq: int | None
    source: str
    anomalies: str = ""  # the event's stored anomalies (JSON [[kind, reason], ...]); '' for none


def punches_by_person(rows: Iterable[PunchRow]) -> dict[str, list[Punch]]:
    """Each person's punches; a punch named by a PUNCH_VOIDED or PUNCH_MOVED event becomes VOIDED."""
    rows = list(rows)
    removed = {(r.box, r.ref_seq) for r in rows if r.event_type in ("PUNCH_VOIDED", "PUNCH_MOVED")}
    out: dict[str, list[Punch]] = {}
    for r in rows:
        kind = _KIND.get(r.event_type)
        if kind is None:
            continue
        if removed and kind.effective and (r.box, r.seq) in removed:
            kind = PunchKind.VOIDED
        out.setdefault(r.person_id, []).append(Punch(from_us(r.occurred_us), kind, r.source, clock_flags(r.anomalies)))
    return out


def day_punches(calendar: ShiftCalendar, sd: ShiftDay, person_id: str, window_rows: Iterable[PunchRow]) -> list[Punch]:
    """The person's punches, oldest first, that belong to shift day `sd`, from the rows of its window."""
    mine = punches_by_person(window_rows).get(person_id, [])
    return sorted((p for p in mine if calendar.attribute(p.at).day == sd.day), key=lambda p: p.at)


def clock_flags(anomalies: str) -> tuple[AnomalyKind, ...]:
    """The CLOCK_BACKWARDS and CLOCK_UNSYNCED flags among an event's stored anomalies."""
    if "CLOCK_" not in anomalies:
        return ()
    kinds = {kind for kind, _reason in json.loads(anomalies)}
    return tuple(k for k in (AnomalyKind.CLOCK_BACKWARDS, AnomalyKind.CLOCK_UNSYNCED) if k.value in kinds)
