"""The attendance store: one SQLite file holding persons, the event log, summaries, templates and settings."""
from __future__ import annotations

import json
from datetime import date
from functools import partial
from pathlib import Path

from edge_node.common.bus import Broadcaster
from edge_node.attendance.corrections import Corrections
from edge_node.attendance.log import AttendanceLog
from edge_node.storage.checkpointer import Checkpointer
from edge_node.storage.group_commit import GroupCommitter
from edge_node.storage.journal import ChangeJournal
from edge_node.storage.migrations import migrate
from edge_node.attendance.model import Event
from edge_node.attendance.persons import PersonRegistry
from edge_node.attendance.punch_reviews import PunchReviews
from edge_node.attendance.reports import Reports
from edge_node.attendance.review_config import ReviewConfig
from edge_node.attendance.rules import AttendanceRules
from edge_node.attendance.schedule import Schedule
from edge_node.attendance.schedule_history import ScheduleVersion
from edge_node.attendance.schedule_versions import ScheduleVersions
from edge_node.attendance.trusted_time import TrustedTime, kernel_clock_synchronised
from edge_node.attendance.verify import LogIntegrity
from edge_node.attendance.writer import EventWriter
from edge_node.storage.schema import Tables, bind, open_database
from edge_node.common.clock import Clock, SystemClock



class AttendanceStore:
    """Opens and migrates the database and wires the registry, the log and the reports to it."""

    def __init__(self, tables: Tables, rules: AttendanceRules, clock: Clock, trusted_time: TrustedTime | None = None) -> None:
        self.tables = tables
        self._checkpointer = Checkpointer(Path(tables.db.database))
        self._rules = rules.validate()
        self.clock = clock
        self.events: Broadcaster[Event] = Broadcaster()
        self.journal = ChangeJournal(tables)
        self.persons = PersonRegistry(tables, clock, self.journal)
        self.writer = EventWriter(tables)
        # Writes from the admin API run here, scans grouped into shared commits (see group_commit).
        self.writes = GroupCommitter(tables.db, "attendance-write", self.writer.lock, self.writer.forget)
        # The kernel's sync state describes the system clock only; an injected clock is taken as given.
        self.trusted_time = trusted_time or TrustedTime(
            clock, synchronised=kernel_clock_synchronised if isinstance(clock, SystemClock) else lambda: None)
        self.corrections = Corrections(tables, self.persons, self.get_rules, clock, self.writer)
        self.schedules = ScheduleVersions(tables, self.get_rules, clock, self.writer, self.corrections)
        self.log = AttendanceLog(tables, self.get_rules, self.schedules.history, clock, self._publish,
                                 self.writer, self.trusted_time)
        self.review_config = ReviewConfig()
        self.reviews = PunchReviews(tables, clock, self.writer, self.corrections, lambda: self.review_config)
        self.corrections.on_erase(self.reviews.delete_person)
        self.persons.on_delete(self._delete_crops)
        self.integrity = LogIntegrity(tables)
        self.reports = Reports(tables, self.persons, self.get_rules, self.schedules.history, clock, self.integrity)

    @classmethod
    def open(cls, path: Path, rules: AttendanceRules | None = None, clock: Clock | None = None,
             synchronous: str = "NORMAL") -> "AttendanceStore":
        tables = bind(open_database(path, synchronous))
        migrate(tables)
        return cls(tables, rules or AttendanceRules(), clock or SystemClock())

    def _delete_crops(self, person_id: str) -> int:
        """Person-delete hook: their review crops go with their face (no templates counted)."""
        self.reviews.delete_person(person_id)
        return 0

    def _publish(self, event: Event) -> None:
        """Tell the watchers of `event` once it is durable (a grouped scan's after its batch's commit)."""
        self.writes.after_commit(partial(self.events.publish, event))

    def get_rules(self) -> AttendanceRules:
        return self._rules

    def set_rules(self, rules: AttendanceRules, actor: str = "(settings)", effective_from: date | None = None,
                  starting: bool = False) -> ScheduleVersion | None:
        """Apply new settings; when their pay rules differ from those in force on `effective_from` (default:
        today), store a schedule version with them (returned), so the change never reaches back. `starting`: these
        are the settings the node starts with (the pay rules of its past if none were kept yet, see
        ScheduleVersions.fallback), not a change of the running ones."""
        rules = rules.validate()
        self.schedules.fallback(rules.pay if starting else self._rules.pay)
        version = self.schedules.follow_settings(rules.pay, actor, effective_from)
        self._rules = rules
        return version

    def set_schedule(self, schedule: Schedule, actor: str, effective_from: date | None = None) -> ScheduleVersion:
        """Store a new version of the schedule (from today on unless `effective_from` says otherwise)."""
        return self.schedules.add(schedule, actor, effective_from)

    def load_setting(self, key: str) -> object | None:
        row = self.tables.setting.get_or_none(self.tables.setting.key == key)
        return json.loads(row.value) if row else None

    def save_setting(self, key: str, value: object) -> None:
        self.tables.setting.insert(key=key, value=json.dumps(value)).on_conflict_replace().execute()

    def close(self) -> None:
        self.writes.close()
        self._checkpointer.stop()
        self.tables.db.close()
