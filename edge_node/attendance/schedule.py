"""Shifts, weekly patterns, assignments and holidays: who is expected when (plain data, validated).

Times of a shift are minutes from the local midnight of its shift day; a shift that ends at or after
1440 ends the next day (a night shift 22:00-06:00 is start 1320, end 1800). Every schedule version
carries the pay rules it needs (`pay`: the time zone and the default shift's settings, `overtime`,
`day_off_shift`), so a day's timecard depends on its version alone. With no schedule set, the built-in
default (`with_defaults`) reproduces the rules of the first release: one untracked shift over the
work hours of the pay rules whose window is the whole calendar day, every day a working day.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from datetime import date
from functools import cached_property
from typing import Any, Mapping

from edge_node.attendance.rules import AttendanceRules, PayRules
from edge_node.common.errors import InvalidArgument

DEFAULT_SHIFT = "default"
DEFAULT_PATTERN = "default"
MAX_NAME_CHARS = 64


@dataclass(frozen=True)
class Shift:
    """A named shift; `tracked` turns on LATE, EARLY_LEAVE and OVERTIME."""

    name: str
    start_minute: int
    end_minute: int
    grace_late_minutes: int = 0
    grace_early_minutes: int = 0
    # Deduct up to lunch_minutes of the time worked inside [lunch_start_minute, lunch_end_minute).
    lunch_start_minute: int = 0
    lunch_end_minute: int = 0
    lunch_minutes: int = 0
    min_hours_present: float = 6.0
    # A punch belongs to this shift day from window_before_minutes before start to window_after_minutes after end.
    window_before_minutes: int = 120
    window_after_minutes: int = 240
    tracked: bool = True

    @property
    def paid_minutes(self) -> int:
        return self.end_minute - self.start_minute - self.lunch_minutes


@dataclass(frozen=True)
class WeeklyPattern:
    """The shift of each ISO weekday (Monday first); '' is a day off."""

    name: str
    days: tuple[str, ...]


@dataclass(frozen=True)
class OvertimeRule:
    """Overtime of a working day: the paid time beyond the shift's paid time. A day's excess counts only from
    `daily_threshold_minutes` on (then all of it); paid time of an ISO week beyond `weekly_threshold_minutes`
    (0: no weekly rule) counts too; overtime is rounded down to `round_minutes` (0: to the minute)."""

    daily_threshold_minutes: int = 0
    weekly_threshold_minutes: int = 0
    round_minutes: int = 0


@dataclass(frozen=True)
class Schedule:
    shifts: tuple[Shift, ...] = ()
    patterns: tuple[WeeklyPattern, ...] = ()
    default_pattern: str = DEFAULT_PATTERN
    # person_id -> pattern; group -> pattern; person_id -> group (a department).
    person_patterns: Mapping[str, str] = field(default_factory=dict)
    group_patterns: Mapping[str, str] = field(default_factory=dict)
    person_groups: Mapping[str, str] = field(default_factory=dict)
    holidays: frozenset[date] = frozenset()
    # The pay rules of this version; None only in versions stored before they were kept (see ScheduleHistory).
    pay: PayRules | None = None
    overtime: OvertimeRule = OvertimeRule()
    # The shift that times unscheduled work on a day off or a holiday; '' means the person's usual shift.
    day_off_shift: str = ""

    def shift(self, name: str) -> Shift:
        return self._shifts[name]

    @cached_property
    def _shifts(self) -> dict[str, Shift]:
        return {s.name: s for s in self.shifts}

    @cached_property
    def _patterns(self) -> dict[str, WeeklyPattern]:
        return {p.name: p for p in self.patterns}

    def pattern_of(self, person_id: str) -> WeeklyPattern:
        """The person's own pattern, else their group's, else the default."""
        name = self.person_patterns.get(person_id) or self.group_patterns.get(self.person_groups.get(person_id, ""), "")
        return self._patterns[name or self.default_pattern]

    def shift_on(self, pattern: WeeklyPattern, day: date) -> Shift | None:
        """The pattern's shift on the day's weekday (a holiday keeps it); None on a day off."""
        name = pattern.days[day.isoweekday() - 1]
        return self.shift(name) if name else None

    def day_off_shift_of(self, pattern: WeeklyPattern) -> Shift:
        """The shift that times work on a day off: `day_off_shift`, else the pattern's most frequent shift
        (the earliest in the week on a tie), else the default shift."""
        if self.day_off_shift:
            return self.shift(self.day_off_shift)
        named = [name for name in pattern.days if name]
        return self.shift(max(named, key=named.count) if named else DEFAULT_SHIFT)

    def validate(self) -> "Schedule":
        """Raise InvalidArgument naming the first thing that is wrong; return self."""
        names = [s.name for s in self.shifts]
        if len(set(names)) != len(names):
            raise InvalidArgument(f"shift names must be distinct (got {names})")
        for shift in self.shifts:
            _check_shift(shift)
        pattern_names = [p.name for p in self.patterns]
        if len(set(pattern_names)) != len(pattern_names):
            raise InvalidArgument(f"pattern names must be distinct (got {pattern_names})")
        for pattern in self.patterns:
            _check_name("pattern", pattern.name)
            if len(pattern.days) != 7:
                raise InvalidArgument(f"pattern {pattern.name!r} must list 7 days, Monday first (got {len(pattern.days)})")
            for day in pattern.days:
                if day and day not in names:
                    raise InvalidArgument(f"pattern {pattern.name!r} names shift {day!r}, which does not exist")
        known = set(pattern_names)
        if self.default_pattern not in known:
            raise InvalidArgument(f"default_pattern {self.default_pattern!r} is not one of the patterns {sorted(known)}")
        for who, name in [*self.person_patterns.items(), *self.group_patterns.items()]:
            if name not in known:
                raise InvalidArgument(f"{who!r} is assigned pattern {name!r}, which does not exist")
        if self.day_off_shift and self.day_off_shift not in names:
            raise InvalidArgument(f"day_off_shift {self.day_off_shift!r} is not one of the shifts {names}")
        for name in ("daily_threshold_minutes", "weekly_threshold_minutes", "round_minutes"):
            value = getattr(self.overtime, name)
            if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10080:
                raise InvalidArgument(f"overtime.{name} must be 0-10080 minutes (got {value!r})")
        return self


def _check_name(kind: str, name: str) -> None:
    if not name or len(name) > MAX_NAME_CHARS or name != name.strip() or "\x00" in name:
        raise InvalidArgument(f"{kind} name {name!r} must be 1-{MAX_NAME_CHARS} characters without surrounding spaces")


def _check_shift(s: Shift) -> None:
    _check_name("shift", s.name)
    where = f"shift {s.name!r}"
    if not 0 <= s.start_minute < 1440:
        raise InvalidArgument(f"{where}: start_minute must be 0-1439 (got {s.start_minute})")
    if not s.start_minute < s.end_minute <= s.start_minute + 1440:
        raise InvalidArgument(f"{where}: end_minute ({s.end_minute}) must be after start_minute ({s.start_minute}) "
                              "and at most 24 h later; a shift ending after midnight ends at 1440 + minutes")
    for name in ("grace_late_minutes", "grace_early_minutes", "lunch_minutes", "window_before_minutes",
                 "window_after_minutes"):
        value = getattr(s, name)
        if not isinstance(value, int) or not 0 <= value <= 1440:
            raise InvalidArgument(f"{where}: {name} must be 0-1440 (got {value!r})")
    if s.lunch_minutes and not 0 <= s.lunch_start_minute < s.lunch_end_minute <= 2880:
        raise InvalidArgument(f"{where}: the lunch window needs lunch_start_minute < lunch_end_minute (0-2880)")
    if s.lunch_minutes > s.lunch_end_minute - s.lunch_start_minute:
        raise InvalidArgument(f"{where}: lunch_minutes ({s.lunch_minutes}) is longer than the lunch window")
    if not 0 <= s.min_hours_present <= 24:
        raise InvalidArgument(f"{where}: min_hours_present must be 0-24 (got {s.min_hours_present})")


def default_shift(pay: PayRules) -> Shift:
    """The pay rules' default shift: work hours, the lunch rule, the whole calendar day as its window."""
    start, end = pay.work_start_hour * 60, pay.work_end_hour * 60
    return Shift(DEFAULT_SHIFT, start, end, lunch_start_minute=pay.lunch_start_hour * 60,
                 lunch_end_minute=pay.lunch_end_hour * 60, lunch_minutes=pay.lunch_minutes,
                 min_hours_present=pay.min_hours_full_day, window_before_minutes=start,
                 window_after_minutes=1440 - end, tracked=False)


def with_defaults(schedule: Schedule, fallback: PayRules | AttendanceRules) -> Schedule:
    """The schedule with its pay rules (`fallback` where it has none, see ScheduleHistory) and the built-in
    default shift and pattern added where it does not define them."""
    pay = schedule.pay or (fallback.pay if isinstance(fallback, AttendanceRules) else fallback)
    shifts = schedule.shifts
    if DEFAULT_SHIFT not in {s.name for s in shifts}:
        shifts = (*shifts, default_shift(pay))
    patterns = schedule.patterns
    if DEFAULT_PATTERN not in {p.name for p in patterns}:
        patterns = (*patterns, WeeklyPattern(DEFAULT_PATTERN, (DEFAULT_SHIFT,) * 7))
    return replace(schedule, shifts=shifts, patterns=patterns, pay=pay)


def schedule_to_dict(schedule: Schedule) -> dict[str, Any]:
    """The one JSON form of a schedule version (stored by the node and by the hub); `pay` is left out when the
    version has none (one stored before pay rules were kept), so such a version keeps its digest."""
    data = {"shifts": [asdict(s) for s in schedule.shifts],
            "patterns": [{"name": p.name, "days": list(p.days)} for p in schedule.patterns],
            "default_pattern": schedule.default_pattern, "person_patterns": dict(schedule.person_patterns),
            "group_patterns": dict(schedule.group_patterns), "person_groups": dict(schedule.person_groups),
            "holidays": sorted(d.isoformat() for d in schedule.holidays)}
    if schedule.pay is not None:
        data["pay"] = schedule.pay.as_dict()
    if schedule.overtime != OvertimeRule():
        data["overtime"] = asdict(schedule.overtime)
    if schedule.day_off_shift:
        data["day_off_shift"] = schedule.day_off_shift
    return data


def schedule_from_dict(data: Mapping[str, Any]) -> Schedule:
    """The inverse of `schedule_to_dict`; bad input is InvalidArgument."""
    try:
        return Schedule(
            tuple(Shift(**s) for s in data.get("shifts", ())),
            tuple(WeeklyPattern(p["name"], tuple(p["days"])) for p in data.get("patterns", ())),
            data.get("default_pattern", DEFAULT_PATTERN), dict(data.get("person_patterns", {})),
            dict(data.get("group_patterns", {})), dict(data.get("person_groups", {})),
            frozenset(date.fromisoformat(d) for d in data.get("holidays", ())),
            PayRules.from_dict(data["pay"]) if data.get("pay") is not None else None,
            OvertimeRule(**data.get("overtime", {})), data.get("day_off_shift", ""))
    except (TypeError, KeyError, ValueError) as exc:
        raise InvalidArgument(f"schedule is not valid: {exc}") from None
