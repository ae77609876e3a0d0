"""A punch's shift day: the fast path (an instant inside the part of a day's window that no other candidate's
window reaches) gives exactly what the general rule gives, across night shifts, overlapping windows, days off,
holidays, DST nights and a change of time zone between schedule versions."""
from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta, timezone

import pytest

from edge_node.attendance.rules import AttendanceRules
from edge_node.attendance.schedule import Schedule, Shift, WeeklyPattern
from edge_node.attendance.schedule_history import ScheduleHistory, ScheduleVersion
from edge_node.attendance.timecard import Calendars

PAY = AttendanceRules(time_zone="Europe/Berlin").validate().pay
DAY = Shift("day", 8 * 60, 16 * 60 + 30, lunch_start_minute=12 * 60, lunch_end_minute=13 * 60, lunch_minutes=30)
NIGHT = Shift("night", 22 * 60, 30 * 60, window_before_minutes=180, window_after_minutes=300)
EARLY = Shift("early", 5 * 60, 13 * 60, window_before_minutes=600, window_after_minutes=720)  # wide windows overlap
LONG = Shift("long", 23 * 60, 47 * 60, window_before_minutes=1440, window_after_minutes=1440)  # the widest allowed
PATTERNS = (WeeklyPattern("days", ("day", "day", "day", "day", "day", "", "")),
            WeeklyPattern("nights", ("night", "night", "", "night", "night", "night", "")),
            WeeklyPattern("mixed", ("day", "night", "early", "", "early", "night", "day")),
            WeeklyPattern("extreme", ("long", "", "", "", "day", "", "")))


def _schedule(pattern: str, zone: str, holidays: frozenset[date] = frozenset()) -> Schedule:
    return Schedule(shifts=(DAY, NIGHT, EARLY, LONG), patterns=PATTERNS, person_patterns={"p": pattern}, holidays=holidays,
                    pay=replace(PAY, time_zone=zone))


def _history() -> ScheduleHistory:
    return ScheduleHistory([
        ScheduleVersion(1, date(2026, 10, 1), _schedule("nights", "Europe/Berlin", frozenset({date(2026, 10, 14)}))),
        ScheduleVersion(2, date(2026, 10, 20), _schedule("mixed", "Europe/Berlin")),  # over the DST night (25th)
        ScheduleVersion(3, date(2026, 11, 3), _schedule("days", "America/New_York")),  # another time zone
        ScheduleVersion(4, date(2026, 11, 9), _schedule("mixed", "Asia/Kolkata")),
        ScheduleVersion(5, date(2026, 11, 16), _schedule("extreme", "Asia/Kolkata"))], PAY)


@pytest.mark.parametrize("step_minutes", [7, 61])
def test_every_instant_gets_the_day_the_general_rule_gives(step_minutes: int) -> None:
    calendar = Calendars(_history(), AttendanceRules(time_zone="Europe/Berlin")).of("p")
    at, end = datetime(2026, 9, 28, tzinfo=timezone.utc), datetime(2026, 12, 6, tzinfo=timezone.utc)
    fast = total = 0
    while at < end:
        expected = calendar._attribute(at)
        assert calendar.attribute(at) is expected, at
        ordinary = at < datetime(2026, 11, 16, tzinfo=timezone.utc)  # before the 24-hour windows
        if ordinary and expected.window_start <= at < expected.window_end:  # where a punch is expected
            utc_day = at.date()
            fast += any(calendar._sole_span(d)[0] <= at < calendar._sole_span(d)[1]
                        for d in (utc_day, utc_day - timedelta(days=1), utc_day + timedelta(days=1)))
            total += 1
        at += timedelta(minutes=step_minutes)
    assert fast / total > 0.6, (fast, total)  # the fast path answers most (not: overlaps, zone changes)
