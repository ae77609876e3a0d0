"""The node's schedule versions: append-only in SQLite, each change recorded on the chained log with it."""
from __future__ import annotations

import json
from datetime import date
from typing import Callable

from edge_node.attendance.corrections import Corrections
from edge_node.attendance.rules import AttendanceRules, local_date_of
from edge_node.attendance.schedule import Schedule, schedule_from_dict, schedule_to_dict, with_defaults
from edge_node.attendance.schedule_history import ScheduleHistory, ScheduleVersion, schedule_digest
from edge_node.attendance.writer import EventWriter
from edge_node.common.clock import Clock
from edge_node.storage.schema import Tables
from edge_node.storage.timestamps import from_us, to_us


class ScheduleVersions:
    """Adds versions and answers which one is in force; the history object is kept until a version is added
    or the rules change, so the shift calendars cached on it are dropped exactly then."""

    def __init__(self, tables: Tables, rules: Callable[[], AttendanceRules], clock: Clock, writer: EventWriter,
                 corrections: Corrections) -> None:
        self._t = tables
        self._rules = rules
        self._clock = clock
        self._writer = writer
        self._corrections = corrections
        self._versions = self._load()
        self._cached: tuple[AttendanceRules, tuple[ScheduleVersion, ...], ScheduleHistory] | None = None

    def _load(self) -> tuple[ScheduleVersion, ...]:
        V = self._t.schedule_version
        return tuple(ScheduleVersion(r.id, date.fromisoformat(r.effective_from), schedule_from_dict(json.loads(r.schedule)),
                                     r.actor, from_us(r.recorded_us)) for r in V.select().order_by(V.id))

    def all(self) -> tuple[ScheduleVersion, ...]:
        """Every version in the order they were recorded."""
        return self._versions

    def history(self) -> ScheduleHistory:
        rules, versions, cached = self._rules(), self._versions, self._cached
        if cached is None or cached[0] is not rules or cached[1] is not versions:
            cached = self._cached = (rules, versions, ScheduleHistory(versions, rules))
        return cached[2]

    def today(self) -> date:
        """The site's local date now: the default first day of a new version."""
        return local_date_of(self._rules(), self._clock.now())

    def add(self, schedule: Schedule, actor: str, effective_from: date | None = None) -> ScheduleVersion:
        """Validate and store a new version in force from `effective_from` (default: today) until a version
        with a later date. A date before today (a fix of a past mistake) is allowed and said so on the log."""
        rules = self._rules()
        with_defaults(schedule, rules).validate()
        now = self._clock.now()
        today = local_date_of(rules, now)
        day = effective_from or today
        V = self._t.schedule_version
        with self._writer.transaction():  # the kept chain head is forgotten if this rolls back
            version = V.insert(effective_from=day.isoformat(), schedule=json.dumps(schedule_to_dict(schedule)),
                               actor=actor, recorded_us=to_us(now)).execute()
            back = f", back-dated (today is {today})" if day < today else ""
            event = self._corrections.admin_action(
                actor, f"schedule version {version} in force from {day}{back}: {len(schedule.shifts)} shift(s), "
                       f"{len(schedule.patterns)} pattern(s), {len(schedule.holidays)} holiday(s); "
                       f"sha256 {schedule_digest(schedule)}")
            V.update(event_id=event.event_id).where(V.id == version).execute()
        added = ScheduleVersion(version, day, schedule, actor, now)
        self._versions = (*self._versions, added)
        return added
