"""The attendance log: applies the rules to scans, stores events (raw punches), lists events."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cached_property, partial
from typing import Callable, Iterable

from edge_node.attendance.decide import ScanDecision, decide_scan, reject
from edge_node.attendance.model import Anomaly, DailySummary, Event, EventType
from edge_node.attendance.punch_rows import PERSON_PACKED, person_packed_args, unpack_rows
from edge_node.attendance.punches import PunchRow, day_punches
from edge_node.attendance.rows import PERSON_COLUMNS, event_from_row, person_from_tuple
from edge_node.storage.timestamps import from_us, to_us
from edge_node.attendance.rules import AttendanceRules
from edge_node.attendance.schedule_history import ScheduleHistory
from edge_node.attendance.summary import summary_of
from edge_node.attendance.trusted_time import TrustedTime
from edge_node.attendance.timecard import Calendars, DayCard, Punch, PunchKind, day_card
from edge_node.common.validation import check_person_id, decode_token, encode_token, page_size
from edge_node.attendance.writer import EventWriter
from edge_node.storage.schema import Tables
from edge_node.common.clock import Clock
from edge_node.common.errors import FailedPrecondition, InvalidArgument

MAX_FUTURE = timedelta(minutes=5)
MAX_CAMERA_ID_CHARS = 64
# The person and their punch rows of a shift day's window, in one statement: on the attendance-write thread each
# statement gives the GIL to the gRPC loop and waits to get it back.
_PERSON_AND_ROWS = f"SELECT {PERSON_COLUMNS}, ({PERSON_PACKED}) FROM person WHERE person_id = ?"
# The minimum stay runs from the person's last scan of any counted kind, duplicates included: someone who
# lingers at the kiosk keeps being seen and is not booked out until they have gone for the whole window.
_SCAN_TYPES = ("ENTRY", "EXIT", "DUPLICATE", "PUNCH_ADDED", "PUNCH_MOVED")
_LAST_SCAN = (f"SELECT occurred_us FROM event WHERE person_id = ? AND occurred_us < ?"
              f" AND event_type IN ({', '.join(repr(t) for t in _SCAN_TYPES)}) ORDER BY occurred_us DESC LIMIT 1")


@dataclass(frozen=True)
class ScanResult:
    """A stored scan, and the person's day as of it. The day card and summary are computed when first read,
    from what the scan's transaction saw: outside the write lock, so the attendance-write thread only decides
    and stores."""

    event: Event
    person_name: str = ""
    day_card_of: Callable[[], DayCard] | None = field(default=None, repr=False, compare=False)

    @cached_property
    def card(self) -> DayCard | None:
        return self.day_card_of() if self.day_card_of else None

    @cached_property
    def summary(self) -> DailySummary | None:
        card = self.card
        return summary_of(card, self.person_name) if card else None


@dataclass(frozen=True)
class EventFilter:
    person_id: str = ""
    start: datetime | None = None
    end: datetime | None = None
    event_types: tuple[EventType, ...] = ()
    anomalies_only: bool = False


class AttendanceLog:
    """Records scans atomically (one chained event per scan) and publishes them."""

    def __init__(self, tables: Tables, rules: Callable[[], AttendanceRules],
                 schedules: Callable[[], ScheduleHistory], clock: Clock, publish: Callable[[Event], None],
                 writer: EventWriter,
                 trusted_time: TrustedTime) -> None:
        """`publish` tells watchers of an event once it is durable (called after the event's transaction)."""
        self._t = tables
        self._rules = rules
        self._schedules = schedules
        self._clock = clock
        self._publish = publish
        self.writer = writer
        self._time = trusted_time
        self._cached: Calendars | None = None

    def _calendars(self, history: ScheduleHistory, rules: AttendanceRules) -> Calendars:
        """Shift calendars kept while the schedule history and rules stay the same objects (the store replaces
        the history when a version is added or the rules change)."""
        cached = self._cached
        if cached is None or cached.history is not history or cached.rules is not rules:
            cached = self._cached = Calendars(history, rules)
        return cached

    def record_scan(self, person_id: str, confidence: float = 0.0, camera_id: str = "",
                    occurred_at: datetime | None = None, liveness: float = 0.0,
                    flags: tuple[Anomaly, ...] = ()) -> ScanResult:
        """Apply the rules to one scan and store the outcome; unknown ids are logged as REJECTED.
        ``flags`` are anomalies the recogniser raised (a punch to review)."""
        check_person_id(person_id)
        for name, value in (("confidence", confidence), ("liveness", liveness)):
            if not 0.0 <= value <= 1.0:
                raise InvalidArgument(f"{name} must be between 0 and 1 (got {value})")
        if len(camera_id) > MAX_CAMERA_ID_CHARS:
            raise InvalidArgument(f"camera_id must be at most {MAX_CAMERA_ID_CHARS} characters")
        now = self._clock.now()
        explicit = occurred_at is not None
        if occurred_at is not None and occurred_at > now + MAX_FUTURE:
            raise InvalidArgument(f"occurred_at {occurred_at.isoformat()} is in the future (node time {now.isoformat()})")
        rules, history = self._rules(), self._schedules()
        with self.writer.transaction(one_statement=True):  # the scan's event (the person's last-seen time by trigger)
            clock_flags: tuple[Anomaly, ...] = ()
            if occurred_at is None:
                occurred_at, clock_flags = self._time.now(from_us(self.writer.latest_us()))
            result = self._record(rules, history, person_id, confidence, liveness, camera_id, occurred_at,
                                  explicit, now, (*flags, *clock_flags))
        self._publish(result.event)
        return result

    def log_attempt(self, event_type: EventType, person_id: str, reason: str, confidence: float = 0.0,
                    camera_id: str = "") -> Event:
        """Log a recognition attempt that is not a scan (UNKNOWN_FACE, SPOOF) for the audit trail."""
        at = self._clock.now()
        with self.writer.transaction():
            event = self.writer.append(self._rules(), event_type, person_id, "", at, confidence, camera_id,
                                       reason=reason)
        self._publish(event)
        return event

    def _record(self, rules: AttendanceRules, history: ScheduleHistory, person_id: str, confidence: float, liveness: float,
                camera_id: str, at: datetime, explicit_time: bool, now: datetime,
                clock_flags: tuple[Anomaly, ...]) -> ScanResult:
        calendar = self._calendars(history, rules).of(person_id)
        sd = calendar.attribute(at)
        found = self._t.db.execute_sql(_PERSON_AND_ROWS, (
            *person_packed_args(to_us(sd.window_start), to_us(sd.window_end), person_id), person_id)).fetchone()
        person = person_from_tuple(found[:-1]) if found else None
        if person is None or not person.active:
            decision = reject(person, person_id)
            event = self.writer.append(rules, decision.event_type, person_id, person.display_name if person else "", at,
                                       confidence, camera_id, clock_flags, decision.reason, liveness)
            return ScanResult(event)
        if explicit_time:
            self._check_in_order(person_id, at)
        rows = unpack_rows(found[-1])
        punches = day_punches(calendar, sd, person_id, rows)
        effective = sum(1 for p in punches if p.kind.effective)
        scans = sum(1 for p in punches if p.kind is not PunchKind.VOIDED)
        decision: ScanDecision = decide_scan(rules, sd, at, effective, scans, self._last_scan(rows, person_id, at))
        event = self.writer.append(rules, decision.event_type, person_id, person.display_name, at, confidence, camera_id,
                                   (*decision.anomalies, *clock_flags), decision.reason, liveness, day=sd.day)
        kind = PunchKind.PUNCH if decision.event_type.counted else PunchKind.DUPLICATE
        return ScanResult(event, person.display_name,
                          partial(day_card, rules, person_id, sd, [*punches, Punch(at, kind, camera_id)], now))

    def _last_scan(self, window_rows: list[PunchRow], person_id: str, at: datetime) -> datetime | None:
        """The person's last scan at this box up to `at`, at any date: among the shift day's rows when one is
        there (they hold every event of the window up to `at`), else read from the log."""
        at_us = to_us(at)
        in_window = [r.occurred_us for r in window_rows
                     if not r.box and r.person_id == person_id and r.event_type in _SCAN_TYPES and r.occurred_us <= at_us]
        if in_window:
            return from_us(max(in_window))
        last = self._t.db.execute_sql(_LAST_SCAN, (person_id, at_us + 1)).fetchone()
        return from_us(last[0]) if last else None

    def _check_in_order(self, person_id: str, at: datetime) -> None:
        E = self._t.event
        last = E.select(E.occurred_us).where(E.person_id == person_id).order_by(E.occurred_us.desc()).first()
        if last is not None and last.occurred_us > to_us(at):
            raise FailedPrecondition(f"occurred_at {at.isoformat()} is before {person_id!r}'s last recorded event; "
                                     "scans must be recorded in time order (add a missed punch as a correction)")

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
