"""Timecards: a pure function of punches, the schedule history and the rules, for any period (no storage, no clock).

The node and the hub both call `person_timecards`, so a visit that starts at one box and ends at
another is paired the same way everywhere. A punch belongs to the shift day whose window holds it
(a night shift's 06:00 exit belongs to the evening it started), not to its calendar date. Punches of
a shift day alternate IN, OUT; worked time is real elapsed time, so it is right across DST changes.
"""
from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from typing import Iterable, Sequence
from zoneinfo import ZoneInfo

from edge_node.attendance.model import AnomalyKind
from edge_node.attendance.rules import AttendanceRules
from edge_node.attendance.schedule import Shift, WeeklyPattern, default_shift
from edge_node.attendance.schedule_history import ScheduleHistory

# Time worked beyond a shift's paid time counts as overtime from this much on.
OVERTIME_MIN_SECONDS = 3600.0


class PunchKind(str, enum.Enum):
    PUNCH = "PUNCH"          # a recognised scan that counted
    ADDED = "ADDED"          # a missed punch added by an admin
    MOVED = "MOVED"          # a punch moved to this person by an admin
    VOIDED = "VOIDED"        # a punch an admin voided or moved away (kept for the corrections count)
    DUPLICATE = "DUPLICATE"  # a scan inside the minimum stay (counts towards EXCESSIVE_SCANS only)

    @property
    def effective(self) -> bool:
        return self in (PunchKind.PUNCH, PunchKind.ADDED, PunchKind.MOVED)


_EFFECTIVE = frozenset({PunchKind.PUNCH, PunchKind.ADDED, PunchKind.MOVED})
_CORRECTIONS = frozenset({PunchKind.ADDED, PunchKind.MOVED, PunchKind.VOIDED})


@dataclass(frozen=True)
class Punch:
    at: datetime
    kind: PunchKind
    source: str = ""  # node id (on the hub) or camera id


class DayStatus(str, enum.Enum):
    PRESENT = "PRESENT"
    HALF_DAY = "HALF_DAY"
    ABSENT = "ABSENT"
    OFF = "OFF"
    HOLIDAY = "HOLIDAY"
    UPCOMING = "UPCOMING"  # a working day whose shift has not started yet


@dataclass(frozen=True)
class ShiftDay:
    day: date
    shift: Shift
    working: bool
    holiday: bool
    start: datetime
    end: datetime
    window_start: datetime
    window_end: datetime
    lunch_start: datetime
    lunch_end: datetime

    @property
    def scheduled(self) -> bool:
        """A working day of a tracked shift: LATE, EARLY_LEAVE and OVERTIME apply, not AFTER_HOURS and WEEKEND
        (which keep the first release's meaning for the default shift and for days off)."""
        return self.working and self.shift.tracked


@dataclass(frozen=True)
class DayCard:
    """One person-day of a timecard; durations in hours (decimal) or minutes as named."""

    person_id: str
    day: date
    shift: str
    status: DayStatus
    first_in: datetime | None
    last_out: datetime | None
    worked_hours: float
    break_hours: float
    late_minutes: int
    early_leave_minutes: int
    overtime_hours: float
    flags: tuple[AnomalyKind, ...]
    punches: int
    scans: int
    corrections: int
    is_in: bool
    sources: tuple[str, ...]
    last_punch: datetime | None = None


def wall(zone: ZoneInfo, day: date, minute: int) -> datetime:
    """The UTC instant of local wall-clock `minute` minutes after the midnight of `day` (may pass midnight)."""
    days, rest = divmod(minute, 1440)
    local = datetime.combine(day + timedelta(days=days), time(rest // 60, rest % 60), tzinfo=zone)
    return local.astimezone(timezone.utc)


class ShiftCalendar:
    """The shift days of one assignment (the weekly pattern in each schedule version), computed once per date;
    each day takes its shift and holidays from the version in force on it."""

    def __init__(self, history: ScheduleHistory, rules: AttendanceRules, patterns: tuple[WeeklyPattern, ...]) -> None:
        self._history = history
        self._zone = rules.zone
        self._patterns = patterns
        self._off_shift = default_shift(rules)
        self._days: dict[date, ShiftDay] = {}
        self._near: dict[date, list[ShiftDay]] = {}

    def day(self, day: date) -> ShiftDay:
        found = self._days.get(day)
        if found is None:
            slot = self._history.slot(day)
            schedule = self._history.schedules[slot]
            shift = schedule.shift_on(self._patterns[slot], day)
            working = shift is not None
            s = shift or self._off_shift
            z = self._zone
            found = ShiftDay(day, s, working, day in schedule.holidays, wall(z, day, s.start_minute),
                             wall(z, day, s.end_minute), wall(z, day, s.start_minute - s.window_before_minutes),
                             wall(z, day, s.end_minute + s.window_after_minutes), wall(z, day, s.lunch_start_minute),
                             wall(z, day, s.lunch_end_minute))
            self._days[day] = found
        return found

    def attribute(self, at: datetime) -> ShiftDay:
        """The shift day a punch at `at` belongs to: the working shift whose window holds it (the nearest
        shift if windows overlap), else the calendar date, as an unscheduled punch."""
        local_day = at.astimezone(self._zone).date()
        best: ShiftDay | None = None
        best_distance = timedelta.max
        for candidate in self._candidates(local_day):
            if not candidate.window_start <= at < candidate.window_end:
                continue
            distance = max(candidate.start - at, at - candidate.end, timedelta(0))
            if distance < best_distance:
                best, best_distance = candidate, distance
        return best or self.day(local_day)

    def _candidates(self, local_day: date) -> list[ShiftDay]:
        """The working shift days whose window may hold an instant of this local date."""
        found = self._near.get(local_day)
        if found is None:
            days = (self.day(local_day + timedelta(days=offset)) for offset in (-1, 0, 1))
            found = self._near[local_day] = [d for d in days if d.working]
        return found


class Calendars:
    """The shift calendar of each person, shared by everyone with the same patterns (for one history and rules)."""

    def __init__(self, history: ScheduleHistory, rules: AttendanceRules) -> None:
        self.history = history
        self.rules = rules
        self._by_patterns: dict[tuple[WeeklyPattern, ...], ShiftCalendar] = {}

    def of(self, person_id: str) -> ShiftCalendar:
        patterns = self.history.patterns_of(person_id)
        calendar = self._by_patterns.get(patterns)
        if calendar is None:
            calendar = self._by_patterns[patterns] = ShiftCalendar(self.history, self.rules, patterns)
        return calendar


def person_timecards(calendars: Calendars, person_id: str, punches: Sequence[Punch], first: date, last: date,
                     now: datetime) -> list[DayCard]:
    """The person's day cards from `first` to `last` (inclusive); `punches` may be in any order."""
    calendar, rules = calendars.of(person_id), calendars.rules
    by_day: dict[date, list[Punch]] = {}
    for punch in sorted(punches, key=lambda p: p.at):
        day = calendar.attribute(punch.at).day
        if first <= day <= last:
            by_day.setdefault(day, []).append(punch)
    cards = []
    day = first
    while day <= last:
        cards.append(day_card(rules, person_id, calendar.day(day), by_day.get(day, []), now))
        day += timedelta(days=1)
    return cards


def day_card(rules: AttendanceRules, person_id: str, sd: ShiftDay, punches: Sequence[Punch], now: datetime) -> DayCard:
    """One shift day from its punches (oldest first)."""
    shift = sd.shift
    times: list[datetime] = []
    scans = corrections = 0
    for p in punches:
        if p.kind in _EFFECTIVE:
            times.append(p.at)
        if p.kind is not PunchKind.VOIDED:
            scans += 1
        if p.kind in _CORRECTIONS:
            corrections += 1
    intervals = [(times[i], times[i + 1]) for i in range(0, len(times) - 1, 2)]
    open_in = times[-1] if len(times) % 2 else None
    worked = breaks = in_lunch = 0.0
    previous_out: datetime | None = None
    for a, b in intervals:
        worked += (b - a).total_seconds()
        if previous_out is not None:
            breaks += (a - previous_out).total_seconds()
        previous_out = b
        if shift.lunch_minutes and a < sd.lunch_end and b > sd.lunch_start:
            in_lunch += (min(b, sd.lunch_end) - max(a, sd.lunch_start)).total_seconds()
    worked -= min(in_lunch, shift.lunch_minutes * 60.0)
    worked_hours = round(max(0.0, worked) / 3600.0, 4)
    flags: list[AnomalyKind] = []
    late = early = 0
    overtime = 0.0
    if times and not sd.scheduled:
        if any(not sd.start <= t < sd.end for t in times):
            flags.append(AnomalyKind.AFTER_HOURS)
        if not rules.weekend_allowed and sd.day.isoweekday() in rules.weekend_days:
            flags.append(AnomalyKind.WEEKEND)
    if sd.scheduled and times:
        if times[0] > sd.start + timedelta(minutes=shift.grace_late_minutes):
            late = int((times[0] - sd.start).total_seconds() // 60)
            flags.append(AnomalyKind.LATE)
        if intervals and open_in is None and intervals[-1][1] < sd.end - timedelta(minutes=shift.grace_early_minutes):
            early = int((sd.end - intervals[-1][1]).total_seconds() // 60)
            flags.append(AnomalyKind.EARLY_LEAVE)
        paid = (sd.end - sd.start).total_seconds() - shift.lunch_minutes * 60.0
        if worked - paid >= OVERTIME_MIN_SECONDS:
            overtime = round((worked - paid) / 3600.0, 4)
            flags.append(AnomalyKind.OVERTIME)
    if open_in is not None and now >= sd.window_end:
        flags.append(AnomalyKind.MISSING_EXIT)
    if scans > rules.max_daily_scans:
        flags.append(AnomalyKind.EXCESSIVE_SCANS)
    status = _status(sd, bool(times), worked_hours, now)
    if status is DayStatus.ABSENT:
        flags.append(AnomalyKind.ABSENT)
    return DayCard(person_id, sd.day, shift.name if sd.working else "", status, times[0] if times else None,
                   intervals[-1][1] if intervals else None, worked_hours, round(breaks / 3600.0, 4), late, early,
                   overtime, tuple(flags), len(times), scans, corrections, open_in is not None and now < sd.window_end,
                   tuple(sorted({p.source for p in punches if p.source})),
                   times[-1] if times else None)


def _status(sd: ShiftDay, punched: bool, worked_hours: float, now: datetime) -> DayStatus:
    if punched:
        return DayStatus.PRESENT if worked_hours >= sd.shift.min_hours_present else DayStatus.HALF_DAY
    if sd.holiday:
        return DayStatus.HOLIDAY
    if not sd.working:
        return DayStatus.OFF
    return DayStatus.ABSENT if now >= sd.start else DayStatus.UPCOMING


def totals(cards: Iterable[DayCard]) -> dict[str, float]:
    """Sums over day cards, for a timecard's footer."""
    cards = list(cards)
    return {"worked_hours": round(sum(c.worked_hours for c in cards), 4),
            "break_hours": round(sum(c.break_hours for c in cards), 4),
            "overtime_hours": round(sum(c.overtime_hours for c in cards), 4),
            "late_minutes": sum(c.late_minutes for c in cards),
            "early_leave_minutes": sum(c.early_leave_minutes for c in cards),
            "present_days": sum(1 for c in cards if c.status is DayStatus.PRESENT),
            "half_days": sum(1 for c in cards if c.status is DayStatus.HALF_DAY),
            "absent_days": sum(1 for c in cards if c.status is DayStatus.ABSENT)}
