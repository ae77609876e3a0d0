"""The node's schedule versions: append-only in SQLite, each change recorded on the chained log with it.

Every version carries the pay rules (PayRules) in force from its date: a version stored without them
takes the current settings, and a settings change that affects pay stores a new version (the schedule in
force that day with the new pay rules). Versions stored before pay rules were kept, and the days before
the first version, use the pay rules the node had when it first ran this code (kept once in the setting
table as `pay_rules_before_versions`), so no later settings change reaches back into them.
"""
from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from typing import Callable

from edge_node.attendance.corrections import Corrections
from edge_node.attendance.rules import AttendanceRules, PayRules, local_date_of
from edge_node.attendance.schedule import Schedule, schedule_from_dict, schedule_to_dict, with_defaults
from edge_node.attendance.schedule_history import ScheduleHistory, ScheduleVersion, schedule_digest
from edge_node.attendance.writer import EventWriter
from edge_node.common.clock import Clock
from edge_node.storage.schema import Tables
from edge_node.storage.timestamps import from_us, to_us

# The setting that keeps the pay rules of the days before pay rules were versioned (see the module docstring).
FALLBACK_PAY_KEY = "pay_rules_before_versions"


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
        self._fallback: PayRules | None = None
        self._cached: tuple[tuple[ScheduleVersion, ...], ScheduleHistory] | None = None

    def _load(self) -> tuple[ScheduleVersion, ...]:
        V = self._t.schedule_version
        return tuple(ScheduleVersion(r.id, date.fromisoformat(r.effective_from), schedule_from_dict(json.loads(r.schedule)),
                                     r.actor, from_us(r.recorded_us)) for r in V.select().order_by(V.id))

    def all(self) -> tuple[ScheduleVersion, ...]:
        """Every version in the order they were recorded."""
        return self._versions

    def fallback(self, first: PayRules | None = None) -> PayRules:
        """The pay rules of versions without their own and of the days before the first version: stored the
        first time they are needed (`first`, else the current settings) and fixed from then on."""
        if self._fallback is None:
            row = self._t.setting.get_or_none(self._t.setting.key == FALLBACK_PAY_KEY)
            if row is None:
                pay = first or self._rules().pay
                self._t.setting.insert(key=FALLBACK_PAY_KEY, value=json.dumps(pay.as_dict())).on_conflict_ignore().execute()
            else:
                pay = PayRules.from_dict(json.loads(row.value))
            self._fallback = pay
        return self._fallback

    def history(self) -> ScheduleHistory:
        versions, cached = self._versions, self._cached
        if cached is None or cached[0] is not versions:
            cached = self._cached = (versions, ScheduleHistory(versions, self.fallback()))
        return cached[1]

    def follow_settings(self, pay: PayRules, actor: str, effective_from: date | None = None) -> ScheduleVersion | None:
        """Store a version with new pay rules from `effective_from` (default: today) when they differ from the
        ones in force that day: the schedule stays the one in force then. A version dated later gets the new pay
        rules too (a version of the same date, recorded after it), so the settings hold from the change on.
        Without a date, the change is never dated before the day the newest version was recorded: a clock that
        runs behind at boot (no RTC, not yet synchronised) cannot reach back into the past.
        Returns the version of `effective_from`, or None when nothing changes."""
        day = effective_from or max([self.today(), *(local_date_of(self._rules(), v.recorded_at)
                                                      for v in self._versions if v.recorded_at)])
        history = self.history()
        current = history.version_at(day)
        later = [v for v in history.versions if v.effective_from > day and v.schedule.pay != pay]
        if history.pay_at(day) == pay and not later:
            return None
        first = None
        try:
            with self._writer.transaction():  # every version of the change, or none
                if history.pay_at(day) != pay:
                    first = self.add(replace(current.schedule if current else Schedule(), pay=pay), actor, day,
                                     "pay rules changed")
                for version in later:
                    self.add(replace(version.schedule, pay=pay), actor, version.effective_from,
                             f"pay rules changed from {day}")
        except BaseException:
            self._versions = self._load()  # what the rollback left
            raise
        return first

    def today(self) -> date:
        """The site's local date now: the default first day of a new version."""
        return local_date_of(self._rules(), self._clock.now())

    def add(self, schedule: Schedule, actor: str, effective_from: date | None = None,
            why: str = "") -> ScheduleVersion:
        """Validate and store a new version in force from `effective_from` (default: today) until a version
        with a later date. A date before today (a fix of a past mistake) is allowed and said so on the log.
        A schedule without pay rules gets the current settings'."""
        rules = self._rules()
        self.fallback()  # kept before the first version, from the settings in force until now
        if schedule.pay is None:
            schedule = replace(schedule, pay=rules.pay)
        with_defaults(schedule, rules).validate()
        now = self._clock.now()
        today = local_date_of(rules, now)
        day = effective_from or today
        V = self._t.schedule_version
        with self._writer.transaction():  # the kept chain head is forgotten if this rolls back
            version = V.insert(effective_from=day.isoformat(), schedule=json.dumps(schedule_to_dict(schedule)),
                               actor=actor, recorded_us=to_us(now)).execute()
            back = f", back-dated (today is {today})" if day < today else ""
            because = f" ({why})" if why else ""
            event = self._corrections.admin_action(
                actor, f"schedule version {version} in force from {day}{back}{because}: {len(schedule.shifts)} shift(s), "
                       f"{len(schedule.patterns)} pattern(s), {len(schedule.holidays)} holiday(s); "
                       f"sha256 {schedule_digest(schedule)}")
            V.update(event_id=event.event_id).where(V.id == version).execute()
        added = ScheduleVersion(version, day, schedule, actor, now)
        self._versions = (*self._versions, added)
        return added
