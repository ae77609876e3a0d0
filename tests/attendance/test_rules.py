"""The attendance rules on a real SQLite store with a manual clock (no sleeping)."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from edge_node.attendance.log import EventFilter
from edge_node.attendance.model import AnomalyKind, AttendanceStatus, Employment, EventType
from edge_node.attendance.rules import AttendanceRules
from edge_node.attendance.store import AttendanceStore
from tools.manual_clock import ManualClock
from edge_node.common.errors import FailedPrecondition, InvalidArgument, NotFound

UTC = timezone.utc


def make_store(tmp_path: Path, start: datetime, **rules) -> tuple[AttendanceStore, ManualClock]:
    rules.setdefault("time_zone", "UTC")
    clock = ManualClock(start)
    store = AttendanceStore.open(tmp_path / "edge.db", AttendanceRules(**rules), clock)
    store.persons.upsert("alice", "Alice")
    return store, clock


@pytest.fixture
def store(tmp_path: Path):
    store, clock = make_store(tmp_path, datetime(2026, 11, 23, 8, 0, tzinfo=UTC))  # a Monday
    yield store, clock
    store.close()


def scan(store: AttendanceStore, person: str = "alice"):
    return store.log.record_scan(person)


def test_first_scan_of_the_day_is_entry_then_alternates(store):
    s, clock = store
    kinds = []
    for _ in range(4):
        kinds.append(scan(s).event.event_type)
        clock.advance(3600)
    assert kinds == [EventType.ENTRY, EventType.EXIT, EventType.ENTRY, EventType.EXIT]


def test_scan_inside_cooldown_is_duplicate_logged_not_counted(store):
    s, clock = store
    assert scan(s).event.event_type is EventType.ENTRY
    clock.advance(59)
    dup = scan(s)
    assert dup.event.event_type is EventType.DUPLICATE
    assert "cooldown" in dup.event.reason
    assert dup.summary.entry_count == 1 and dup.summary.exit_count == 0
    clock.advance(61)  # 61 s after the duplicate: the person was gone for the whole cooldown
    assert scan(s).event.event_type is EventType.EXIT
    events, _ = s.log.list(EventFilter(person_id="alice"))
    assert [e.event_type for e in events] == [EventType.EXIT, EventType.DUPLICATE, EventType.ENTRY]


def test_a_person_lingering_at_the_kiosk_makes_one_punch(store):
    """The walk-up trigger re-arms every 10 s; standing there for five minutes must not book the person out."""
    s, clock = store
    kinds = [scan(s).event.event_type]
    for _ in range(30):
        clock.advance(10)
        kinds.append(scan(s).event.event_type)
    assert kinds == [EventType.ENTRY] + [EventType.DUPLICATE] * 30
    card = s.reports.timecards(date(2026, 11, 23), date(2026, 11, 23), "alice")[0].days[0]
    assert (card.punches, card.is_in) == (1, True)
    clock.advance(61)  # gone for longer than the cooldown, then back: a real EXIT
    assert scan(s).event.event_type is EventType.EXIT


def test_cooldown_is_configurable(tmp_path):
    s, clock = make_store(tmp_path, datetime(2026, 11, 23, 8, 0, tzinfo=UTC), cooldown_seconds=300)
    scan(s)
    clock.advance(200)
    assert scan(s).event.event_type is EventType.DUPLICATE
    clock.advance(301)
    assert scan(s).event.event_type is EventType.EXIT


def test_new_local_day_starts_with_entry_and_cooldown_crosses_midnight(tmp_path):
    s, clock = make_store(tmp_path, datetime(2026, 11, 23, 23, 59, 30, tzinfo=UTC), work_end_hour=24, work_start_hour=0)
    assert scan(s).event.event_type is EventType.ENTRY
    clock.advance(40)  # 00:00:10 next day, inside the cooldown
    assert scan(s).event.event_type is EventType.DUPLICATE
    clock.advance(60)
    second_day = scan(s)
    assert second_day.event.event_type is EventType.ENTRY  # the previous day's open ENTRY does not flip it
    assert second_day.event.local_date == date(2026, 11, 24)


def test_unknown_person_is_rejected_logged_and_not_created(store):
    s, _ = store
    result = scan(s, "mallory")
    assert result.event.event_type is EventType.REJECTED
    assert "unknown person id 'mallory'" in result.event.reason
    assert result.summary is None
    with pytest.raises(NotFound):
        s.persons.get("mallory")
    assert [p.person_id for p in s.persons.list(include_inactive=True)[0]] == ["alice"]


def test_inactive_person_is_rejected_with_reason(store):
    s, _ = store
    s.persons.upsert("bob", "Bob", active=False)
    result = scan(s, "bob")
    assert result.event.event_type is EventType.REJECTED
    assert "inactive" in result.event.reason


@pytest.mark.parametrize("hour,flagged", [(5, True), (6, False), (21, False), (22, True), (23, True)])
def test_after_hours_anomaly(tmp_path, hour, flagged):
    s, _ = make_store(tmp_path, datetime(2026, 11, 23, hour, 30, tzinfo=UTC))
    kinds = [a.kind for a in scan(s).event.anomalies]
    assert (AnomalyKind.AFTER_HOURS in kinds) is flagged


def test_weekend_anomaly_unless_allowed(tmp_path):
    saturday = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)
    s, _ = make_store(tmp_path / "a", saturday)
    event = scan(s).event
    assert [a.kind for a in event.anomalies] == [AnomalyKind.WEEKEND]
    assert "Saturday" in event.anomalies[0].reason
    allowed, _ = make_store(tmp_path / "b", saturday, weekend_allowed=True)
    assert scan(allowed).event.anomalies == ()
    friday_weekend, _ = make_store(tmp_path / "c", datetime(2026, 11, 27, 10, 0, tzinfo=UTC), weekend_days=(5, 6))
    assert [a.kind for a in scan(friday_weekend).event.anomalies] == [AnomalyKind.WEEKEND]


def test_excessive_scans_flagged_beyond_the_daily_limit(tmp_path):
    s, clock = make_store(tmp_path, datetime(2026, 11, 23, 8, 0, tzinfo=UTC), max_daily_scans=3)
    flags = []
    for _ in range(5):
        flags.append(any(a.kind is AnomalyKind.EXCESSIVE_SCANS for a in scan(s).event.anomalies))
        clock.advance(30)  # duplicates count as scans too
    assert flags == [False, False, False, True, True]


def test_daily_summary_deducts_lunch_and_marks_present(store):
    s, clock = store  # 08:00 UTC
    scan(s)
    clock.set(datetime(2026, 11, 23, 16, 0, tzinfo=UTC))
    summary = scan(s).summary
    assert summary.hours_worked == pytest.approx(7.0)  # 8 h minus the 60 min lunch
    assert summary.status is AttendanceStatus.PRESENT
    assert summary.first_entry_at == datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
    assert summary.last_exit_at == datetime(2026, 11, 23, 16, 0, tzinfo=UTC)
    assert (summary.entry_count, summary.exit_count, summary.open_entry) == (1, 1, False)


def test_lunch_deduction_is_capped_by_time_worked_in_the_lunch_window_and_by_the_break_clocked_out(store):
    s, clock = store
    scan(s)  # 08:00
    clock.set(datetime(2026, 11, 23, 12, 20, tzinfo=UTC))
    assert scan(s).summary.hours_worked == pytest.approx(4 + 20 / 60 - 20 / 60)  # only 20 min overlap deducted
    clock.set(datetime(2026, 11, 23, 13, 50, tzinfo=UTC))
    scan(s)
    clock.set(datetime(2026, 11, 23, 15, 0, tzinfo=UTC))
    summary = scan(s).summary  # the 90 min clocked out 12:20-13:50 cover the 60 min lunch: nothing is deducted
    assert summary.hours_worked == pytest.approx((4 * 60 + 20 + 70) / 60)  # 5.5 h
    assert summary.status is AttendanceStatus.HALF_DAY


def test_short_day_is_half_day_and_open_entry_is_reported(store):
    s, clock = store
    scan(s)
    clock.advance(2 * 3600)
    assert scan(s).summary.status is AttendanceStatus.HALF_DAY
    clock.advance(3600)
    summary = scan(s).summary
    assert summary.open_entry and summary.status is AttendanceStatus.HALF_DAY


def test_report_lists_absent_active_persons_only(store):
    s, _ = store
    s.persons.upsert("bob", "Bob", employment=Employment(date(2026, 11, 1)))  # in payroll: employed, not yet enrolled
    s.persons.upsert("dave", "Dave")  # no face, no employment set, no punch: not in payroll
    s.persons.upsert("carol", "Carol", active=False)
    scan(s)
    report = s.reports.report("2026-11-23")
    assert [(r.person_id, r.status) for r in report.summaries] == [
        ("alice", AttendanceStatus.HALF_DAY), ("bob", AttendanceStatus.ABSENT)]
    assert report.count(AttendanceStatus.ABSENT) == 1
    with pytest.raises(InvalidArgument, match="YYYY-MM-DD"):
        s.reports.report("23/11/2026")


def test_dst_change_day_uses_real_elapsed_time_and_local_dates(tmp_path):
    # Europe/Berlin springs forward on 2026-03-29 at 02:00 -> 03:00: that local day has 23 hours.
    tz = "Europe/Berlin"
    start = datetime(2026, 3, 28, 23, 30, tzinfo=UTC)  # 00:30 CET on 2026-03-29 (a Sunday)
    s, clock = make_store(tmp_path, start, time_zone=tz, work_start_hour=0, weekend_allowed=True)
    entry = scan(s).event
    assert entry.local_date == date(2026, 3, 29) and entry.event_type is EventType.ENTRY
    clock.set(datetime(2026, 3, 29, 6, 30, tzinfo=UTC))  # 08:30 CEST: 8 local-clock hours, 7 real hours
    summary = scan(s).summary
    assert summary.hours_worked == pytest.approx(7.0)
    assert summary.status is AttendanceStatus.PRESENT
    clock.set(datetime(2026, 3, 29, 21, 59, tzinfo=UTC))  # 23:59 CEST: still the 29th
    assert scan(s).event.local_date == date(2026, 3, 29)
    clock.set(datetime(2026, 3, 29, 22, 1, tzinfo=UTC))  # 00:01 on the 30th: first scan of a new day
    event = scan(s).event
    assert (event.local_date, event.event_type) == (date(2026, 3, 30), EventType.ENTRY)


def test_explicit_times_must_not_go_back_or_far_forward(store):
    s, clock = store
    scan(s)
    with pytest.raises(FailedPrecondition, match="time order"):
        s.log.record_scan("alice", occurred_at=clock.now() - timedelta(hours=1))
    with pytest.raises(InvalidArgument, match="future"):
        s.log.record_scan("alice", occurred_at=clock.now() + timedelta(hours=1))


@pytest.mark.parametrize("changes,field", [
    ({"cooldown_seconds": 0}, "cooldown_seconds"),
    ({"work_start_hour": 10, "work_end_hour": 9}, "work_end_hour"),
    ({"lunch_end_hour": 25}, "lunch_end_hour"),
    ({"time_zone": "Mars/Olympus"}, "time_zone"),
    ({"weekend_days": (0,)}, "weekend_days"),
    ({"max_daily_scans": 0}, "max_daily_scans"),
    ({"min_hours_full_day": 30.0}, "min_hours_full_day"),
])
def test_rules_validation_names_the_field(changes, field):
    from dataclasses import replace

    with pytest.raises(InvalidArgument, match=field):
        replace(AttendanceRules(time_zone="UTC"), **changes).validate()


def test_person_ids_and_names_are_validated_and_unicode_kept(store):
    s, _ = store
    person, created = s.persons.upsert("emp/7'; DROP TABLE person;--", "Zoë Ñúñez 山田 \u202e")
    assert created and s.persons.get("emp/7'; DROP TABLE person;--").display_name == "Zoë Ñúñez 山田 \u202e"
    for bad in ["", " x", "a\nb", "x" * 65]:
        with pytest.raises(InvalidArgument, match="person_id"):
            s.persons.upsert(bad, "Name")
    with pytest.raises(InvalidArgument, match="display_name"):
        s.persons.upsert("ok", "   ")
