"""The attendance store: one SQLite file holding persons, the event log, summaries, templates and settings."""
from __future__ import annotations

import json
from pathlib import Path

from edge_node.common.bus import Broadcaster
from edge_node.attendance.log import AttendanceLog
from edge_node.storage.checkpointer import Checkpointer
from edge_node.storage.journal import ChangeJournal
from edge_node.storage.migrations import migrate
from edge_node.attendance.model import Event
from edge_node.attendance.persons import PersonRegistry
from edge_node.attendance.reports import DailyReports
from edge_node.attendance.rules import AttendanceRules
from edge_node.storage.schema import Tables, bind, open_database
from edge_node.common.clock import Clock, SystemClock


class AttendanceStore:
    """Opens and migrates the database and wires the registry, the log and the reports to it."""

    def __init__(self, tables: Tables, rules: AttendanceRules, clock: Clock) -> None:
        self.tables = tables
        self._checkpointer = Checkpointer(Path(tables.db.database))
        self._rules = rules.validate()
        self.clock = clock
        self.events: Broadcaster[Event] = Broadcaster()
        self.journal = ChangeJournal(tables)
        self.persons = PersonRegistry(tables, clock, self.journal)
        self.log = AttendanceLog(tables, self.persons, self.get_rules, clock, self.events)
        self.reports = DailyReports(tables, self.persons, self.get_rules, clock)

    @classmethod
    def open(cls, path: Path, rules: AttendanceRules | None = None, clock: Clock | None = None,
             synchronous: str = "NORMAL") -> "AttendanceStore":
        tables = bind(open_database(path, synchronous))
        migrate(tables)
        return cls(tables, rules or AttendanceRules(), clock or SystemClock())

    def get_rules(self) -> AttendanceRules:
        return self._rules

    def set_rules(self, rules: AttendanceRules) -> None:
        self._rules = rules.validate()

    def load_setting(self, key: str) -> object | None:
        row = self.tables.setting.get_or_none(self.tables.setting.key == key)
        return json.loads(row.value) if row else None

    def save_setting(self, key: str, value: object) -> None:
        self.tables.setting.insert(key=key, value=json.dumps(value)).on_conflict_replace().execute()

    def close(self) -> None:
        self._checkpointer.stop()
        self.tables.db.close()
