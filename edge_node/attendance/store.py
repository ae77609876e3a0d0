"""The attendance store: one SQLite file holding persons, the event log, summaries, templates and settings."""
from __future__ import annotations

import json
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
from edge_node.attendance.reports import Reports
from edge_node.attendance.rules import AttendanceRules
from edge_node.attendance.schedule import Schedule, schedule_from_dict, schedule_to_dict, with_defaults
from edge_node.attendance.trusted_time import TrustedTime, kernel_clock_synchronised
from edge_node.attendance.writer import EventWriter
from edge_node.storage.schema import Tables, bind, open_database
from edge_node.common.clock import Clock, SystemClock


SCHEDULE_KEY = "schedule"


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
        self._schedule = self._load_schedule()
        self._effective: tuple[AttendanceRules, Schedule] | None = None
        self.log = AttendanceLog(tables, self.persons, self.get_rules, self.get_schedule, clock, self._publish, self.writer,
                                 self.trusted_time)
        self.corrections = Corrections(tables, self.persons, self.get_rules, clock, self.writer)
        self.reports = Reports(tables, self.persons, self.get_rules, self.get_schedule, clock)

    @classmethod
    def open(cls, path: Path, rules: AttendanceRules | None = None, clock: Clock | None = None,
             synchronous: str = "NORMAL") -> "AttendanceStore":
        tables = bind(open_database(path, synchronous))
        migrate(tables)
        return cls(tables, rules or AttendanceRules(), clock or SystemClock())

    def _publish(self, event: Event) -> None:
        """Tell the watchers of `event` once it is durable (a grouped scan's after its batch's commit)."""
        self.writes.after_commit(partial(self.events.publish, event))

    def get_rules(self) -> AttendanceRules:
        return self._rules

    def set_rules(self, rules: AttendanceRules) -> None:
        self._rules = rules.validate()

    def get_schedule(self) -> Schedule:
        """The stored schedule with the built-in default shift and pattern (today's rules) filled in; the same
        object until the schedule or the rules change, so the shift calendars built on it can be kept."""
        if self._effective is None or self._effective[0] is not self._rules:
            self._effective = (self._rules, with_defaults(self._schedule, self._rules))
        return self._effective[1]

    def set_schedule(self, schedule: Schedule, actor: str) -> Schedule:
        """Validate, store and apply a whole new schedule; the change is kept on the chained log."""
        with_defaults(schedule, self._rules).validate()
        self.corrections.admin_action(actor, f"schedule replaced: {len(schedule.shifts)} shift(s), "
                                             f"{len(schedule.patterns)} pattern(s), {len(schedule.holidays)} holiday(s)")
        self.save_setting(SCHEDULE_KEY, schedule_to_dict(schedule))
        self._schedule, self._effective = schedule, None
        return self.get_schedule()

    def _load_schedule(self) -> Schedule:
        stored = self.load_setting(SCHEDULE_KEY)
        return schedule_from_dict(stored) if isinstance(stored, dict) else Schedule()

    def load_setting(self, key: str) -> object | None:
        row = self.tables.setting.get_or_none(self.tables.setting.key == key)
        return json.loads(row.value) if row else None

    def save_setting(self, key: str, value: object) -> None:
        self.tables.setting.insert(key=key, value=json.dumps(value)).on_conflict_replace().execute()

    def close(self) -> None:
        self.writes.close()
        self._checkpointer.stop()
        self.tables.db.close()
