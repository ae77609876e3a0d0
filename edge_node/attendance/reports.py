"""Reports computed from the punches on demand: timecards for any period, daily reports, who is in now."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Callable

from edge_node.attendance.corrections import CorrectionNote, correction_notes
from edge_node.attendance.model import DailyReport, Employment
from edge_node.attendance.persons import PersonRegistry
from edge_node.attendance.punch_rows import load_punch_rows, period_range_us
from edge_node.attendance.punches import punches_by_person
from edge_node.storage.timestamps import from_us, to_us
from edge_node.attendance.rules import AttendanceRules, local_date_of, local_day_bounds
from edge_node.attendance.schedule_history import ScheduleHistory
from edge_node.attendance.summary import summary_of
from edge_node.attendance.timecard import Calendars, DayCard, period_start, person_timecards
from edge_node.attendance.verify import LogIntegrity, VerifyResult, pruned_until_us
from edge_node.common.validation import check_person_id
from edge_node.storage.schema import Tables
from edge_node.common.clock import Clock
from edge_node.common.errors import FailedPrecondition, InvalidArgument

MAX_PERIOD_DAYS = 366


@dataclass(frozen=True)
class Timecard:
    person_id: str
    person_name: str
    days: list[DayCard]


class Reports:
    def __init__(self, tables: Tables, persons: PersonRegistry, rules: Callable[[], AttendanceRules],
                 schedules: Callable[[], ScheduleHistory], clock: Clock, integrity: LogIntegrity) -> None:
        self._t = tables
        self._persons = persons
        self._rules = rules
        self._schedules = schedules
        self._clock = clock
        self._integrity = integrity

    def timecards(self, first: date, last: date, person_id: str = "", include_unenrolled: bool = False) -> list[Timecard]:
        """Day cards from `first` to `last` of one person (asked for by id), or of everyone in payroll: the
        active persons expected in the period (see `_expected`; `include_unenrolled` drops its condition of a
        face or an employment set) and anyone who punched."""
        check_period(first, last)
        rules, history = self._rules(), self._schedules()
        if person_id:
            check_person_id(person_id)
        calendars = Calendars(history, rules)
        self._check_kept(rules, period_start(calendars, first))  # a weekly overtime rule reads from the Monday
        start_us, end_us = period_range_us(rules, period_start(calendars, first), last)
        punches = punches_by_person(load_punch_rows(self._t.db, start_us, end_us, person_id))
        expected, employments = self._expected(rules, first, last, include_unenrolled)
        names = self._all_names()
        ids = [person_id] if person_id else sorted(set(expected) | set(punches))
        now = self._clock.now()
        return [Timecard(pid, names.get(pid, ""), person_timecards(calendars, pid, punches.get(pid, []), first, last,
                                                                   now, employments.get(pid, Employment())))
                for pid in ids]

    def correction_notes(self, first: date, last: date, person_id: str = "") -> dict[tuple[str, date], list[CorrectionNote]]:
        """Who corrected which punch of each (person, shift day) in the period, and why."""
        rules = self._rules()
        notes = correction_notes(self._t.db, Calendars(self._schedules(), rules), *period_range_us(rules, first, last),
                                 first, last)
        return {key: found for key, found in notes.items() if not person_id or key[0] == person_id}

    def log_state(self, first: date, last: date) -> VerifyResult:
        """The tamper-evident log's state for the events of the period's shift days (see LogIntegrity.period)."""
        return self._integrity.period(*period_range_us(self._rules(), first, last))

    def _check_kept(self, rules: AttendanceRules, first: date) -> None:
        """Refuse a period that starts before events were pruned from this box: its punches are only on the hub."""
        until_us = pruned_until_us(self._t)
        start, _ = local_day_bounds(rules, first)
        if until_us is not None and to_us(start) <= until_us:
            pruned = local_date_of(rules, from_us(until_us))
            raise FailedPrecondition(
                f"this box no longer holds the events of {first.isoformat()}: events up to {pruned.isoformat()} were "
                "pruned after they reached the hub; ask the hub for this period (its site timecards keep every event), "
                f"or choose a period from {(pruned + timedelta(days=1)).isoformat()} on")

    def _all_names(self) -> dict[str, str]:
        return dict(self._t.db.execute_sql("SELECT person_id, display_name FROM person"))

    def _expected(self, rules: AttendanceRules, first: date, last: date,
                  include_unenrolled: bool = False) -> tuple[set[str], dict[str, Employment]]:
        """The active persons expected at work from `first` to `last` (they may be ABSENT): employed during the
        period, with a face enrolled or an employment period set. And each active person's employment:
        as set, with an unset start taken as the local date they were created (no day before it is ABSENT)."""
        faced = {pid for (pid,) in self._t.db.execute_sql("SELECT DISTINCT person_id FROM face_template")}
        expected, employments = set(), {}
        for pid, _name, created_us, as_set in self._persons.all_active_ids():
            employment = employments[pid] = Employment(as_set.start or local_date_of(rules, from_us(created_us)),
                                                       as_set.end)
            employed = employment.start <= last and (employment.end is None or first <= employment.end)
            if employed and (include_unenrolled or pid in faced or as_set != Employment()):
                expected.add(pid)
        return expected, employments

    def report(self, local_date: str = "") -> DailyReport:
        """The report of `local_date` (YYYY-MM-DD in the site time zone; '' means today)."""
        rules = self._rules()
        day = parse_local_date(local_date) if local_date else local_date_of(rules, self._clock.now())
        summaries = [summary_of(card.days[0], card.person_name) for card in self.timecards(day, day)]
        return DailyReport(day, rules.time_zone, summaries)

    def who_is_in(self) -> list[tuple[Timecard, DayCard]]:
        """Everyone whose shift day holds an open punch now, with that day's card."""
        today = local_date_of(self._rules(), self._clock.now())
        inside = []
        for card in self.timecards(today - timedelta(days=1), today):
            open_days = [d for d in card.days if d.is_in]
            if open_days:
                inside.append((card, open_days[-1]))
        return inside


def check_period(first: date, last: date) -> None:
    if last < first:
        raise InvalidArgument(f"the period ends ({last}) before it starts ({first})")
    if (last - first).days >= MAX_PERIOD_DAYS:
        raise InvalidArgument(f"a period may span at most {MAX_PERIOD_DAYS} days (got {(last - first).days + 1})")


def parse_local_date(text: str, field: str = "local_date") -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidArgument(f"{field} {text!r} is not a date in the form YYYY-MM-DD") from None
