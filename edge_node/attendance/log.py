"""The attendance log: applies the rules to scans, stores events and daily summaries, lists events."""
from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Callable, Iterable

from edge_node.common.bus import Broadcaster
from edge_node.attendance.model import DailySummary, DayEntry, Event, EventType
from edge_node.attendance.persons import PersonRegistry
from edge_node.attendance.rows import anomalies_to_text, event_from_row, from_us, summary_to_fields, to_us
from edge_node.attendance.rules import AttendanceRules, ScanDecision, decide_scan, local_date_of, local_day_bounds
from edge_node.storage.schema import Tables
from edge_node.attendance.summary import summarize_day
from edge_node.common.validation import check_person_id, decode_token, encode_token, page_size
from edge_node.common.clock import Clock
from edge_node.common.errors import FailedPrecondition, InvalidArgument

MAX_FUTURE = timedelta(minutes=5)
_UPSERT_SUMMARY = "INSERT OR REPLACE INTO daily_summary ({columns}) VALUES ({marks})"
_EVENT_TYPES = {kind.value: kind for kind in EventType}
MAX_CAMERA_ID_CHARS = 64


@dataclass(frozen=True)
class ScanResult:
    event: Event
    summary: DailySummary | None


@dataclass(frozen=True)
class EventFilter:
    person_id: str = ""
    start: datetime | None = None
    end: datetime | None = None
    event_types: tuple[EventType, ...] = ()
    anomalies_only: bool = False


class AttendanceLog:
    """Records scans atomically (event + daily summary in one transaction) and publishes them."""

    def __init__(self, tables: Tables, persons: PersonRegistry, rules: Callable[[], AttendanceRules],
                 clock: Clock, events: Broadcaster[Event]) -> None:
        self._t = tables
        self._persons = persons
        self._rules = rules
        self._clock = clock
        self._events = events
        self._write = threading.Lock()

    def record_scan(self, person_id: str, confidence: float = 0.0, camera_id: str = "",
                    occurred_at: datetime | None = None) -> ScanResult:
        """Apply the rules to one scan and store the outcome; unknown ids are logged as REJECTED."""
        check_person_id(person_id)
        if not 0.0 <= confidence <= 1.0:
            raise InvalidArgument(f"confidence must be between 0 and 1 (got {confidence})")
        if len(camera_id) > MAX_CAMERA_ID_CHARS:
            raise InvalidArgument(f"camera_id must be at most {MAX_CAMERA_ID_CHARS} characters")
        now = self._clock.now()
        if occurred_at is not None and occurred_at > now + MAX_FUTURE:
            raise InvalidArgument(f"occurred_at {occurred_at.isoformat()} is in the future (node time {now.isoformat()})")
        rules = self._rules()
        with self._write, self._t.db.atomic():
            result = self._record(rules, person_id, confidence, camera_id, occurred_at or now, occurred_at is not None)
        self._events.publish(result.event)
        return result

    def log_attempt(self, event_type: EventType, person_id: str, reason: str, confidence: float = 0.0,
                    camera_id: str = "") -> Event:
        """Log a recognition attempt that is not a scan (UNKNOWN_FACE, SPOOF) for the audit trail."""
        at = self._clock.now()
        with self._write, self._t.db.atomic():
            event = self._insert(self._rules(), person_id, "", at, ScanDecision(event_type, reason), confidence, camera_id)
        self._events.publish(event)
        return event

    def _record(self, rules: AttendanceRules, person_id: str, confidence: float, camera_id: str,
                at: datetime, explicit_time: bool) -> ScanResult:
        person = self._persons.find(person_id)
        if person is None or not person.active:
            decision = decide_scan(rules, person, person_id, at, [], None)
            return ScanResult(self._insert(rules, person_id, person.display_name if person else "", at, decision,
                                           confidence, camera_id), None)
        day = local_date_of(rules, at)
        start, end = local_day_bounds(rules, day)
        if explicit_time:
            self._check_in_order(person_id, at)
        day_events = self._day_entries(person_id, start, end)
        counted = [e for e in day_events if e.event_type.counted]
        last_counted = counted[-1].occurred_at if counted else self._last_counted_before(person_id, start)
        decision = decide_scan(rules, person, person_id, at, day_events, last_counted)
        event = self._insert(rules, person_id, person.display_name, at, decision, confidence, camera_id)
        summary = summarize_day(rules, person_id, person.display_name, day, [*day_events, event])
        fields = summary_to_fields(summary)
        self._t.db.execute_sql(_UPSERT_SUMMARY.format(columns=", ".join(fields), marks=", ".join("?" * len(fields))),
                               tuple(fields.values()))
        if decision.event_type.counted:
            self._persons.touch(person_id, to_us(at))
        return ScanResult(event, summary)

    def _insert(self, rules: AttendanceRules, person_id: str, person_name: str, at: datetime,
                decision: ScanDecision, confidence: float, camera_id: str) -> Event:
        day = local_date_of(rules, at)
        cursor = self._t.db.execute_sql(
            "INSERT INTO event (person_id, person_name, event_type, occurred_us, local_date, confidence, camera_id,"
            " anomalies, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (person_id, person_name, decision.event_type.value, to_us(at), day.isoformat(), confidence, camera_id,
             anomalies_to_text(decision.anomalies), decision.reason))
        row_id = cursor.lastrowid
        return Event(row_id, person_id, person_name, decision.event_type, at, day, confidence, camera_id,
                     decision.anomalies, decision.reason)

    def _check_in_order(self, person_id: str, at: datetime) -> None:
        E = self._t.event
        last = E.select(E.occurred_us).where(E.person_id == person_id).order_by(E.occurred_us.desc()).first()
        if last is not None and last.occurred_us > to_us(at):
            raise FailedPrecondition(f"occurred_at {at.isoformat()} is before {person_id!r}'s last recorded event; "
                                     "scans must be recorded in time order")

    def _day_entries(self, person_id: str, start: datetime, end: datetime) -> list[DayEntry]:
        rows = self._t.db.execute_sql(
            "SELECT event_type, occurred_us, anomalies != '' FROM event"
            " WHERE person_id = ? AND occurred_us >= ? AND occurred_us < ? ORDER BY occurred_us, id",
            (person_id, to_us(start), to_us(end)))
        return [DayEntry(_EVENT_TYPES[kind], from_us(us), bool(flagged)) for kind, us, flagged in rows]

    def _last_counted_before(self, person_id: str, before: datetime) -> datetime | None:
        row = self._t.db.execute_sql(
            "SELECT occurred_us FROM event WHERE person_id = ? AND occurred_us < ? AND event_type IN ('ENTRY', 'EXIT')"
            " ORDER BY occurred_us DESC LIMIT 1", (person_id, to_us(before))).fetchone()
        return from_us(row[0]) if row else None

    def list(self, flt: EventFilter, size: int = 0, token: str = "") -> tuple[list[Event], str]:
        """Events matching `flt`, newest first, one page, and the next page token."""
        limit = page_size(size)
        cursor = decode_token("events", token)
        E = self._t.event
        query = E.select().order_by(E.id.desc()).limit(limit + 1)
        for condition in self._conditions(flt):
            query = query.where(condition)
        if cursor is not None:
            if not cursor.isdigit():
                raise InvalidArgument("page_token is not valid: pass the next_page_token of the previous page unchanged")
            query = query.where(E.id < int(cursor))
        rows = list(query)
        events = [event_from_row(r) for r in rows[:limit]]
        return events, encode_token("events", str(events[-1].event_id)) if len(rows) > limit else ""

    def _conditions(self, flt: EventFilter) -> Iterable:
        E = self._t.event
        if flt.person_id:
            yield E.person_id == check_person_id(flt.person_id)
        if flt.start and flt.end and flt.end <= flt.start:
            raise InvalidArgument("end_time must be after start_time")
        if flt.start:
            yield E.occurred_us >= to_us(flt.start)
        if flt.end:
            yield E.occurred_us < to_us(flt.end)
        if flt.event_types:
            yield E.event_type.in_([t.value for t in flt.event_types])
        if flt.anomalies_only:
            yield E.anomalies != ""
