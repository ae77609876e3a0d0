"""The pay rules of docs/attendance-rules.md, one test per rule, on a real SQLite store with a manual clock:
versioned settings, shift days that hold on holidays and days off, breaks clocked out, overtime thresholds,
employment periods and the exceptions a clerk must see."""
from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from edge_node.attendance.log import EventFilter
from edge_node.attendance.model import AnomalyKind, Employment, EventType
from edge_node.attendance.punches import PunchRow, punches_by_person
from edge_node.attendance.rules import AttendanceRules
from edge_node.attendance.schedule import OvertimeRule, Schedule, Shift, WeeklyPattern, schedule_from_dict, \
    schedule_to_dict
from edge_node.attendance.schedule_versions import FALLBACK_PAY_KEY
from edge_node.attendance.store import AttendanceStore
from edge_node.attendance.timecard import DayException, DayKind, DayStatus
from edge_node.attendance.trusted_time import TrustedTime
from edge_node.attendance.verify import verify_log
from edge_node.common.errors import InvalidArgument
from edge_node.config import Config
from edge_node.settings import SettingsManager
from edge_node.storage.migrations import migrate
from edge_node.storage.schema import bind, open_database
from edge_node.storage.timestamps import to_us
from edge_node.wire.schedules import schedule_from_pb, schedule_to_pb
from tests.attendance.site_shifts import BERLIN, DAY, NIGHT
from tools.manual_clock import ManualClock

OFFICE = WeeklyPattern("office", ("day",) * 5 + ("", ""))
NIGHTS = WeeklyPattern("nights", ("night",) * 7)


def berlin(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=BERLIN).astimezone(timezone.utc)


def open_store(path: Path, clock: ManualClock, **rules) -> AttendanceStore:
    return AttendanceStore.open(path, AttendanceRules(**{"time_zone": "Europe/Berlin", **rules}), clock)


@pytest.fixture
def site(tmp_path: Path):
    clock = ManualClock(berlin(2026, 9, 30, 12))
    store = open_store(tmp_path / "edge.db", clock)
    store.persons.upsert("ann", "Ann", employment=Employment(date(2026, 9, 1)))
    yield store, clock
    store.close()


def punch(store: AttendanceStore, clock: ManualClock, *at: int, person: str = "ann") -> EventType:
    clock.set(berlin(*at))
    return store.log.record_scan(person).event.event_type


def card(store: AttendanceStore, day: date, person: str = "ann"):
    return store.reports.timecards(day, day, person)[0].days[0]


def test_a_lunch_change_in_december_leaves_november_alone_and_is_a_schedule_version(site):
    store, clock = site
    settings = SettingsManager(store, Config(attendance=store.get_rules()))
    punch(store, clock, 2026, 11, 10, 9)
    punch(store, clock, 2026, 11, 10, 15)  # 6 h on the default shift, 60 min lunch inside 12-14: paid 5 h
    clock.set(berlin(2026, 12, 1, 9))
    before = card(store, date(2026, 11, 10))
    assert before.paid_hours == 5.0
    settings.update({"lunch_minutes": 120}, actor="hr")
    assert card(store, date(2026, 11, 10)) == before  # not 4.0 h
    version = store.schedules.all()[-1]
    assert (version.effective_from, version.actor, version.schedule.pay.lunch_minutes) == (date(2026, 12, 1), "hr", 120)
    admin = store.log.list(EventFilter(event_types=(EventType.ADMIN,)))[0][0]
    assert "in force from 2026-12-01 (pay rules changed): " in admin.reason
    assert verify_log(store.tables).ok  # the version matches what its admin event recorded
    punch(store, clock, 2026, 12, 2, 9)
    punch(store, clock, 2026, 12, 2, 15)
    assert card(store, date(2026, 12, 2)).paid_hours == 4.0  # the new rule from its date on
    assert settings.update({"cooldown_seconds": 90}).rules.cooldown_seconds == 90
    assert len(store.schedules.all()) == 1  # not a pay rule: no version


def test_a_time_zone_change_keeps_each_past_day_in_its_own_zone(site):
    store, clock = site
    settings = SettingsManager(store, Config(attendance=store.get_rules()))
    punch(store, clock, 2026, 11, 10, 10)
    punch(store, clock, 2026, 11, 10, 16)  # 6 h, 1 h lunch: 5 h, HALF_DAY
    clock.set(berlin(2026, 11, 20, 12))
    before = store.reports.timecards(date(2026, 11, 9), date(2026, 11, 11), "ann")[0].days
    assert before[1].status is DayStatus.HALF_DAY
    settings.update({"time_zone": "Pacific/Auckland"}, actor="hr", effective_from=date(2026, 11, 20))
    assert store.reports.timecards(date(2026, 11, 9), date(2026, 11, 11), "ann")[0].days == before
    assert store.schedules.history().pay_at(date(2026, 11, 20)).time_zone == "Pacific/Auckland"
    assert [d.time_zone for d in store.reports.timecards(date(2026, 11, 19), date(2026, 11, 20), "ann")[0].days] == [
        "Europe/Berlin", "Pacific/Auckland"]


def test_a_version_stored_before_pay_rules_were_kept_uses_the_settings_of_the_upgrade(tmp_path):
    path = tmp_path / "edge.db"
    tables = bind(open_database(path))
    migrate(tables)
    legacy = {k: v for k, v in schedule_to_dict(Schedule(shifts=(DAY,), patterns=(OFFICE,),
                                                         default_pattern="office")).items() if k != "pay"}
    tables.db.execute_sql("INSERT INTO schedule_version (effective_from, schedule, actor, recorded_us)"
                          " VALUES ('0001-01-01', ?, '(upgrade)', 0)", (json.dumps(legacy),))
    tables.db.close()
    clock = ManualClock(berlin(2026, 11, 2, 12))
    store = open_store(path, clock, lunch_minutes=45)
    assert store.schedules.history().pay_at(date(2026, 1, 1)).lunch_minutes == 45  # kept at the first start
    assert json.loads(store.tables.setting.get_by_id(FALLBACK_PAY_KEY).value)["lunch_minutes"] == 45
    store.close()
    store = open_store(path, clock, lunch_minutes=10)  # the config file changed while the node was down
    try:
        assert store.schedules.history().pay_at(date(2026, 1, 1)).lunch_minutes == 45
        assert store.set_rules(store.get_rules(), "(config)", starting=True).effective_from == date(2026, 11, 2)
        assert store.schedules.history().pay_at(date(2026, 11, 2)).lunch_minutes == 10
        assert store.schedules.history().pay_at(date(2026, 11, 1)).lunch_minutes == 45
    finally:
        store.close()


def test_a_schedule_with_its_pay_rules_survives_the_json_and_the_wire_unchanged():
    schedule = Schedule(shifts=(DAY, NIGHT), patterns=(OFFICE, NIGHTS), default_pattern="office",
                        holidays=frozenset({date(2026, 10, 3)}), pay=AttendanceRules(time_zone="Europe/Berlin").pay,
                        overtime=OvertimeRule(30, 2280, 15), day_off_shift="day")
    assert schedule_from_dict(json.loads(json.dumps(schedule_to_dict(schedule)))) == schedule
    assert schedule_from_pb(schedule_to_pb(schedule)) == schedule
    assert schedule_from_pb(schedule_to_pb(replace(schedule, pay=None))).pay is None  # the node's settings then


def test_a_night_shift_starting_on_a_holiday_keeps_its_window_on_the_kiosk_and_the_card(site):
    store, clock = site
    store.set_schedule(Schedule(shifts=(NIGHT,), patterns=(NIGHTS,), default_pattern="nights",
                                holidays=frozenset({date(2026, 10, 3)})), "hr")
    assert punch(store, clock, 2026, 10, 3, 21, 55) is EventType.ENTRY
    clock.set(berlin(2026, 10, 4, 2))
    assert [(c.person_id, d.day) for c, d in store.reports.who_is_in()] == [("ann", date(2026, 10, 3))]
    assert punch(store, clock, 2026, 10, 4, 6, 5) is EventType.EXIT  # the kiosk says goodbye, not welcome
    clock.set(berlin(2026, 10, 5, 12))
    holiday = card(store, date(2026, 10, 3))
    # 21:55-06:05 is 490 min clocked in, less the 30 min break: 460 min paid (7.67 h), none of it scheduled.
    assert (holiday.shift, holiday.status, holiday.day_kind, holiday.worked_minutes, holiday.paid_minutes,
            holiday.paid_hours, holiday.scheduled_paid_minutes, holiday.exceptions) == (
        "night", DayStatus.PRESENT, DayKind.HOLIDAY_WORK, 490, 460, 7.67, 0, ())
    assert card(store, date(2026, 10, 4)).punches == 0


def test_unscheduled_work_on_a_day_off_is_timed_by_the_usual_shift_or_the_schedules_day_off_shift(site):
    store, clock = site
    store.set_schedule(Schedule(shifts=(DAY,), patterns=(OFFICE,), default_pattern="office"), "hr")
    punch(store, clock, 2026, 10, 10, 10)  # a Saturday
    punch(store, clock, 2026, 10, 10, 14)
    clock.set(berlin(2026, 10, 12, 12))
    saturday = card(store, date(2026, 10, 10))
    # Her usual day shift's 30 min break inside 12-14, not the config default's 60 min: 240 - 30 = 210.
    assert (saturday.shift, saturday.day_kind, saturday.status, saturday.paid_minutes) == (
        "day", DayKind.DAY_OFF_WORK, DayStatus.PRESENT, 210)
    assert card(store, date(2026, 10, 11)).day_kind is DayKind.DAY_OFF
    weekend = Shift("weekend", start_minute=9 * 60, end_minute=17 * 60, min_hours_present=0.0)
    store.set_schedule(Schedule(shifts=(DAY, weekend), patterns=(OFFICE,), default_pattern="office",
                                day_off_shift="weekend"), "hr", effective_from=date(2026, 10, 1))
    assert (card(store, date(2026, 10, 10)).shift, card(store, date(2026, 10, 10)).paid_minutes) == ("weekend", 240)


def test_a_break_clocked_out_counts_towards_the_lunch_deduction(site):
    store, clock = site
    store.set_schedule(Schedule(shifts=(DAY,), patterns=(OFFICE,), default_pattern="office"), "hr")
    for day, lunch in ((5, (12, 40)), (6, (12, 20))):
        punch(store, clock, 2026, 10, day, 8)
        punch(store, clock, 2026, 10, day, 12)
        punch(store, clock, 2026, 10, day, *lunch)
        punch(store, clock, 2026, 10, day, 16, 30)
    clock.set(berlin(2026, 10, 7, 12))
    out40, out20 = store.reports.timecards(date(2026, 10, 5), date(2026, 10, 6), "ann")[0].days
    # 40 min clocked out covers the 30 min break: worked 240 + 230 = 470, nothing deducted, paid 470.
    assert (out40.worked_minutes, out40.break_minutes, out40.break_deducted_minutes, out40.paid_minutes,
            out40.overtime_minutes) == (470, 40, 0, 470, 0)
    # 20 min clocked out leaves 10 min of the 30 to deduct: worked 240 + 250 = 490, paid 480, the shift's 480.
    assert (out20.worked_minutes, out20.break_minutes, out20.break_deducted_minutes, out20.paid_minutes,
            out20.overtime_minutes) == (490, 20, 10, 480, 0)


def test_overtime_under_an_hour_counts_and_thresholds_and_rounding_are_schedule_settings(site):
    store, clock = site
    base = Schedule(shifts=(DAY,), patterns=(OFFICE,), default_pattern="office")
    store.set_schedule(base, "hr")
    for day, end in ((5, (16, 50)), (6, (17, 10)), (7, (16, 30)), (8, (16, 30)), (9, (16, 30))):
        punch(store, clock, 2026, 10, day, 8)
        punch(store, clock, 2026, 10, day, *end)
    clock.set(berlin(2026, 10, 12, 12))

    def overtime(first: int = 5) -> list[tuple[int, tuple[AnomalyKind, ...]]]:
        days = store.reports.timecards(date(2026, 10, first), date(2026, 10, 9), "ann")[0].days
        return [(d.overtime_minutes, d.flags) for d in days]

    ot = (AnomalyKind.OVERTIME,)
    assert overtime() == [(20, ot), (40, ot), (0, ()), (0, ()), (0, ())]  # every minute over the paid 480
    store.set_schedule(replace(base, overtime=OvertimeRule(daily_threshold_minutes=30)), "hr", date(2026, 10, 1))
    assert overtime() == [(0, ()), (40, ot), (0, ()), (0, ()), (0, ())]
    store.set_schedule(replace(base, overtime=OvertimeRule(round_minutes=15)), "hr", date(2026, 10, 1))
    assert overtime() == [(15, ot), (30, ot), (0, ()), (0, ()), (0, ())]
    # 38 h a week: Monday-Friday pay 500 + 520 + 480 * 3 = 2460 min, 60 of it daily overtime; the regular
    # 2400 pass 2280 on Friday by 120.
    store.set_schedule(replace(base, overtime=OvertimeRule(weekly_threshold_minutes=38 * 60)), "hr", date(2026, 10, 1))
    assert overtime() == [(20, ot), (40, ot), (0, ()), (0, ()), (120, ot)]
    assert overtime(first=8) == [(0, ()), (120, ot)]  # a period from Thursday still counts the whole week


def test_no_absent_outside_the_employment_period_and_no_payroll_row_for_a_faceless_person(site):
    store, clock = site
    clock.set(berlin(2026, 10, 14, 9))
    store.persons.upsert("new", "New Hire")  # created on the 14th, no start set
    store.persons.upsert("temp", "Temp", employment=Employment(date(2026, 10, 5), date(2026, 10, 9)))
    store.persons.upsert("refused", "Refused Enrolment")  # no face, no punch, no employment set
    store.tables.template.insert(template_id="t1", person_id="new", model_id="m", embedding=b"",
                                 created_us=to_us(clock.now())).execute()
    clock.set(berlin(2026, 11, 1, 12))
    cards = {c.person_id: c.days for c in store.reports.timecards(date(2026, 10, 1), date(2026, 10, 31))}
    assert sorted(cards) == ["ann", "new", "temp"]
    every = store.reports.timecards(date(2026, 10, 1), date(2026, 10, 31), include_unenrolled=True)
    assert [c.person_id for c in every] == ["ann", "new", "refused", "temp"]
    assert {d.status for d in cards["new"][:13]} == {DayStatus.NOT_EMPLOYED}
    assert cards["new"][13].status is DayStatus.ABSENT  # the 14th
    assert [d.status for d in cards["temp"][3:10]] == [DayStatus.NOT_EMPLOYED] + [DayStatus.ABSENT] * 5 + [
        DayStatus.NOT_EMPLOYED]
    assert store.reports.timecards(date(2026, 10, 1), date(2026, 10, 1), "refused")[0].days[0].status is \
        DayStatus.NOT_EMPLOYED  # asked for by id, created later
    assert store.persons.get("temp").employment == Employment(date(2026, 10, 5), date(2026, 10, 9))
    assert [c.person_id for c in store.reports.timecards(date(2026, 10, 12), date(2026, 10, 31))] == ["ann", "new"]


def test_an_open_day_is_an_exception_not_a_short_day_and_clock_flags_reach_the_card(tmp_path):
    clock = ManualClock(berlin(2026, 10, 5, 8))
    tables = bind(open_database(tmp_path / "edge.db"))
    migrate(tables)
    store = AttendanceStore(tables, AttendanceRules(time_zone="Europe/Berlin"), clock,
                            TrustedTime(clock, synchronised=lambda: False))
    try:
        store.persons.upsert("ann", "Ann")
        store.log.record_scan("ann")
        clock.set(berlin(2026, 10, 5, 10))
        day = card(store, date(2026, 10, 5))
        assert (day.status, day.exceptions, day.is_in, day.paid_minutes) == (
            DayStatus.INCOMPLETE, (DayException.OPEN, DayException.CLOCK_UNSYNCED), True, 0)
        clock.set(berlin(2026, 10, 6, 1))
        assert card(store, date(2026, 10, 5)).exceptions == (DayException.MISSING_EXIT, DayException.CLOCK_UNSYNCED)
    finally:
        store.close()
    rows = [PunchRow("", 1, "ann", "ENTRY", 0, None, "", '[["CLOCK_BACKWARDS", "held"]]')]
    assert punches_by_person(rows)["ann"][0].clock == (AnomalyKind.CLOCK_BACKWARDS,)


def test_a_settings_change_also_holds_over_a_schedule_version_dated_later(site):
    store, clock = site
    settings = SettingsManager(store, Config(attendance=store.get_rules()))
    clock.set(berlin(2026, 11, 20, 12))
    store.set_schedule(Schedule(shifts=(DAY,), patterns=(OFFICE,), default_pattern="office"), "hr",
                       effective_from=date(2026, 12, 1))  # planned for December, with today's 60 min lunch
    settings.update({"lunch_minutes": 30}, actor="hr")
    history = store.schedules.history()
    assert [(d, history.pay_at(d).lunch_minutes) for d in (date(2026, 11, 19), date(2026, 11, 20), date(2026, 12, 1))] \
        == [(date(2026, 11, 19), 60), (date(2026, 11, 20), 30), (date(2026, 12, 1), 30)]
    assert history.at(date(2026, 12, 1)).default_pattern == "office"  # December keeps its planned schedule


def test_an_upgraded_node_keeps_its_stored_settings_as_the_pay_rules_of_the_past(tmp_path):
    """A node from before pay rules were kept, with lunch_minutes changed through UpdateConfig back then."""
    path, clock = tmp_path / "edge.db", ManualClock(berlin(2026, 11, 2, 12))
    tables = bind(open_database(path))
    migrate(tables)
    tables.setting.insert(key="runtime_config", value=json.dumps({"lunch_minutes": 45})).execute()
    tables.db.close()
    store = open_store(path, clock)  # the config file still says 60
    try:
        SettingsManager(store, Config(attendance=store.get_rules()))
        assert store.schedules.history().pay_at(date(2026, 1, 1)).lunch_minutes == 45
        assert store.schedules.all() == ()  # nothing changed: no version
    finally:
        store.close()


def test_a_settings_change_found_while_the_clock_runs_behind_does_not_reach_into_the_past(site):
    store, clock = site
    clock.set(berlin(2026, 11, 20, 12))
    store.set_schedule(Schedule(shifts=(DAY,), patterns=(OFFICE,), default_pattern="office"), "hr")
    clock.set(berlin(2020, 1, 1, 0, 5))  # a box without an RTC, booted offline
    version = store.set_rules(replace(store.get_rules(), lunch_minutes=15))
    assert version.effective_from == date(2026, 11, 20)
    assert store.schedules.history().pay_at(date(2026, 11, 19)).lunch_minutes == 60


def test_a_settings_change_refused_for_its_actor_changes_nothing(site):
    store, _ = site
    settings = SettingsManager(store, Config(attendance=store.get_rules()))
    with pytest.raises(InvalidArgument, match="actor"):
        settings.update({"lunch_minutes": 30}, actor=" ")
    assert (settings.current.rules.lunch_minutes, store.get_rules().lunch_minutes, store.schedules.all()) == (60, 60, ())
    assert store.load_setting("runtime_config") is None
    settings.update({"lunch_minutes": 30}, actor="hr")  # the log's chain still takes the next admin event
    assert verify_log(store.tables).ok
