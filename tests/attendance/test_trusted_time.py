"""Trusted time that recovers: a floor ahead of the wall clock releases once the wall clock passes it, a
correction's chosen time is never a floor, and punches before NTP syncs carry CLOCK_UNSYNCED on the stored
event (real SQLite store; simulated wall and monotonic clocks)."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Iterator

import pytest

from edge_node.attendance.log import EventFilter
from edge_node.attendance.model import AnomalyKind, EventType
from edge_node.attendance.rules import AttendanceRules
from edge_node.attendance.store import AttendanceStore
from edge_node.attendance.timecard import DayException
from edge_node.attendance.trusted_time import SYNC_PROBE_SECONDS, TrustedTime
from edge_node.storage.migrations import migrate
from edge_node.storage.schema import bind, open_database
from tools.manual_clock import ManualClock

MONDAY_8 = datetime(2026, 11, 23, 8, 0, tzinfo=timezone.utc)


class SimulatedTime:
    """A wall clock and a monotonic clock that move together unless the wall clock is stepped."""

    def __init__(self, start: datetime) -> None:
        self.wall = ManualClock(start)
        self.mono = 1000.0
        self.synced: bool | None = True

    def monotonic(self) -> float:
        return self.mono

    def advance(self, seconds: float) -> None:
        self.wall.advance(seconds)
        self.mono += seconds

    def step_wall(self, to: datetime) -> None:
        """What NTP or a restart without RTC does: the wall clock jumps, the monotonic clock does not."""
        self.wall.set(to)


def open_store(path: Path, sim: SimulatedTime) -> AttendanceStore:
    tables = bind(open_database(path))
    migrate(tables)
    return AttendanceStore(tables, AttendanceRules(time_zone="UTC"), sim.wall,
                           TrustedTime(sim.wall, sim.monotonic, synchronised=lambda: sim.synced))


@pytest.fixture
def sim() -> SimulatedTime:
    return SimulatedTime(MONDAY_8)


@pytest.fixture
def store(tmp_path: Path, sim: SimulatedTime) -> Iterator[AttendanceStore]:
    store = open_store(tmp_path / "edge.db", sim)
    for pid in ("ann", "bob"):
        store.persons.upsert(pid, pid.title())
    yield store
    store.close()


CLOCK_KINDS = (AnomalyKind.CLOCK_BACKWARDS, AnomalyKind.CLOCK_UNSYNCED)


def kinds(event) -> list[AnomalyKind]:
    """The clock flags of an event (the attendance rules may add others, such as EXCESSIVE_SCANS)."""
    return [a.kind for a in event.anomalies if a.kind in CLOCK_KINDS]


def test_a_missed_punch_added_minutes_ahead_never_moves_the_floor_for_live_scans(store, sim):
    store.log.record_scan("ann")
    store.corrections.add_punch("bob", MONDAY_8 + timedelta(minutes=4), "left by the side door", "hr-admin")
    sim.advance(30)
    scan = store.log.record_scan("ann").event
    assert (scan.occurred_at, kinds(scan)) == (MONDAY_8 + timedelta(seconds=30), [])
    # A day and a half of scans later (the reported 33 h), still the wall clock and no flag.
    for _ in range(33):
        sim.advance(3600)
        scan = store.log.record_scan("ann").event
        assert (scan.occurred_at, kinds(scan)) == (sim.wall.now(), [])
    assert store.trusted_time.state().held_since is None


def test_a_floor_ahead_of_the_wall_clock_holds_only_until_the_wall_clock_passes_it(store, sim):
    store.log.record_scan("ann")  # stamped 08:00:00 by a clock that ran 3 minutes fast
    sim.step_wall(MONDAY_8 - timedelta(minutes=3) + timedelta(seconds=10))  # NTP steps it back
    sim.mono += 10
    held = store.log.record_scan("bob").event
    assert held.occurred_at == MONDAY_8 and kinds(held) == [AnomalyKind.CLOCK_BACKWARDS]
    sim.advance(60)
    later = store.log.record_scan("bob").event
    assert later.occurred_at == MONDAY_8 + timedelta(seconds=60)  # continues on the monotonic clock
    assert kinds(later) == [AnomalyKind.CLOCK_BACKWARDS]
    assert store.trusted_time.state().behind_seconds == pytest.approx(170)
    sim.advance(180)  # the wall clock (08:01:10) is now past the last stored event (08:01:00)
    released = store.log.record_scan("bob").event
    assert (released.occurred_at, kinds(released)) == (sim.wall.now(), [])
    assert store.trusted_time.state() == store.trusted_time.state().__class__(True, None, 0.0)
    card = store.reports.timecards(MONDAY_8.date(), MONDAY_8.date(), "bob")[0].days[0]
    assert DayException.CLOCK_BACKWARDS in card.exceptions


def test_held_times_keep_their_order_and_release_at_the_first_pause_longer_than_the_lag(store, sim):
    first = store.log.record_scan("ann").event
    sim.step_wall(MONDAY_8 - timedelta(minutes=2))
    stamps = [first.occurred_at]
    for _ in range(10):  # a scan every 20 s: each held scan is the newest event, so the hold goes on
        sim.advance(20)
        stamps.append(store.log.record_scan("bob").event.occurred_at)
    assert stamps == sorted(stamps)
    assert stamps[-1] - stamps[1] == timedelta(seconds=180)  # real elapsed time between held scans
    sim.advance(125)  # a pause longer than the 2 minutes' lag: the wall clock passes the newest event
    after = store.log.record_scan("ann").event
    assert (after.occurred_at, kinds(after)) == (sim.wall.now(), [])
    assert after.occurred_at > stamps[-1]


def test_punches_after_an_offline_reboot_carry_clock_unsynced_until_ntp_syncs(tmp_path, sim):
    store = open_store(tmp_path / "edge.db", sim)
    store.persons.upsert("ann", "Ann")
    store.log.record_scan("ann")
    store.close()
    # Power cut overnight; the box boots offline with fake-hwclock's time of the shutdown (yesterday evening
    # by the real clock, but still after the last event, so no CLOCK_BACKWARDS) and NTP not synced.
    sim.step_wall(MONDAY_8 + timedelta(hours=1))
    sim.mono = 5.0
    sim.synced = False
    store = open_store(tmp_path / "edge.db", sim)
    try:
        unsynced = store.log.record_scan("ann").event
        assert kinds(unsynced) == [AnomalyKind.CLOCK_UNSYNCED]
        stored, _ = store.log.list(EventFilter(person_id="ann"))
        assert kinds(stored[0]) == [AnomalyKind.CLOCK_UNSYNCED]  # kept on the punch itself, for the timecard
        assert stored[0].event_type is EventType.EXIT
        sim.synced = True
        sim.advance(SYNC_PROBE_SECONDS)
        synced = store.log.record_scan("ann").event
        assert kinds(synced) == []
        card = store.reports.timecards(MONDAY_8.date(), MONDAY_8.date(), "ann")[0].days[0]
        assert DayException.CLOCK_UNSYNCED in card.exceptions  # the payroll row shows it
        assert DayException.CLOCK_BACKWARDS not in card.exceptions
    finally:
        store.close()
