"""Effective-dated schedules on a node: a change applies from its date on, a period spanning it uses each day's
version, a back-dated fix is on the chained log, and a database from before versions keeps its schedule."""
from __future__ import annotations

import json
from datetime import date, datetime, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from edge_node.attendance.log import EventFilter
from edge_node.attendance.model import EventType
from edge_node.attendance.rules import AttendanceRules
from edge_node.attendance.schedule import Schedule, Shift, WeeklyPattern, schedule_to_dict
from edge_node.attendance.schedule_history import SINCE_EVER
from edge_node.attendance.store import AttendanceStore
from edge_node.attendance.timecard import DayStatus
from edge_node.attendance.verify import verify_log
from edge_node.common.errors import InvalidArgument
from edge_node.storage.migrations import SCHEMA_VERSION, current_version
from tests.attendance.old_schema import database_at
from tools.manual_clock import ManualClock

BERLIN = ZoneInfo("Europe/Berlin")
DAY = Shift("day", start_minute=9 * 60, end_minute=17 * 60, lunch_start_minute=12 * 60, lunch_end_minute=13 * 60,
            lunch_minutes=60, min_hours_present=6.0, window_before_minutes=120, window_after_minutes=240)
NIGHT = Shift("night", start_minute=22 * 60, end_minute=30 * 60, window_before_minutes=180, window_after_minutes=300,
              min_hours_present=7.0)
DAYS = Schedule(shifts=(DAY,), patterns=(WeeklyPattern("days", ("day",) * 7),), person_patterns={"nurse": "days"})
NIGHTS = Schedule(shifts=(NIGHT,), patterns=(WeeklyPattern("nights", ("night",) * 7),),
                  person_patterns={"nurse": "nights"})


def berlin(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=BERLIN).astimezone(timezone.utc)


@pytest.fixture
def store(tmp_path: Path):
    clock = ManualClock(berlin(2026, 10, 1, 12))
    store = AttendanceStore.open(tmp_path / "edge.db", AttendanceRules(time_zone="Europe/Berlin"), clock)
    store.persons.upsert("nurse", "Night Nurse")
    yield store, clock
    store.close()


def scan(store: AttendanceStore, clock: ManualClock, *parts: int) -> EventType:
    clock.set(berlin(*parts))
    return store.log.record_scan("nurse").event.event_type


def test_a_change_applies_from_today_and_a_month_spanning_it_uses_each_days_version(store):
    store, clock = store
    assert store.set_schedule(DAYS, "hr").effective_from == date(2026, 10, 1)
    assert [scan(store, clock, 2026, 11, 10, h) for h in (9, 17)] == [EventType.ENTRY, EventType.EXIT]
    clock.set(berlin(2026, 11, 15, 23, 30))  # late evening: still the 15th in Berlin (22:30 UTC)
    night = store.set_schedule(NIGHTS, "hr")
    assert (night.version, night.effective_from) == (2, date(2026, 11, 15))
    # The scan cache built on the day schedule is dropped: 06:00 is the exit of the night that began at 22:00.
    assert [scan(store, clock, 2026, 11, 16, 22), scan(store, clock, 2026, 11, 17, 6)] == [
        EventType.ENTRY, EventType.EXIT]
    clock.set(berlin(2026, 12, 1, 12))
    days = {c.day.day: c for c in store.reports.timecards(date(2026, 11, 1), date(2026, 11, 30), "nurse")[0].days}
    assert (days[10].shift, days[10].status, days[10].paid_hours) == ("day", DayStatus.PRESENT, 7.0)
    assert (days[16].shift, days[16].status, days[16].worked_hours) == ("night", DayStatus.PRESENT, 8.0)
    assert [days[d].shift for d in (1, 14, 15, 30)] == ["day", "day", "night", "night"]
    today = store.schedules.history().at(store.schedules.today())  # December 1st: the night version
    assert today.default_pattern == "default" and today.shift("night") == NIGHT


def test_a_back_dated_fix_changes_only_the_days_up_to_the_next_version_and_is_on_the_chained_log(store):
    store, clock = store
    store.set_schedule(DAYS, "hr")
    clock.set(berlin(2026, 11, 15, 12))
    store.set_schedule(NIGHTS, "hr")
    clock.set(berlin(2026, 11, 20, 12))
    fix = store.set_schedule(NIGHTS, "hr-lead", effective_from=date(2026, 11, 12))
    history = store.schedules.history()
    assert [v.version for v in history.versions] == [1, 3, 2]  # ordered by the day each is in force from
    assert [history.version_at(date(2026, 11, d)).version for d in (11, 12, 14, 15, 30)] == [1, 3, 3, 2, 2]
    assert history.version_at(date(2026, 9, 30)) is None  # before any version: the built-in default
    cards = store.reports.timecards(date(2026, 11, 10), date(2026, 11, 16), "nurse")[0].days
    assert [c.shift for c in cards] == ["day", "day", "night", "night", "night", "night", "night"]
    admin = store.log.list(EventFilter(event_types=(EventType.ADMIN,)))[0]  # newest first
    assert admin[0].actor == "hr-lead" and "schedule version 3 in force from 2026-11-12, back-dated (today is " \
        "2026-11-20)" in admin[0].reason and "sha256 " in admin[0].reason
    assert "back-dated" not in admin[1].reason
    assert store.tables.schedule_version.get_by_id(fix.version).event_id == admin[0].event_id
    assert verify_log(store.tables).ok
    with pytest.raises(InvalidArgument):
        store.set_schedule(Schedule(patterns=(WeeklyPattern("x", ("nope",) * 7),), default_pattern="x"), "hr")
    with pytest.raises(InvalidArgument):
        store.set_schedule(NIGHTS, "")  # the actor is required; nothing is stored
    assert len(store.schedules.all()) == 3


def test_a_version_5_database_keeps_its_schedule_as_the_version_in_force_since_ever(tmp_path):
    """Built with the frozen DDL of versions 1-5 (not today's models), with a schedule as version 5 stored it."""
    path = tmp_path / "edge.db"
    old = database_at(path, 5)
    old.db.execute_sql("INSERT INTO setting (key, value) VALUES ('schedule', ?)", (json.dumps(schedule_to_dict(NIGHTS)),))
    old.db.execute_sql("INSERT INTO person (person_id, display_name, active, created_us, updated_us)"
                       " VALUES ('nurse', 'Night Nurse', 1, 0, 0)")
    old.db.close()

    clock = ManualClock(berlin(2026, 11, 10, 12))
    store = AttendanceStore.open(path, AttendanceRules(time_zone="Europe/Berlin"), clock)
    try:
        assert current_version(store.tables) == SCHEMA_VERSION
        (version,) = store.schedules.all()
        assert (version.version, version.effective_from, version.schedule, version.actor) == (
            1, SINCE_EVER, NIGHTS, "(upgrade)")
        assert store.load_setting("schedule") is None
        assert store.schedules.history().at(date(2020, 1, 1)).shift("night") == NIGHT  # the past too, as before
        assert [scan(store, clock, 2026, 11, 10, 22), scan(store, clock, 2026, 11, 11, 6)] == [
            EventType.ENTRY, EventType.EXIT]
        card = store.reports.timecards(date(2026, 11, 10), date(2026, 11, 10), "nurse")[0].days[0]
        assert (card.shift, card.worked_hours) == ("night", 8.0)
        assert store.set_schedule(DAYS, "hr").version == 2
    finally:
        store.close()
