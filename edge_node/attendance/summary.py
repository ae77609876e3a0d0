"""Daily summary of one person's local date, computed from that date's events."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from typing import Sequence

from edge_node.attendance.model import AttendanceStatus, DailySummary, DayEntry, Event, EventType
from edge_node.attendance.rules import AttendanceRules


def summarize_day(rules: AttendanceRules, person_id: str, person_name: str, day: date,
                  events: Sequence[DayEntry | Event]) -> DailySummary:
    """Pair ENTRY/EXIT events (oldest first), deduct lunch, and derive the status.

    Worked time is real elapsed time between an ENTRY and the next EXIT (correct across DST
    changes). The lunch deduction is `lunch_minutes`, capped at the time actually worked inside
    the lunch window, so somebody who left before lunch loses nothing.
    """
    lunch_start = _local_hour(day, rules.lunch_start_hour, rules)
    lunch_end = _local_hour(day, rules.lunch_end_hour, rules)
    worked = lunch_overlap = 0.0
    open_since: datetime | None = None
    first_entry = last_exit = None
    entries = exits = anomalies = 0
    for event in events:
        anomalies += 1 if event.anomalies else 0
        if event.event_type is EventType.ENTRY:
            entries += 1
            first_entry = first_entry or event.occurred_at
            open_since = event.occurred_at
        elif event.event_type is EventType.EXIT:
            exits += 1
            last_exit = event.occurred_at
            if open_since is not None:
                worked += (event.occurred_at - open_since).total_seconds()
                lunch_overlap += _overlap_seconds(open_since, event.occurred_at, lunch_start, lunch_end)
                open_since = None
    seconds = max(0.0, worked - min(lunch_overlap, rules.lunch_minutes * 60.0))
    hours = round(seconds / 3600.0, 4)
    if entries == 0:
        status = AttendanceStatus.ABSENT
    elif hours >= rules.min_hours_full_day:
        status = AttendanceStatus.PRESENT
    else:
        status = AttendanceStatus.HALF_DAY
    return DailySummary(person_id, person_name, day, first_entry, last_exit, entries, exits, hours,
                        status, anomalies, open_since is not None)


def absent(person_id: str, person_name: str, day: date) -> DailySummary:
    """The summary of a person with no events on `day`."""
    return DailySummary(person_id, person_name, day, None, None, 0, 0, 0.0, AttendanceStatus.ABSENT, 0, False)


def _local_hour(day: date, hour: int, rules: AttendanceRules) -> datetime:
    when = datetime.combine(day + timedelta(days=hour // 24), time(hour % 24), tzinfo=rules.zone)
    return when.astimezone(timezone.utc)


def _overlap_seconds(a_start: datetime, a_end: datetime, b_start: datetime, b_end: datetime) -> float:
    return max(0.0, (min(a_end, b_end) - max(a_start, b_start)).total_seconds())
