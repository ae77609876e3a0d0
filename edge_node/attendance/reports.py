"""Daily reports: stored summaries of a local date plus ABSENT rows for everyone else."""
from __future__ import annotations

from datetime import date
from typing import Callable

from edge_node.attendance.model import DailyReport
from edge_node.attendance.persons import PersonRegistry
from edge_node.attendance.rows import summary_from_row, to_us
from edge_node.attendance.rules import AttendanceRules, local_date_of, local_day_bounds
from edge_node.storage.schema import Tables
from edge_node.attendance.summary import absent
from edge_node.common.clock import Clock
from edge_node.common.errors import InvalidArgument


class DailyReports:
    def __init__(self, tables: Tables, persons: PersonRegistry, rules: Callable[[], AttendanceRules], clock: Clock) -> None:
        self._t = tables
        self._persons = persons
        self._rules = rules
        self._clock = clock

    def report(self, local_date: str = "") -> DailyReport:
        """The report of `local_date` (YYYY-MM-DD in the site time zone; '' means today)."""
        rules = self._rules()
        day = parse_local_date(local_date) if local_date else local_date_of(rules, self._clock.now())
        S = self._t.summary
        summaries = {r.person_id: summary_from_row(r) for r in S.select().where(S.local_date == day.isoformat())}
        _, day_end = local_day_bounds(rules, day)
        for person_id, name, created_us in self._persons.all_active_ids():
            if person_id not in summaries and created_us < to_us(day_end):
                summaries[person_id] = absent(person_id, name, day)
        return DailyReport(day, rules.time_zone, [summaries[k] for k in sorted(summaries)])


def parse_local_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidArgument(f"local_date {text!r} is not a date in the form YYYY-MM-DD") from None
