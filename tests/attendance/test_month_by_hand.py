"""A month on one node computed by hand from docs/attendance-rules.md: Europe/Berlin, October 2026.

Four people on the node's real SQLite store, every scan replayed in time order through the kiosk path
(`record_scan`) on a manual clock, then `Reports.timecards` for the month:
- Dora, day shift 08:00-16:30 (break 30 min inside 12:00-14:00) Monday-Friday: a forgotten exit (the 7th), a
  lunch clocked out (the 8th), overtime under an hour (the 9th), a double scan (the 12th), an exit HR added
  (the 14th), an absence (the 20th).
- Nick, night shift 22:00-06:00 (break 30 min inside 00:00-04:00) Monday-Saturday: the night that starts on
  German Unity Day (Saturday the 3rd, a holiday) and the DST night (24th to 25th, 9 real hours).
- Eve, the default shift of the settings (06:00-22:00, 60 min lunch inside 12:00-14:00) Monday-Friday,
  09:00-15:00 every day: the lunch setting changes to 30 min on the 15th.
- Finn, day shift, employed from the 19th.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Callable

from edge_node.attendance.model import Employment, EventType
from edge_node.attendance.rules import AttendanceRules
from edge_node.attendance.schedule import Schedule, WeeklyPattern
from edge_node.attendance.store import AttendanceStore
from edge_node.attendance.timecard import DayException, DayKind, DayStatus, totals
from edge_node.attendance.verify import verify_log
from edge_node.config import Config
from edge_node.settings import SettingsManager
from tests.attendance.site_shifts import BERLIN, DAY, NIGHT
from tools.manual_clock import ManualClock

SCHEDULE = Schedule(
    shifts=(DAY, NIGHT),
    patterns=(WeeklyPattern("office", ("day",) * 5 + ("", "")), WeeklyPattern("nights", ("night",) * 6 + ("",)),
              WeeklyPattern("settings", ("default",) * 5 + ("", ""))),
    default_pattern="office", person_patterns={"nick": "nights", "eve": "settings"},
    holidays=frozenset({date(2026, 10, 3)}))

P, H, A, O = DayStatus.PRESENT, DayStatus.HALF_DAY, DayStatus.ABSENT, DayStatus.OFF
WORK, OFF_DAY, HOLIDAY = DayKind.WORKDAY, DayKind.DAY_OFF, DayKind.HOLIDAY
# (status, day kind, shift, worked, break clocked, break deducted, paid, overtime minutes, exceptions)
OFF = (O, OFF_DAY, "", 0, 0, 0, 0, 0, ())
HOLIDAY_OFF = (DayStatus.HOLIDAY, HOLIDAY, "", 0, 0, 0, 0, 0, ())
# 08:00-16:30 = 510 min clocked in; 30 min break deducted (worked inside 12:00-14:00); 480 paid = the shift's 480.
DORA_DAY = (P, WORK, "day", 510, 0, 30, 480, 0, ())
# 22:00-06:00 = 480 min; 30 min break deducted (inside 00:00-04:00); 450 paid = the shift's 450.
NICK_NIGHT = (P, WORK, "night", 480, 0, 30, 450, 0, ())
# 09:00-15:00 = 360 min; 120 of them inside 12:00-14:00, so the whole lunch is deducted: 60 min until the
# 14th (300 paid), 30 min from the 15th (330 paid). Under the 6 h of min_hours_full_day: HALF_DAY.
EVE_BEFORE = (H, WORK, "default", 360, 0, 60, 300, 0, ())
EVE_AFTER = (H, WORK, "default", 360, 0, 30, 330, 0, ())
NOT_EMPLOYED_WORKDAY = (DayStatus.NOT_EMPLOYED, WORK, "", 0, 0, 0, 0, 0, ())
NOT_EMPLOYED_OFF = (DayStatus.NOT_EMPLOYED, OFF_DAY, "", 0, 0, 0, 0, 0, ())
NOT_EMPLOYED_HOLIDAY = (DayStatus.NOT_EMPLOYED, HOLIDAY, "", 0, 0, 0, 0, 0, ())

WEEKENDS = {3, 4, 10, 11, 17, 18, 24, 25, 31}
SUNDAYS = {4, 11, 18, 25}


def berlin(day: int, hour: int, minute: int = 0, second: int = 0, month: int = 10) -> datetime:
    return datetime(2026, month, day, hour, minute, second, tzinfo=BERLIN).astimezone(timezone.utc)


def dora_scans() -> list[datetime]:
    special = {7: [berlin(7, 8)],                                                # the exit is forgotten
               8: [berlin(8, 8), berlin(8, 12), berlin(8, 12, 40), berlin(8, 16, 30)],  # lunch clocked out
               9: [berlin(9, 8), berlin(9, 17, 10)],                             # 40 min over
               12: [berlin(12, 8), berlin(12, 8, 0, 30), berlin(12, 16, 30)],    # a double scan at the door
               14: [berlin(14, 8)],                                              # HR adds the exit later
               20: []}                                                           # absent
    return [t for d in range(1, 32) if d not in WEEKENDS
            for t in special.get(d, [berlin(d, 8), berlin(d, 16, 30)])]


def nick_scans() -> list[datetime]:
    special = {3: [berlin(3, 21, 55), berlin(4, 6, 5)]}  # the night starting on the holiday
    return [t for d in range(1, 32) if d not in SUNDAYS
            for t in special.get(d, [berlin(d, 22), berlin(d, 22) + timedelta(hours=8 if d != 24 else 9)])]


def test_october_2026_on_one_node_matches_the_hand_computed_month(tmp_path: Path):
    clock = ManualClock(berlin(30, 12, month=9))
    rules = AttendanceRules(time_zone="Europe/Berlin")
    store = AttendanceStore.open(tmp_path / "edge.db", rules, clock)
    settings = SettingsManager(store, Config(attendance=rules))
    try:
        since_september = Employment(date(2026, 9, 1))
        for pid, name, employment in (("dora", "Dora", since_september), ("nick", "Nick", since_september),
                                      ("eve", "Eve", since_september), ("finn", "Finn", Employment(date(2026, 10, 19)))):
            store.persons.upsert(pid, name, employment=employment)
        store.set_schedule(SCHEDULE, "hr")

        seen: dict[tuple[str, datetime], EventType] = {}
        timeline: list[tuple[datetime, str, Callable[[], object]]] = []
        scans = {"dora": dora_scans(), "nick": nick_scans(),
                 "eve": [t for d in range(1, 32) if d not in WEEKENDS for t in (berlin(d, 9), berlin(d, 15))],
                 "finn": [t for d in range(19, 32) if d not in WEEKENDS for t in (berlin(d, 8), berlin(d, 16, 30))]}
        for pid, times in scans.items():
            for at in times:
                timeline.append((at, pid, lambda pid=pid, at=at: seen.__setitem__(
                    (pid, at), store.log.record_scan(pid).event.event_type)))
        who_at_2 = []
        timeline.append((berlin(4, 2), "", lambda: who_at_2.extend(c.person_id for c, _ in store.reports.who_is_in())))
        timeline.append((berlin(15, 0, 30), "", lambda: settings.update({"lunch_minutes": 30}, actor="hr")))
        for at, _, action in sorted(timeline, key=lambda item: (item[0], item[1])):
            clock.set(at)
            action()
        clock.set(berlin(15, 9))
        store.corrections.add_punch("dora", berlin(14, 16, 30), "forgot to check out; confirmed by her manager", "hr")
        clock.set(berlin(2, 12, month=11))

        assert who_at_2 == ["nick"]  # at 02:00 after the holiday evening, Nick is in
        assert (seen[("nick", berlin(3, 21, 55))], seen[("nick", berlin(4, 6, 5))]) == (EventType.ENTRY, EventType.EXIT)
        assert seen[("dora", berlin(12, 8, 0, 30))] is EventType.DUPLICATE

        cards = {c.person_id: c.days for c in store.reports.timecards(date(2026, 10, 1), date(2026, 10, 31))}
        assert sorted(cards) == ["dora", "eve", "finn", "nick"]

        def rows(pid: str) -> dict[int, tuple]:
            return {c.day.day: (c.status, c.day_kind, c.shift, c.worked_minutes, c.break_minutes,
                                c.break_deducted_minutes, c.paid_minutes, c.overtime_minutes, c.exceptions)
                    for c in cards[pid]}

        dora = {d: (OFF if d in WEEKENDS else DORA_DAY) for d in range(1, 32)}
        dora.update({
            3: HOLIDAY_OFF,
            # IN 08:00 and nothing after: no pair, nothing paid; the row says why.
            7: (DayStatus.INCOMPLETE, WORK, "day", 0, 0, 0, 0, 0, (DayException.MISSING_EXIT,)),
            # 08:00-12:00 + 12:40-16:30 = 240 + 230 = 470; the 40 min clocked out cover the 30 min break.
            8: (P, WORK, "day", 470, 40, 0, 470, 0, ()),
            # 08:00-17:10 = 550; less 30 = 520 paid, 40 over the shift's 480.
            9: (P, WORK, "day", 550, 0, 30, 520, 40, ()),
            # 08:00 + the added 16:30: a normal day, marked corrected.
            14: (P, WORK, "day", 510, 0, 30, 480, 0, (DayException.CORRECTED,)),
            20: (A, WORK, "day", 0, 0, 0, 0, 0, ()),
        })
        assert rows("dora") == dora

        nick = {d: (OFF if d in SUNDAYS else NICK_NIGHT) for d in range(1, 32)}
        nick.update({
            # 21:55-06:05 = 490; less 30 = 460 paid (7.67 h) on the holiday: no scheduled time, no overtime.
            3: (P, DayKind.HOLIDAY_WORK, "night", 490, 0, 30, 460, 0, ()),
            # 22:00 CEST - 06:00 CET = 9 real hours = 540; less 30 = 510 paid = the shift's 540 - 30 that night.
            24: (P, WORK, "night", 540, 0, 30, 510, 0, ()),
        })
        assert rows("nick") == nick

        eve = {d: (OFF if d in WEEKENDS else EVE_BEFORE if d < 15 else EVE_AFTER) for d in range(1, 32)}
        eve[3] = HOLIDAY_OFF
        assert rows("eve") == eve

        finn = {d: (NOT_EMPLOYED_OFF if d in WEEKENDS else NOT_EMPLOYED_WORKDAY) for d in range(1, 19)}
        finn[3] = NOT_EMPLOYED_HOLIDAY
        finn.update({d: (OFF if d in WEEKENDS else DORA_DAY) for d in range(19, 32)})
        assert rows("finn") == finn

        # Totals, by hand: Dora 17 normal days x 480 + 470 + 520 + 480 = 9630 min = 160.50 h, 40 min overtime;
        # Nick 25 nights x 450 + 460 + 510 = 12220 min = 203.67 h (the rows' 25 x 7.50 + 7.67 + 8.50);
        # Eve 10 x 300 + 12 x 330 = 6960 min = 116.00 h; Finn 10 x 480 = 4800 min = 80.00 h.
        summed = {pid: totals(days) for pid, days in cards.items()}
        assert {pid: (t["paid_minutes"], t["paid_hours"], t["overtime_minutes"], t["break_deducted_minutes"])
                for pid, t in summed.items()} == {"dora": (9630, 160.5, 40, 570), "nick": (12220, 203.67, 0, 810),
                                                  "eve": (6960, 116.0, 0, 960), "finn": (4800, 80.0, 0, 300)}
        assert (summed["dora"]["present_days"], summed["dora"]["absent_days"], summed["dora"]["incomplete_days"],
                summed["eve"]["half_days"]) == (20, 1, 1, 22)
        version = store.schedules.all()[-1]
        assert (version.effective_from, version.schedule.shifts, version.schedule.pay.lunch_minutes) == (
            date(2026, 10, 15), SCHEDULE.shifts, 30)  # the settings change kept the schedule in force
        assert verify_log(store.tables).ok
    finally:
        store.close()
