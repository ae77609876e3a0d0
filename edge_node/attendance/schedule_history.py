"""Effective-dated schedules: every change is a version in force from a day on, so it never rewrites the past.

The version in force on a day is the one with the latest `effective_from` on or before that day; of
versions with the same date, the one given last wins (on a node: the one recorded last). Before the
first version, the built-in default (`with_defaults` of an empty schedule) applies. Timecards look up
each shift day's own version, so a period that spans a change uses the old version before it and the
new one from its date on. Each version carries its pay rules (time zone, default shift, lunch rule);
`fallback` stands in only for versions stored before pay rules were kept and for the days before the
first version (a node keeps it fixed: see ScheduleVersions), never for today's settings.
"""
from __future__ import annotations

import hashlib
import json
from bisect import bisect_right
from dataclasses import dataclass
from datetime import date, datetime
from typing import Sequence

from edge_node.attendance.rules import AttendanceRules, PayRules
from edge_node.attendance.schedule import Schedule, WeeklyPattern, schedule_to_dict, with_defaults

# The date of a version in force for every day (the schedule a node had before versions existed).
SINCE_EVER = date(1, 1, 1)


@dataclass(frozen=True)
class ScheduleVersion:
    version: int  # the node's version number (increasing, never reused)
    effective_from: date
    schedule: Schedule  # as set, without the built-in defaults
    actor: str = ""
    recorded_at: datetime | None = None
    source: str = ""  # the box it came from (on the hub)


def schedule_digest(schedule: Schedule) -> str:
    """SHA-256 hex of the schedule's canonical JSON (kept on the chained log with the change)."""
    return stored_schedule_digest(schedule_to_dict(schedule))


def stored_schedule_digest(stored: dict) -> str:
    """The same digest of a schedule as stored (its JSON object)."""
    text = json.dumps(stored, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


class ScheduleHistory:
    """The versions ordered by effective date, each filled in with its pay rules and the built-in defaults."""

    def __init__(self, versions: Sequence[ScheduleVersion], fallback: PayRules | AttendanceRules) -> None:
        ordered = sorted(versions, key=lambda v: v.effective_from)  # stable: the later given wins a tie
        self.versions = tuple(ordered)
        self._starts = [v.effective_from for v in ordered]
        # Slot 0 is the built-in default (before the first version); slot i + 1 is versions[i].
        self.schedules = (with_defaults(Schedule(), fallback),
                          *(with_defaults(v.schedule, fallback) for v in ordered))

    def slot(self, day: date) -> int:
        """The slot in force on `day` (an index into `schedules`)."""
        return bisect_right(self._starts, day)

    def at(self, day: date) -> Schedule:
        return self.schedules[self.slot(day)]

    def pay_at(self, day: date) -> PayRules:
        """The pay rules in force on `day` (its time zone among them)."""
        pay = self.at(day).pay
        assert pay is not None  # with_defaults fills it in
        return pay

    def version_at(self, day: date) -> ScheduleVersion | None:
        """The version in force on `day`; None when the built-in default is."""
        slot = self.slot(day)
        return self.versions[slot - 1] if slot else None

    def patterns_of(self, person_id: str) -> tuple[WeeklyPattern, ...]:
        """The person's weekly pattern in each slot: people with the same tuple share their shift days."""
        return tuple(s.pattern_of(person_id) for s in self.schedules)
