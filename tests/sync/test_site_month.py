"""Issue #19 "Done when": a month computed by hand from docs/attendance-rules.md matches, to the minute for every
person and day, on both boxes of a site and on the hub's site timecards (PostgreSQL).

Europe/Berlin, October 2026, the month of tests/attendance/test_month_by_hand.py, now through a door with an
**entry box** and an **exit box** behind a real hub: every IN is scanned at the entry box, every OUT at the
exit box (real SQLite stores, the kiosk path `record_scan` on a manual clock, sync rounds run by the test).
- Dora, day shift 08:00-16:30 (break 30 min inside 12:00-14:00) Monday-Friday: a forgotten exit (the 7th), a
  lunch clocked out while the hub is unreachable (the 8th), overtime under an hour (the 9th), a double scan at
  the entry box (the 12th), an exit HR adds at the exit box (the 14th), an absence (the 20th).
- Nick, night shift 22:00-06:00 (break 30 min inside 00:00-04:00) Monday-Saturday: the night starting on German
  Unity Day (Saturday the 3rd, a holiday) and the DST night (24th to 25th, 9 real hours).
- Eve, the default shift of the settings (lunch 60 min inside 12:00-14:00, min 6 h) 09:00-15:00 Monday-Friday:
  the lunch setting changes to 30 min on both boxes on the 15th; on the 29th she waves at the exit kiosk at
  12:00 without leaving, and HR voids that punch.
- Finn, day shift, employed from the 19th (set on the entry box; the roster carries it): on the 27th the exit
  box records him at 16:45, and HR moves that punch to 16:30 (a moved time).
"""
from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Callable, Iterator

import pytest

from edge_node.attendance.decide import NO_EXIT_KNOWN_REASON
from edge_node.attendance.model import Employment, EventType
from edge_node.attendance.timecard import DayException, DayKind, DayStatus, totals
from edge_node.gen.edge.sync.v1 import sync_pb2 as pb
from tests.attendance.test_month_by_hand import (A, BERLIN, DORA_DAY, EVE_AFTER, EVE_BEFORE, HOLIDAY, HOLIDAY_OFF,
                                                 NICK_NIGHT, OFF, OFF_DAY, P, SCHEDULE, SUNDAYS, WEEKENDS, WORK,
                                                 berlin)
from tests.conftest import LiveNode, node_config
from tests.sync.conftest import HubProcess
from tests.sync.test_roster import sync_config
from tests.sync.test_site_presence import cards, punched, sync
from tools.manual_clock import ManualClock

FIRST, LAST = date(2026, 10, 1), date(2026, 10, 31)
ENTRY, EXIT = "entry", "exit"
OFFLINE_DAY = 8  # the hub is out of reach for the whole of the 8th

CORRECTED = (DayException.CORRECTED,)
# The ordinary rows, written out by hand with their arithmetic in tests/attendance/test_month_by_hand.py:
# (status, day kind, shift, worked, break clocked, break deducted, paid, overtime; minutes, exceptions).
# DORA_DAY: 08:00-16:30 = 510 worked, 30 deducted, 480 paid. NICK_NIGHT: 22:00-06:00 = 480, 30, 450 paid.
# EVE_BEFORE / EVE_AFTER: 09:00-15:00 = 360, lunch 60 / 30 deducted, 300 / 330 paid, HALF_DAY (under 6 h).
DAY_SHIFT, NIGHT_SHIFT = DORA_DAY, NICK_NIGHT


def scans() -> list[tuple[datetime, str, str]]:
    """(time, person, box) of every scan of the month."""
    out: list[tuple[datetime, str, str]] = []

    def pairs(pid: str, times: list[datetime]) -> None:  # IN at the entry box, OUT at the exit box
        out.extend((at, pid, ENTRY if i % 2 == 0 else EXIT) for i, at in enumerate(times))
    dora = {7: [berlin(7, 8)],                                                       # the exit is forgotten
            8: [berlin(8, 8), berlin(8, 12), berlin(8, 12, 40), berlin(8, 16, 30)],  # lunch clocked out, offline
            9: [berlin(9, 8), berlin(9, 17, 10)],                                    # 40 min over
            14: [berlin(14, 8)],                                                     # HR adds the exit later
            20: []}                                                                  # absent
    for d in range(1, 32):
        if d in WEEKENDS:
            continue
        if d == 12:  # a double scan at the entry box, 30 s after the first
            out.extend([(berlin(12, 8), "dora", ENTRY), (berlin(12, 8, 0, 30), "dora", ENTRY),
                        (berlin(12, 16, 30), "dora", EXIT)])
        else:
            pairs("dora", dora.get(d, [berlin(d, 8), berlin(d, 16, 30)]))
        if d == 29:  # Eve waves at the exit kiosk at noon and stays; HR voids that punch
            out.extend([(berlin(29, 9), "eve", ENTRY), (berlin(29, 12), "eve", EXIT), (berlin(29, 15), "eve", EXIT)])
        else:
            pairs("eve", [berlin(d, 9), berlin(d, 15)])
        if d >= 19:  # on the 27th the exit box records Finn at 16:45; HR moves the punch to 16:30
            pairs("finn", [berlin(d, 8), berlin(d, 16, 45 if d == 27 else 30)])
    for d in range(1, 32):
        if d in SUNDAYS:
            continue
        start = berlin(3, 21, 55) if d == 3 else berlin(d, 22)  # the night starting on the holiday
        end = berlin(4, 6, 5) if d == 3 else start + timedelta(hours=9 if d == 24 else 8)  # the DST night: 9 h
        pairs("nick", [start, end])
    return out


def box(tmp_path: Path, name: str, clock: ManualClock, hub: HubProcess) -> LiveNode:
    config = node_config(tmp_path / name, time_zone="Europe/Berlin", box_mode=name)
    return LiveNode(replace(config, sync=sync_config(hub, name),
                            recognition=replace(config.recognition, enabled=False)), clock)


@pytest.fixture
def door(hub: HubProcess, tmp_path: Path) -> Iterator[tuple[dict[str, LiveNode], ManualClock]]:
    clock = ManualClock(berlin(30, 12, month=9))
    boxes = {name: box(tmp_path, name, clock, hub) for name in (ENTRY, EXIT)}
    yield boxes, clock
    for live in boxes.values():
        live.stop()


def test_october_2026_through_an_entry_and_an_exit_box_matches_by_hand_on_both_boxes_and_the_hub(hub, door):
    boxes, clock = door
    entry, exit_ = boxes[ENTRY], boxes[EXIT]
    since_september = Employment(date(2026, 9, 1))
    for pid, name, employment in (("dora", "Dora", since_september), ("nick", "Nick", since_september),
                                  ("eve", "Eve", since_september), ("finn", "Finn", Employment(date(2026, 10, 19)))):
        entry.node.store.persons.upsert(pid, name, employment=employment)
    for live in boxes.values():
        live.node.store.set_schedule(SCHEDULE, "hr")  # the same schedule on both boxes of the door
    sync(entry, exit_, entry)  # the roster (with the employment periods) reaches the exit box

    recorded: dict[tuple[str, datetime], tuple[EventType, str, int]] = {}
    timeline: list[tuple[datetime, str, Callable[[], object]]] = []
    for at, pid, name in scans():
        def scan(pid: str = pid, at: datetime = at, name: str = name) -> None:
            event = boxes[name].node.store.log.record_scan(pid, 0.9, "door").event
            recorded[(pid, at)] = (event.event_type, event.reason, event.event_id)
            if at.astimezone(BERLIN).date() != date(2026, 10, OFFLINE_DAY):
                sync(boxes[name], boxes[EXIT if name == ENTRY else ENTRY])
        timeline.append((at, pid, scan))
    who_at_2: list[str] = []
    timeline.append((berlin(4, 2), "", lambda: who_at_2.extend(c.person_id for c, _ in
                                                              exit_.node.store.reports.who_is_in())))
    for name, live in boxes.items():  # both boxes take the new lunch setting (each makes a schedule version)
        timeline.append((berlin(15, 0, 30), name, lambda live=live: live.node.settings.update({"lunch_minutes": 30},
                                                                                              actor="hr")))
    corrections = exit_.node.store.corrections
    timeline.append((berlin(15, 9), "~", lambda: corrections.add_punch(
        "dora", berlin(14, 16, 30), "forgot to check out; confirmed by her manager", "hr")))
    timeline.append((berlin(28, 9), "~", lambda: corrections.move_punch(
        recorded[("finn", berlin(27, 16, 45))][2], "", "waited at the door for the fire drill to end", "hr",
        to_time=berlin(27, 16, 30))))
    timeline.append((berlin(30, 9), "~", lambda: corrections.void_punch(
        recorded[("eve", berlin(29, 12))][2], "waved at the kiosk on her way to lunch, did not leave", "hr")))
    for at, _, action in sorted(timeline, key=lambda item: (item[0], item[1])):
        clock.set(at)
        action()
    clock.set(berlin(2, 12, month=11))
    sync(entry, exit_, entry)

    # The exit box knew from the hub that Nick came in at the entry box: his 06:05 scan is an exit, and at 02:00
    # the exit box showed him in.
    assert who_at_2 == ["nick"]
    assert recorded[("nick", berlin(4, 6, 5))][:2] == (EventType.EXIT, "")
    # Offline on the 8th, the entry box had not heard of the 12:00 exit: it still records Dora's 12:40 entry.
    assert recorded[("dora", berlin(8, 12, 40))][:2] == (EventType.ENTRY, NO_EXIT_KNOWN_REASON)
    assert recorded[("dora", berlin(12, 8, 0, 30))][0] is EventType.DUPLICATE  # within the cooldown

    expected = {
        "dora": {**{d: (OFF if d in WEEKENDS else DAY_SHIFT) for d in range(1, 32)},
                 3: HOLIDAY_OFF,
                 # IN 08:00 and nothing after: no pair, nothing paid; the row says why.
                 7: (DayStatus.INCOMPLETE, WORK, "day", 0, 0, 0, 0, 0, (DayException.MISSING_EXIT,)),
                 # 08:00-12:00 + 12:40-16:30 = 240 + 230 = 470; the 40 min clocked out cover the 30 min break.
                 8: (P, WORK, "day", 470, 40, 0, 470, 0, ()),
                 # 08:00-17:10 = 550; less 30 = 520 paid, 40 over the shift's 480.
                 9: (P, WORK, "day", 550, 0, 30, 520, 40, ()),
                 # 08:00 + the added 16:30: a normal day, marked corrected.
                 14: (*DAY_SHIFT[:-1], CORRECTED),
                 20: (A, WORK, "day", 0, 0, 0, 0, 0, ())},
        "nick": {**{d: (OFF if d in SUNDAYS else NIGHT_SHIFT) for d in range(1, 32)},
                 # 21:55-06:05 = 490; less 30 = 460 paid (7.67 h) on the holiday: no scheduled time, no overtime.
                 3: (P, DayKind.HOLIDAY_WORK, "night", 490, 0, 30, 460, 0, ()),
                 # 22:00 CEST - 06:00 CET = 9 real hours = 540; less 30 = 510 = the shift's 540 - 30 that night.
                 24: (P, WORK, "night", 540, 0, 30, 510, 0, ())},
        "eve": {**{d: (OFF if d in WEEKENDS else EVE_BEFORE if d < 15 else EVE_AFTER) for d in range(1, 32)},
                3: HOLIDAY_OFF,
                # 09:00, 12:00 (voided), 15:00: 09:00-15:00 as any day after the 15th, marked corrected.
                29: (*EVE_AFTER[:-1], CORRECTED)},
        "finn": {**{d: (DayStatus.NOT_EMPLOYED, OFF_DAY if d in WEEKENDS else WORK, "", 0, 0, 0, 0, 0, ())
                    for d in range(1, 19)},
                 3: (DayStatus.NOT_EMPLOYED, HOLIDAY, "", 0, 0, 0, 0, 0, ()),
                 **{d: (OFF if d in WEEKENDS else DAY_SHIFT) for d in range(19, 32)},
                 # 08:00 and the exit moved from 16:45 to 16:30: 510 worked, 480 paid, no overtime, corrected.
                 27: (*DAY_SHIFT[:-1], CORRECTED)},
    }
    for live in boxes.values():
        timecards = {c.person_id: c.days for c in live.node.store.reports.timecards(FIRST, LAST)}
        assert sorted(timecards) == ["dora", "eve", "finn", "nick"]
        for pid, rows in expected.items():
            assert {c.day.day: (c.status, c.day_kind, c.shift, c.worked_minutes, c.break_minutes,
                                c.break_deducted_minutes, c.paid_minutes, c.overtime_minutes, c.exceptions)
                    for c in timecards[pid]} == rows, pid
        # Totals, by hand: Dora 17 normal days x 480 + 470 + 520 + 480 = 9630 min = 160.50 h, 40 min overtime;
        # Nick 25 nights x 450 + 460 + 510 = 12220 min = 203.67 h; Eve 10 x 300 + 12 x 330 = 6960 min =
        # 116.00 h; Finn 10 x 480 = 4800 min = 80.00 h.
        assert {pid: (t["paid_minutes"], t["paid_hours"], t["overtime_minutes"])
                for pid, t in ((pid, totals(days)) for pid, days in timecards.items())} == {
            "dora": (9630, 160.5, 40), "nick": (12220, 203.67, 0), "eve": (6960, 116.0, 0), "finn": (4800, 80.0, 0)}

    # The hub, from the boxes' punches, schedule versions, pay rules and roster alone (no time zone given):
    site = hub.stub.GetTimecards(pb.GetTimecardsRequest(from_date=FIRST.isoformat(), to_date=LAST.isoformat()),
                                 metadata=hub.auth)
    assert (site.time_zone, list(site.schedule_conflicts), site.log_verification.ok) == ("Europe/Berlin", [], True)
    assert punched(list(site.timecards)) == punched(cards(entry, FIRST, LAST)) == punched(cards(exit_, FIRST, LAST))
    assert {c.person_id: c.totals.paid_minutes for c in site.timecards} == {
        "dora": 9630, "eve": 6960, "finn": 4800, "nick": 12220}
    holiday = hub.stub.GetDailyReport(pb.GetDailyReportRequest(date="2026-10-03"), metadata=hub.auth)
    assert [(s.person_id, s.entry_count, s.exit_count, list(s.node_ids), s.day.paid_minutes)
            for s in holiday.summaries] == [("nick", 1, 1, ["entry", "exit"], 460)]
