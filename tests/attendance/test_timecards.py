"""Timecards computed from punches: night shifts across midnight and DST, a month against hand-computed
figures, and each correction kind with its audit record (real SQLite store, manual clock)."""
from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from edge_node.attendance.decide import NO_ENTRY_KNOWN_REASON, NO_EXIT_KNOWN_REASON
from edge_node.attendance.log import EventFilter
from edge_node.attendance.punch_feedback import punch_feedback
from edge_node.attendance.model import AnomalyKind, EventType
from edge_node.attendance.rules import AttendanceRules
from edge_node.attendance.schedule import Schedule, Shift, WeeklyPattern, with_defaults
from edge_node.attendance.store import AttendanceStore
from edge_node.attendance.timecard import DayException, DayKind, DayStatus, totals
from edge_node.attendance.trusted_time import TrustedTime
from tools.manual_clock import ManualClock
from edge_node.common.errors import FailedPrecondition, InvalidArgument
from edge_node.storage.migrations import migrate
from edge_node.storage.schema import bind, open_database

BERLIN = ZoneInfo("Europe/Berlin")
NIGHT = Shift("night", start_minute=22 * 60, end_minute=30 * 60, window_before_minutes=180, window_after_minutes=300,
              min_hours_present=7.0)
DAY = Shift("day", start_minute=9 * 60, end_minute=17 * 60, grace_late_minutes=5, grace_early_minutes=5,
            lunch_start_minute=12 * 60, lunch_end_minute=13 * 60, lunch_minutes=60, min_hours_present=6.0)


def open_store(tmp_path: Path, zone: str, start: datetime) -> tuple[AttendanceStore, ManualClock]:
    clock = ManualClock(start)
    store = AttendanceStore.open(tmp_path / "edge.db", AttendanceRules(time_zone=zone), clock)
    return store, clock


def local(zone: ZoneInfo, *parts: int) -> datetime:
    return datetime(*parts, tzinfo=zone).astimezone(timezone.utc)


@pytest.fixture
def nurse_store(tmp_path: Path):
    store, clock = open_store(tmp_path, "Europe/Berlin", local(BERLIN, 2026, 10, 1, 12))
    store.persons.upsert("nurse", "Night Nurse")
    store.set_schedule(Schedule(shifts=(NIGHT,), patterns=(WeeklyPattern("nights", ("night",) * 7),),
                                person_patterns={"nurse": "nights"}), actor="hr-admin")
    yield store, clock
    store.close()


def test_night_shift_across_midnight_and_the_dst_change_is_booked_to_the_evening_it_started(nurse_store):
    """The issue's nurse: 22:00 on the 23rd, 06:00 on the 24th, 22:00 on the 24th, 06:00 on the 25th.
    Europe/Berlin leaves summer time on 2026-10-25 at 03:00, so the second night lasts 9 real hours."""
    store, clock = nurse_store
    kinds = []
    for day, hour in [(23, 22), (24, 6), (24, 22), (25, 6)]:
        clock.set(local(BERLIN, 2026, 10, day, hour))
        kinds.append(store.log.record_scan("nurse").event)
    assert [e.event_type for e in kinds] == [EventType.ENTRY, EventType.EXIT, EventType.ENTRY, EventType.EXIT]
    assert [e.local_date for e in kinds] == [date(2026, 10, 23)] * 2 + [date(2026, 10, 24)] * 2
    clock.set(local(BERLIN, 2026, 10, 27, 12))
    cards = store.reports.timecards(date(2026, 10, 23), date(2026, 10, 25), "nurse")[0].days
    assert [(c.day, c.status, c.worked_hours, c.flags) for c in cards] == [
        (date(2026, 10, 23), DayStatus.PRESENT, 8.0, ()),
        (date(2026, 10, 24), DayStatus.PRESENT, 9.0, ()),  # 22:00 CEST to 06:00 CET
        (date(2026, 10, 25), DayStatus.ABSENT, 0.0, (AnomalyKind.ABSENT,)),
    ]
    report = store.reports.report("2026-10-24")
    assert [(s.person_id, s.hours_worked, s.open_entry) for s in report.summaries] == [("nurse", 9.0, False)]


def test_a_night_shift_still_open_is_in_and_becomes_missing_exit_after_its_window(nurse_store):
    store, clock = nurse_store
    clock.set(local(BERLIN, 2026, 10, 5, 21, 55))
    store.log.record_scan("nurse")
    clock.set(local(BERLIN, 2026, 10, 6, 3))
    inside = store.reports.who_is_in()
    assert [(card.person_id, day.day, day.first_in) for card, day in inside] == [
        ("nurse", date(2026, 10, 5), local(BERLIN, 2026, 10, 5, 21, 55))]
    clock.set(local(BERLIN, 2026, 10, 6, 11, 1))  # the window closes 5 h after the 06:00 end
    card = store.reports.timecards(date(2026, 10, 5), date(2026, 10, 5), "nurse")[0].days[0]
    assert AnomalyKind.MISSING_EXIT in card.flags and not card.is_in
    assert store.reports.who_is_in() == []


def punch(store: AttendanceStore, clock: ManualClock, zone: ZoneInfo, day: int, *times: tuple[int, int]) -> None:
    for hour, minute in times:
        clock.set(local(zone, 2026, 2, day, hour, minute))
        assert store.log.record_scan("ann").event.event_type.counted


def test_a_month_of_timecards_matches_the_hand_computed_figures(tmp_path):
    utc = ZoneInfo("UTC")
    store, clock = open_store(tmp_path, "UTC", datetime(2026, 1, 31, 12, tzinfo=timezone.utc))
    store.persons.upsert("ann", "Ann")
    store.set_schedule(Schedule(shifts=(DAY,), patterns=(WeeklyPattern("office", ("day",) * 5 + ("", "")),),
                                default_pattern="office", holidays=frozenset({date(2026, 2, 16)})), actor="hr")
    special = {
        3: [(9, 20), (17, 0)],                    # late 20 min: 460 - 60 = 400 min
        4: [(9, 0), (15, 0)],                     # early leave 120 min: 300 min, HALF_DAY
        5: [(9, 0), (19, 30)],                    # 570 min: overtime 150 min over the paid 420
        6: [(9, 0), (12, 0), (13, 0), (17, 0)],   # 420 min, 1 h break, no lunch worked
        10: [], 16: [],                           # absent; a holiday
        12: [(9, 0)],                             # no exit
        14: [(10, 0), (12, 0)],                   # a Saturday off: 120 min
    }
    for day in range(1, 29):
        normal = [(8, 55), (17, 5)] if date(2026, 2, day).isoweekday() <= 5 else []  # 430 min after the lunch
        punch(store, clock, utc, day, *special.get(day, normal))
    clock.set(datetime(2026, 3, 2, 12, tzinfo=timezone.utc))
    card = store.reports.timecards(date(2026, 2, 1), date(2026, 2, 28), "ann")[0]
    by_day = {c.day.day: c for c in card.days}
    assert len(card.days) == 28
    # 08:55-17:05 is 490 min clocked in, less the 60 min lunch: 430 paid, 10 over the paid 420 (every minute counts).
    assert (by_day[2].worked_minutes, by_day[2].break_deducted_minutes, by_day[2].paid_minutes, by_day[2].paid_hours,
            by_day[2].overtime_minutes, by_day[2].flags) == (490, 60, 430, 7.17, 10, (AnomalyKind.OVERTIME,))
    assert (by_day[3].late_minutes, by_day[3].flags, by_day[3].status) == (20, (AnomalyKind.LATE,), DayStatus.PRESENT)
    assert (by_day[4].early_leave_minutes, by_day[4].flags, by_day[4].status) == (
        120, (AnomalyKind.EARLY_LEAVE,), DayStatus.HALF_DAY)
    assert (by_day[5].overtime_hours, by_day[5].flags) == (2.5, (AnomalyKind.OVERTIME,))
    assert (by_day[6].paid_hours, by_day[6].break_hours, by_day[6].break_deducted_hours, by_day[6].flags) == (
        7.0, 1.0, 0.0, ())
    assert (by_day[10].status, by_day[10].flags) == (DayStatus.ABSENT, (AnomalyKind.ABSENT,))
    assert (by_day[12].status, by_day[12].flags, by_day[12].exceptions) == (
        DayStatus.INCOMPLETE, (AnomalyKind.MISSING_EXIT,), (DayException.MISSING_EXIT,))
    # A Saturday off, timed by her usual day shift: no minimum, so PRESENT, and marked as day-off work.
    assert (by_day[14].status, by_day[14].day_kind, by_day[14].paid_hours, by_day[14].flags) == (
        DayStatus.PRESENT, DayKind.DAY_OFF_WORK, 2.0, (AnomalyKind.WEEKEND,))
    assert by_day[16].status is DayStatus.HOLIDAY
    assert {by_day[d].status for d in (1, 7, 8, 15, 21, 22, 28)} == {DayStatus.OFF}
    summed = totals(card.days)
    assert {k: summed[k] for k in ("paid_minutes", "break_minutes", "overtime_minutes", "late_minutes",
                                   "early_leave_minutes", "present_days", "half_days", "absent_days")} == {
        "paid_minutes": 7400, "break_minutes": 60, "overtime_minutes": 150 + 13 * 10, "late_minutes": 20,
        "early_leave_minutes": 120, "present_days": 17, "half_days": 1, "absent_days": 1}
    assert summed["paid_hours"] == round(sum(c.paid_hours for c in card.days), 2)  # the rows add up to the total
    store.close()


@pytest.fixture
def office(tmp_path: Path):
    store, clock = open_store(tmp_path, "UTC", datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc))
    store.persons.upsert("ann", "Ann")
    store.persons.upsert("bob", "Bob")
    yield store, clock
    store.close()


def test_a_forgotten_check_out_is_added_with_reason_and_actor(office):
    store, clock = office
    store.log.record_scan("ann")
    clock.set(datetime(2026, 11, 24, 9, 0, tzinfo=timezone.utc))
    added = store.corrections.add_punch("ann", datetime(2026, 11, 23, 17, 0, tzinfo=timezone.utc),
                                        "forgot to check out; confirmed by her manager", "hr-admin")
    assert (added.event_type, added.actor, added.reason) == (EventType.PUNCH_ADDED, "hr-admin",
                                                             "forgot to check out; confirmed by her manager")
    card = store.reports.timecards(date(2026, 11, 23), date(2026, 11, 23), "ann")[0].days[0]
    assert (card.paid_hours, card.punches, card.corrections, card.flags, card.exceptions) == (
        7.0, 2, 1, (), (DayException.CORRECTED,))
    with pytest.raises(InvalidArgument, match="reason"):
        store.corrections.add_punch("ann", datetime(2026, 11, 23, 18, tzinfo=timezone.utc), " ", "hr-admin")
    with pytest.raises(InvalidArgument, match="actor"):
        store.corrections.add_punch("ann", datetime(2026, 11, 23, 18, tzinfo=timezone.utc), "why", "")


def test_a_voided_punch_stays_on_the_log_and_stops_counting(office):
    store, clock = office
    entry = store.log.record_scan("ann").event
    clock.advance(3600)
    stray = store.log.record_scan("ann").event  # a pass-by read as an EXIT
    clock.advance(7 * 3600)
    store.log.record_scan("ann")
    void = store.corrections.void_punch(stray.event_id, "walked past the kiosk, did not leave", "supervisor")
    assert (void.event_type, void.ref_seq, void.actor, void.occurred_at) == (
        EventType.PUNCH_VOIDED, stray.event_id, "supervisor", stray.occurred_at)
    card = store.reports.timecards(date(2026, 11, 23), date(2026, 11, 23), "ann")[0].days[0]
    assert (card.first_in, card.paid_hours, card.punches, card.corrections) == (entry.occurred_at, 7.0, 2, 1)
    with pytest.raises(FailedPrecondition, match="already corrected"):
        store.corrections.void_punch(stray.event_id, "again", "supervisor")
    with pytest.raises(FailedPrecondition, match="not a punch"):
        store.corrections.void_punch(void.event_id, "a correction", "supervisor")


def test_a_misrecognised_punch_moves_to_the_right_person(office):
    store, clock = office
    store.log.record_scan("ann")
    clock.advance(60)
    wrong = store.log.record_scan("bob").event  # Ann leaving, recognised as Bob
    moved = store.corrections.move_punch(wrong.event_id, "ann", "Bob is on leave; the face was Ann's", "hr-admin")
    assert (moved.event_type, moved.person_id, moved.ref_seq, moved.actor) == (
        EventType.PUNCH_MOVED, "ann", wrong.event_id, "hr-admin")
    clock.set(datetime(2026, 11, 23, 23, tzinfo=timezone.utc))
    cards = {c.person_id: c.days[0] for c in store.reports.timecards(date(2026, 11, 23), date(2026, 11, 23))}
    assert (cards["ann"].punches, cards["ann"].corrections) == (2, 1)
    assert (cards["bob"].punches, cards["bob"].status, cards["bob"].corrections) == (0, DayStatus.ABSENT, 1)
    with pytest.raises(FailedPrecondition, match="already belongs"):
        store.corrections.move_punch(moved.event_id, "ann", "no-op", "hr-admin")


def test_explicit_backfill_before_a_later_event_is_refused_with_the_correction_to_use(office):
    store, clock = office
    store.log.record_scan("ann")
    with pytest.raises(FailedPrecondition, match="missed punch"):
        store.log.record_scan("ann", occurred_at=clock.now() - timedelta(hours=1))


class Monotonic:
    """A monotonic clock for the test: a wall-clock step does not move it."""

    def __init__(self) -> None:
        self.value = 0.0

    def __call__(self) -> float:
        return self.value


def test_a_clock_jump_backwards_is_held_at_the_last_event_and_flagged(tmp_path):
    clock = ManualClock(datetime(2026, 11, 23, 8, 0, tzinfo=timezone.utc))
    monotonic = Monotonic()
    tables = bind(open_database(tmp_path / "edge.db"))
    migrate(tables)
    store = AttendanceStore(tables, AttendanceRules(time_zone="UTC"), clock,
                            TrustedTime(clock, monotonic, synchronised=lambda: True))
    store.persons.upsert("ann", "Ann")
    try:
        entry = store.log.record_scan("ann").event
        clock.set(datetime(2026, 11, 23, 7, 0, 10, tzinfo=timezone.utc))  # a restart without RTC: an hour back
        monotonic.value += 10
        held = store.log.record_scan("ann").event
        assert held.occurred_at == entry.occurred_at  # held at the last stored event
        assert held.event_type is EventType.DUPLICATE
        assert [a.kind for a in held.anomalies] == [AnomalyKind.CLOCK_BACKWARDS]
        clock.advance(120)
        monotonic.value += 120
        leaving = store.log.record_scan("ann").event  # not a DUPLICATE "until the clock catches up"
        assert (leaving.event_type, leaving.occurred_at) == (EventType.EXIT, datetime(2026, 11, 23, 8, 2, tzinfo=timezone.utc))
        assert AnomalyKind.CLOCK_BACKWARDS in [a.kind for a in leaving.anomalies]
        assert store.trusted_time.state().behind_seconds == pytest.approx(3600 - 10)
        clock.set(datetime(2026, 11, 23, 8, 5, tzinfo=timezone.utc))  # NTP steps the clock right again
        monotonic.value += 180
        back = store.log.record_scan("ann").event
        assert (back.occurred_at, back.anomalies) == (datetime(2026, 11, 23, 8, 5, tzinfo=timezone.utc), ())
        assert store.trusted_time.state().held_since is None
    finally:
        store.close()


def test_punches_taken_while_the_clock_is_unsynchronised_are_flagged(tmp_path):
    clock = ManualClock(datetime(2026, 11, 23, 8, 0, tzinfo=timezone.utc))
    tables = bind(open_database(tmp_path / "edge.db"))
    migrate(tables)
    store = AttendanceStore(tables, AttendanceRules(time_zone="UTC"), clock, TrustedTime(clock, synchronised=lambda: False))
    store.persons.upsert("ann", "Ann")
    try:
        event = store.log.record_scan("ann").event
        assert [a.kind for a in event.anomalies] == [AnomalyKind.CLOCK_UNSYNCED]
        assert store.trusted_time.state().synchronised is False
    finally:
        store.close()


def test_the_kiosk_is_told_what_was_recorded(office):
    store, clock = office
    zone = ZoneInfo("UTC")
    assert punch_feedback(store.log.record_scan("ann"), zone).message == "Welcome, Ann - IN at 09:00"
    clock.advance(20)
    again = punch_feedback(store.log.record_scan("ann"), zone)
    assert (again.event_type, again.state, again.message) == (
        EventType.DUPLICATE, "IN", "Already recorded - you are IN since 09:00")
    clock.set(datetime(2026, 11, 23, 17, 30, tzinfo=timezone.utc))
    assert punch_feedback(store.log.record_scan("ann"), zone).message == "Goodbye, Ann - OUT at 17:30 (7.5 h today)"
    rejected = punch_feedback(store.log.record_scan("mallory"), zone)
    assert rejected.state == "REJECTED" and "unknown person id" in rejected.message


@pytest.mark.parametrize("schedule,message", [
    (Schedule(shifts=(Shift("x", 600, 600),)), "must be after start_minute"),
    (Schedule(shifts=(Shift("x", 1320, 2880),)), "at most 24 h later"),
    (Schedule(shifts=(DAY, DAY)), "distinct"),
    (Schedule(patterns=(WeeklyPattern("p", ("day",) * 6),), default_pattern="p"), "7 days"),
    (Schedule(default_pattern="nope"), "default_pattern 'nope'"),
    (Schedule(person_patterns={"ann": "nope"}), "'ann' is assigned pattern 'nope'"),
    (Schedule(shifts=(Shift("x", 600, 900, lunch_start_minute=700, lunch_end_minute=730, lunch_minutes=60),)),
     "longer than the lunch window"),
])
def test_a_schedule_that_cannot_work_is_refused_naming_the_problem(schedule, message):
    with pytest.raises(InvalidArgument, match=message):
        with_defaults(schedule, AttendanceRules(time_zone="UTC")).validate()


def test_a_door_with_an_entry_kiosk_and_an_exit_kiosk(office):
    """A door's kiosk records its direction: the other door's punch may not have reached it yet."""
    store, clock = office
    zone = ZoneInfo("UTC")

    def reason_of_last() -> str:
        return store.log.list(EventFilter())[0][0].reason

    store.set_rules(replace(store.get_rules(), box_mode="entry"))
    assert store.log.record_scan("ann").event.event_type is EventType.ENTRY and reason_of_last() == ""
    clock.advance(120)
    again = punch_feedback(store.log.record_scan("ann"), zone)
    assert (again.event_type, again.state) == (EventType.ENTRY, "IN") and again.message.startswith("Welcome")
    assert reason_of_last() == NO_EXIT_KNOWN_REASON
    store.set_rules(replace(store.get_rules(), box_mode="exit"))
    clock.advance(3600)
    out = punch_feedback(store.log.record_scan("ann"), zone)  # 2 punches known: OUT as far as this box knows
    assert (out.event_type, out.state) == (EventType.EXIT, "OUT") and reason_of_last() == NO_ENTRY_KNOWN_REASON
    clock.advance(3600)
    assert store.log.record_scan("ann").event.event_type is EventType.EXIT and reason_of_last() == ""
    with pytest.raises(InvalidArgument, match="box_mode"):
        replace(store.get_rules(), box_mode="sideways").validate()
