"""Timecards: a pure function of punches, the schedule history and the rules, for any period (no storage, no clock).

The node and the hub both call `person_timecards`, so a visit that starts at one box and ends at
another is paired the same way everywhere. A punch belongs to the shift day whose window holds it
(a night shift's 06:00 exit belongs to the evening it started, on a holiday too), not to its calendar
date. Punches of a shift day alternate IN, OUT; worked time is real elapsed time, so it is right across
DST changes. Every pay rule of a day comes from the schedule version in force on it; the rules are
written down with worked examples in docs/attendance-rules.md.
"""
from __future__ import annotations

import enum
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta, timezone
from typing import Iterable, Sequence
from zoneinfo import ZoneInfo

from edge_node.attendance.model import AnomalyKind, Employment
from edge_node.attendance.rules import AttendanceRules, PayRules
from edge_node.attendance.schedule import OvertimeRule, Shift, WeeklyPattern
from edge_node.attendance.schedule_history import ScheduleHistory

_CLOCK_FLAGS = frozenset({AnomalyKind.CLOCK_BACKWARDS, AnomalyKind.CLOCK_UNSYNCED})


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
    clock: tuple[AnomalyKind, ...] = ()  # CLOCK_BACKWARDS / CLOCK_UNSYNCED stored with the punch


class DayStatus(str, enum.Enum):
    PRESENT = "PRESENT"
    HALF_DAY = "HALF_DAY"
    ABSENT = "ABSENT"
    OFF = "OFF"
    HOLIDAY = "HOLIDAY"
    UPCOMING = "UPCOMING"  # a working day whose shift has not started yet
    INCOMPLETE = "INCOMPLETE"  # an IN without its OUT (see the OPEN and MISSING_EXIT exceptions)
    NOT_EMPLOYED = "NOT_EMPLOYED"  # a day without punches outside the person's employment period


class DayKind(str, enum.Enum):
    WORKDAY = "WORKDAY"  # the person's pattern names a shift and the day is no holiday
    DAY_OFF = "DAY_OFF"
    HOLIDAY = "HOLIDAY"
    DAY_OFF_WORK = "DAY_OFF_WORK"  # punches on a day off
    HOLIDAY_WORK = "HOLIDAY_WORK"  # punches on a holiday


class DayException(str, enum.Enum):
    """What a clerk must look at before signing a row, found in the day's punches. The proto's BROKEN_LOG is the
    report's, not the day's (``wire.timecards.mark_log_state``, for a period whose log does not verify)."""

    MISSING_EXIT = "MISSING_EXIT"  # an IN whose OUT never came (the shift day's window has closed)
    OPEN = "OPEN"  # an IN whose OUT may still come (the window is open): the row is not final
    CORRECTED = "CORRECTED"  # an admin added, voided or moved a punch of the day
    CLOCK_BACKWARDS = "CLOCK_BACKWARDS"  # a punch was timed while the box's clock had gone back
    CLOCK_UNSYNCED = "CLOCK_UNSYNCED"  # a punch was timed before the box's clock was synchronised


@dataclass(frozen=True)
class ShiftDay:
    day: date
    shift: Shift  # the scheduled shift, or on a day off the shift that times unscheduled work
    working: bool  # the person is expected: their pattern names a shift and the day is no holiday
    holiday: bool
    start: datetime
    end: datetime
    window_start: datetime
    window_end: datetime
    lunch_start: datetime
    lunch_end: datetime
    pay: PayRules
    on_pattern: bool = True  # the person's pattern names a shift on this weekday (a holiday may still fall on it)
    overtime: OvertimeRule = OvertimeRule()

    @property
    def scheduled(self) -> bool:
        """A working day of a tracked shift: LATE, EARLY_LEAVE and OVERTIME apply, not AFTER_HOURS and WEEKEND
        (which keep the first release's meaning for the default shift and for days off)."""
        return self.working and self.shift.tracked

    @property
    def kind(self) -> DayKind:
        if self.holiday:
            return DayKind.HOLIDAY
        return DayKind.WORKDAY if self.on_pattern else DayKind.DAY_OFF


def hours(minutes: int) -> float:
    """Decimal hours as every row and total shows them (2 places), so the rows add up to the totals."""
    return round(minutes / 60.0, 2)


class _Hours:
    """A day card's duration in decimal hours: `paid_hours` shows `paid_minutes`."""

    def __set_name__(self, owner: type, name: str) -> None:
        self._minutes = name.removesuffix("_hours") + "_minutes"

    def __get__(self, card: object, owner: type | None = None):
        return self if card is None else hours(getattr(card, self._minutes))


@dataclass(frozen=True)
class DayCard:
    """One person-day of a timecard. Durations are whole minutes; `*_hours` show them as decimal hours.

    worked = time clocked in (IN to OUT); break = time clocked out between an OUT and the next IN;
    break_deducted = the automatic break deduction still taken; paid = worked - break_deducted;
    overtime = the part of paid beyond scheduled_paid (a working day's shift, less its break)."""

    person_id: str
    day: date
    shift: str  # the shift that timed the day; '' on a day off without punches
    status: DayStatus
    day_kind: DayKind
    scheduled_start: datetime | None
    scheduled_end: datetime | None
    scheduled_paid_minutes: int
    first_in: datetime | None
    last_out: datetime | None
    punch_times: tuple[datetime, ...]  # every effective punch, corrections applied
    worked_minutes: int
    break_minutes: int
    break_deducted_minutes: int
    paid_minutes: int
    overtime_minutes: int
    late_minutes: int
    early_leave_minutes: int
    flags: tuple[AnomalyKind, ...]
    exceptions: tuple[DayException, ...]
    scans: int
    corrections: int
    is_in: bool
    sources: tuple[str, ...]
    time_zone: str  # the day's own (its schedule version's), for showing its times as local times

    @property
    def punches(self) -> int:
        return len(self.punch_times)

    @property
    def last_punch(self) -> datetime | None:
        return self.punch_times[-1] if self.punch_times else None

    worked_hours = _Hours()
    break_hours = _Hours()
    break_deducted_hours = _Hours()
    paid_hours = _Hours()
    overtime_hours = _Hours()
    scheduled_paid_hours = _Hours()


def wall(zone: ZoneInfo, day: date, minute: int) -> datetime:
    """The UTC instant of local wall-clock `minute` minutes after the midnight of `day` (may pass midnight)."""
    days, rest = divmod(minute, 1440)
    local = datetime.combine(day + timedelta(days=days), time(rest // 60, rest % 60), tzinfo=zone)
    return local.astimezone(timezone.utc)


_ONE_DAY = timedelta(days=1)
_UTC = ZoneInfo("UTC")


class ShiftCalendar:
    """The shift days of one assignment (the weekly pattern in each schedule version), computed once per date;
    each day takes its shift, holidays, time zone and pay rules from the version in force on it."""

    def __init__(self, history: ScheduleHistory, patterns: tuple[WeeklyPattern, ...]) -> None:
        self._history = history
        self._patterns = patterns
        self._days: dict[date, ShiftDay] = {}
        self._near: dict[date, list[ShiftDay]] = {}
        self._sole: dict[date, tuple[datetime, datetime]] = {}

    def day(self, day: date) -> ShiftDay:
        found = self._days.get(day)
        if found is None:
            slot = self._history.slot(day)
            schedule = self._history.schedules[slot]
            pay = schedule.pay
            assert pay is not None  # with_defaults fills it in
            pattern = self._patterns[slot]
            scheduled = schedule.shift_on(pattern, day)
            holiday = day in schedule.holidays
            s = scheduled or schedule.day_off_shift_of(pattern)
            z = pay.zone
            found = ShiftDay(day, s, scheduled is not None and not holiday, holiday, wall(z, day, s.start_minute),
                             wall(z, day, s.end_minute), wall(z, day, s.start_minute - s.window_before_minutes),
                             wall(z, day, s.end_minute + s.window_after_minutes), wall(z, day, s.lunch_start_minute),
                             wall(z, day, s.lunch_end_minute), pay, scheduled is not None, schedule.overtime)
            self._days[day] = found
        return found

    def attribute(self, at: datetime) -> ShiftDay:
        """The shift day a punch at `at` belongs to: the shift day whose window holds it (the nearest shift if
        windows overlap, a working day first), else its calendar date."""
        utc_day = at.astimezone(timezone.utc).date()
        for day in (utc_day, utc_day - _ONE_DAY, utc_day + _ONE_DAY):
            start, end = self._sole_span(day)
            if start <= at < end:
                return self._days[day]
        return self._attribute(at)

    def _sole_span(self, day: date) -> tuple[datetime, datetime]:
        """The instants that `_attribute` certainly gives to shift day `day`, as [start, end) (empty when start >=
        end): inside its window and no other candidate's, and on a local date whose candidates include it. Known
        here, a punch costs a comparison instead of its candidates' windows (a scan reads its day's punches
        again, a timecard reads a month of them)."""
        found = self._sole.get(day)
        if found is None:
            found = self._sole[day] = self._span_alone(day)
        return found

    def _span_alone(self, day: date) -> tuple[datetime, datetime]:
        sd = self.day(day)
        zones = {self.day(day + timedelta(days=k)).pay.zone for k in range(-4, 5)}
        if len(zones) != 1:  # a time-zone change nearby: the general path decides
            return sd.window_start, sd.window_start
        zone = zones.pop()
        # `_attribute` takes the zone of the punch's date (within 4 days here, in any time zone) and the
        # neighbours of its local date.
        start = max(sd.window_start, wall(zone, day - _ONE_DAY, 0), wall(_UTC, day - 3 * _ONE_DAY, 0))
        end = min(sd.window_end, wall(zone, day + 2 * _ONE_DAY, 0), wall(_UTC, day + 4 * _ONE_DAY, 0))
        others = [self.day(day + timedelta(days=k)) for k in (-2, -1, 1, 2)]
        changed = True
        while changed and start < end:
            changed = False
            for other in others:
                if other.window_end <= start or other.window_start >= end:
                    continue
                if other.window_start <= start:
                    start = other.window_end
                elif other.window_end >= end:
                    end = other.window_start
                else:  # a window inside this one: the general path decides
                    return sd.window_start, sd.window_start
                changed = True
        return start, end

    def _attribute(self, at: datetime) -> ShiftDay:
        local_day = at.astimezone(self.day(at.date()).pay.zone).date()
        holding = [c for c in self._candidates(local_day) if c.window_start <= at < c.window_end]
        if len(holding) == 1:
            return holding[0]
        if not holding:
            return self.day(local_day)
        return min(holding, key=lambda c: (max(c.start - at, at - c.end, timedelta(0)), not c.working))

    def _candidates(self, local_day: date) -> list[ShiftDay]:
        """The shift days whose window may hold an instant of this local date."""
        found = self._near.get(local_day)
        if found is None:
            found = self._near[local_day] = [self.day(local_day + timedelta(days=offset)) for offset in (-1, 0, 1)]
        return found


class Calendars:
    """The shift calendar of each person, shared by everyone with the same patterns (for one history and rules)."""

    def __init__(self, history: ScheduleHistory, rules: AttendanceRules) -> None:
        self.history = history
        self.rules = rules
        self._by_patterns: dict[tuple[WeeklyPattern, ...], ShiftCalendar] = {}
        self.weekly = any(s.overtime.weekly_threshold_minutes for s in history.schedules)

    def of(self, person_id: str) -> ShiftCalendar:
        patterns = self.history.patterns_of(person_id)
        calendar = self._by_patterns.get(patterns)
        if calendar is None:
            calendar = self._by_patterns[patterns] = ShiftCalendar(self.history, patterns)
        return calendar


def person_timecards(calendars: Calendars, person_id: str, punches: Sequence[Punch], first: date, last: date,
                     now: datetime, employment: Employment = Employment()) -> list[DayCard]:
    """The person's day cards from `first` to `last` (inclusive); `punches` may be in any order. With a weekly
    overtime rule, the punches must reach back to the Monday of `first`'s week (see `period_start`)."""
    calendar, rules = calendars.of(person_id), calendars.rules
    start = period_start(calendars, first)
    by_day: dict[date, list[Punch]] = {}
    for punch in sorted(punches, key=lambda p: p.at):
        day = calendar.attribute(punch.at).day
        if start <= day <= last:
            by_day.setdefault(day, []).append(punch)
    cards = []
    day = start
    while day <= last:
        cards.append(day_card(rules, person_id, calendar.day(day), by_day.get(day, []), now,
                              employment.covers(day)))
        day += timedelta(days=1)
    if calendars.weekly:
        cards = _with_weekly_overtime(cards, calendar)
    return [c for c in cards if c.day >= first]


def period_start(calendars: Calendars, first: date) -> date:
    """The first shift day whose punches a period from `first` needs: the Monday of its week under a weekly
    overtime rule, else `first`."""
    return first - timedelta(days=first.weekday()) if calendars.weekly else first


def _with_weekly_overtime(cards: list[DayCard], calendar: ShiftCalendar) -> list[DayCard]:
    """Add the weekly part of overtime: paid time of an ISO week not already daily overtime, beyond the
    weekly threshold of each day's version, counts on the day it passes the threshold and after."""
    out = []
    regular = 0
    for card in cards:
        if card.day.weekday() == 0:
            regular = 0
        rule = calendar.day(card.day).overtime
        day_regular = card.paid_minutes - card.overtime_minutes
        regular += day_regular
        if rule.weekly_threshold_minutes and regular > rule.weekly_threshold_minutes:
            extra = _rounded(min(day_regular, regular - rule.weekly_threshold_minutes), rule)
            if extra:
                flags = card.flags if AnomalyKind.OVERTIME in card.flags else (*card.flags, AnomalyKind.OVERTIME)
                card = replace(card, overtime_minutes=card.overtime_minutes + extra, flags=flags)
        out.append(card)
    return out


def _rounded(minutes: int, rule: OvertimeRule) -> int:
    return minutes - minutes % rule.round_minutes if rule.round_minutes else minutes


def _minutes(seconds: float) -> int:
    """Seconds as whole minutes, half a minute rounding up."""
    return int(seconds // 60 + (1 if seconds % 60 >= 30 else 0))


def day_card(rules: AttendanceRules, person_id: str, sd: ShiftDay, punches: Sequence[Punch], now: datetime,
             employed: bool = True) -> DayCard:
    """One shift day from its punches (oldest first)."""
    shift = sd.shift
    times: list[datetime] = []
    clock: set[AnomalyKind] = set()
    scans = corrections = 0
    for p in punches:
        if p.kind in _EFFECTIVE:
            times.append(p.at)
            clock.update(f for f in p.clock if f in _CLOCK_FLAGS)
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
    # The break already clocked out counts towards the shift's break: only the rest is deducted.
    deducted = min(in_lunch, max(0.0, shift.lunch_minutes * 60.0 - breaks))
    worked_m, break_m, deducted_m = _minutes(worked), _minutes(breaks), _minutes(deducted)
    paid_m = worked_m - deducted_m
    expected = sd.working and employed  # the person is expected at work that day
    scheduled_paid = _minutes((sd.end - sd.start).total_seconds()) - shift.lunch_minutes if expected and \
        shift.tracked else 0
    flags: list[AnomalyKind] = []
    late = early = overtime = 0
    if times and not sd.scheduled:
        if any(not sd.start <= t < sd.end for t in times):
            flags.append(AnomalyKind.AFTER_HOURS)
        if not sd.pay.weekend_allowed and sd.day.isoweekday() in sd.pay.weekend_days:
            flags.append(AnomalyKind.WEEKEND)
    if sd.scheduled and times:
        if times[0] > sd.start + timedelta(minutes=shift.grace_late_minutes):
            late = int((times[0] - sd.start).total_seconds() // 60)
            flags.append(AnomalyKind.LATE)
        if intervals and open_in is None and intervals[-1][1] < sd.end - timedelta(minutes=shift.grace_early_minutes):
            early = int((sd.end - intervals[-1][1]).total_seconds() // 60)
            flags.append(AnomalyKind.EARLY_LEAVE)
        excess = paid_m - scheduled_paid
        if excess > 0 and excess >= sd.overtime.daily_threshold_minutes:
            overtime = _rounded(excess, sd.overtime)
        if overtime:
            flags.append(AnomalyKind.OVERTIME)
    is_in = open_in is not None and now < sd.window_end
    if open_in is not None and not is_in:
        flags.append(AnomalyKind.MISSING_EXIT)
    if scans > rules.max_daily_scans:
        flags.append(AnomalyKind.EXCESSIVE_SCANS)
    status = _status(sd, times, open_in is not None, paid_m, now, employed)
    if status is DayStatus.ABSENT:
        flags.append(AnomalyKind.ABSENT)
    exceptions = _exceptions(open_in is not None, is_in, corrections, clock)
    kind = sd.kind
    if times and kind is not DayKind.WORKDAY:
        kind = DayKind.HOLIDAY_WORK if kind is DayKind.HOLIDAY else DayKind.DAY_OFF_WORK
    timed = shift.tracked and (expected or bool(times))
    return DayCard(person_id, sd.day, shift.name if expected or times else "", status, kind,
                   sd.start if timed else None, sd.end if timed else None, scheduled_paid,
                   times[0] if times else None, intervals[-1][1] if intervals else None, tuple(times),
                   worked_m, break_m, deducted_m, paid_m, overtime, late, early, tuple(flags), exceptions, scans,
                   corrections, is_in, tuple(sorted({p.source for p in punches if p.source})), sd.pay.time_zone)


def _exceptions(open_punch: bool, is_in: bool, corrections: int, clock: set[AnomalyKind]) -> tuple[DayException, ...]:
    found = []
    if open_punch:
        found.append(DayException.OPEN if is_in else DayException.MISSING_EXIT)
    if corrections:
        found.append(DayException.CORRECTED)
    found.extend(DayException(f.value) for f in (AnomalyKind.CLOCK_BACKWARDS, AnomalyKind.CLOCK_UNSYNCED) if f in clock)
    return tuple(found)


def _status(sd: ShiftDay, times: list[datetime], open_punch: bool, paid_minutes: int, now: datetime,
            employed: bool) -> DayStatus:
    if open_punch:
        return DayStatus.INCOMPLETE
    if times:
        if sd.working and paid_minutes < sd.shift.min_hours_present * 60:
            return DayStatus.HALF_DAY
        return DayStatus.PRESENT
    if not employed:
        return DayStatus.NOT_EMPLOYED
    if sd.holiday:
        return DayStatus.HOLIDAY
    if not sd.working:
        return DayStatus.OFF
    return DayStatus.ABSENT if now >= sd.start else DayStatus.UPCOMING


# Sums of the row values, for a timecard's footer: minutes exactly, hours as the sum of the hours the rows show.
_SUMMED_MINUTES = ("scheduled_paid", "worked", "break", "break_deducted", "paid", "overtime")


def totals(cards: Iterable[DayCard]) -> dict[str, float]:
    """Sums over day cards, for a timecard's footer: each total is the sum of the values its rows show."""
    cards = list(cards)
    out: dict[str, float] = {}
    for name in _SUMMED_MINUTES:
        out[f"{name}_minutes"] = sum(getattr(c, f"{name}_minutes") for c in cards)
        out[f"{name}_hours"] = round(sum(getattr(c, f"{name}_hours") for c in cards), 2)
    out.update(late_minutes=sum(c.late_minutes for c in cards),
               early_leave_minutes=sum(c.early_leave_minutes for c in cards),
               present_days=sum(1 for c in cards if c.status is DayStatus.PRESENT),
               half_days=sum(1 for c in cards if c.status is DayStatus.HALF_DAY),
               absent_days=sum(1 for c in cards if c.status is DayStatus.ABSENT),
               incomplete_days=sum(1 for c in cards if c.status is DayStatus.INCOMPLETE))
    return out
