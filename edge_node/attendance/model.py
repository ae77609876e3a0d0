"""Domain records of the attendance engine: persons, events, anomalies, daily summaries."""
from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date, datetime


class EventType(str, enum.Enum):
    """What a scan became; values match the proto enum names without prefix."""

    ENTRY = "ENTRY"
    EXIT = "EXIT"
    DUPLICATE = "DUPLICATE"
    REJECTED = "REJECTED"
    UNKNOWN_FACE = "UNKNOWN_FACE"
    SPOOF = "SPOOF"
    # Corrections, appended by an admin with a reason; nothing is edited in place.
    PUNCH_ADDED = "PUNCH_ADDED"
    PUNCH_VOIDED = "PUNCH_VOIDED"
    PUNCH_MOVED = "PUNCH_MOVED"
    # An admin action (schedule change, erasure) kept on the tamper-evident log.
    ADMIN = "ADMIN"
    PERSON_ERASED = "PERSON_ERASED"

    @property
    def counted(self) -> bool:
        """True for the scans that alternate and make up worked time."""
        return self in (EventType.ENTRY, EventType.EXIT)

    @property
    def punch(self) -> bool:
        """True for the events that are a punch (unless a later correction voids or moves them)."""
        return self in PUNCH_TYPES

    @property
    def correction(self) -> bool:
        return self in (EventType.PUNCH_ADDED, EventType.PUNCH_VOIDED, EventType.PUNCH_MOVED)


PUNCH_TYPES = frozenset({EventType.ENTRY, EventType.EXIT, EventType.PUNCH_ADDED, EventType.PUNCH_MOVED})


class AnomalyKind(str, enum.Enum):
    AFTER_HOURS = "AFTER_HOURS"
    WEEKEND = "WEEKEND"
    EXCESSIVE_SCANS = "EXCESSIVE_SCANS"
    LATE = "LATE"
    EARLY_LEAVE = "EARLY_LEAVE"
    OVERTIME = "OVERTIME"
    MISSING_EXIT = "MISSING_EXIT"
    ABSENT = "ABSENT"
    CLOCK_UNSYNCED = "CLOCK_UNSYNCED"
    CLOCK_BACKWARDS = "CLOCK_BACKWARDS"


class AttendanceStatus(str, enum.Enum):
    PRESENT = "PRESENT"
    HALF_DAY = "HALF_DAY"
    ABSENT = "ABSENT"


@dataclass(frozen=True)
class Anomaly:
    kind: AnomalyKind
    reason: str


@dataclass(frozen=True)
class Employment:
    """The days a person is employed (both ends inclusive; None: open). No day outside it is ABSENT."""

    start: date | None = None
    end: date | None = None

    def covers(self, day: date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)


@dataclass(frozen=True)
class Person:
    person_id: str
    display_name: str
    active: bool
    created_at: datetime
    updated_at: datetime
    last_seen_at: datetime | None = None
    # As set by an admin; an unset start means the local date the person was created (see Reports).
    employment: Employment = Employment()


@dataclass(frozen=True)
class Event:
    """One logged scan outcome; `event_id` doubles as the node's outbox sequence number."""

    event_id: int
    person_id: str
    person_name: str
    event_type: EventType
    occurred_at: datetime
    local_date: date
    confidence: float = 0.0
    camera_id: str = ""
    anomalies: tuple[Anomaly, ...] = ()
    reason: str = ""
    liveness: float = 0.0
    ref_seq: int | None = None
    actor: str = ""
    hash: str = ""


@dataclass(frozen=True)
class DailySummary:
    person_id: str
    person_name: str
    local_date: date
    first_entry_at: datetime | None
    last_exit_at: datetime | None
    entry_count: int
    exit_count: int
    hours_worked: float
    status: AttendanceStatus
    anomaly_count: int
    open_entry: bool


@dataclass(frozen=True)
class DailyReport:
    local_date: date
    time_zone: str
    summaries: list[DailySummary] = field(default_factory=list)

    def count(self, status: AttendanceStatus) -> int:
        return sum(1 for s in self.summaries if s.status is status)
