"""Presence across a site: an entry box and an exit box behind a hub decide IN/OUT from the site's punches,
learn each other's punches (and corrections) from the hub, and compute the same timecards as the hub."""
from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Iterator

import grpc
import pytest
from google.protobuf.timestamp_pb2 import Timestamp

from edge_node.attendance.decide import NO_ENTRY_KNOWN_REASON, NO_EXIT_KNOWN_REASON
from edge_node.attendance.log import EventFilter
from edge_node.attendance.model import EventType
from edge_node.attendance.verify import verify_log
from edge_node.storage.timestamps import to_us
from edge_node.sync.state import SITE_PUNCH_CURSOR, SyncState
from edge_node.gen.edge.attendance.v1 import attendance_pb2 as apb
from edge_node.gen.edge.sync.v1 import sync_pb2 as pb
from edge_node.gen.edge.sync.v1 import sync_pb2_grpc as pb_grpc
from edge_node.wire.timecards import timecard_to_pb
from tests.conftest import LiveNode, node_config
from tests.sync.conftest import HubProcess
from tests.sync.test_protocol import event, push, status_of
from tests.sync.test_roster import sync_config
from tools.manual_clock import ManualClock

DAY = date(2026, 11, 23)


def utc(hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, 23, hour, minute, tzinfo=timezone.utc)


def box(tmp_path: Path, name: str, mode: str, clock: ManualClock, hub: HubProcess,
        site_nodes: tuple[str, ...] = ()) -> LiveNode:
    """A node in `mode` syncing with the hub only when the test runs a round (no background thread)."""
    config = node_config(tmp_path / name, box_mode=mode)
    return LiveNode(replace(config, sync=replace(sync_config(hub, name), site_nodes=site_nodes),
                            recognition=replace(config.recognition, enabled=False)), clock)


@pytest.fixture
def site(hub: HubProcess, tmp_path: Path) -> Iterator[tuple[LiveNode, LiveNode, ManualClock]]:
    clock = ManualClock(utc(7, 55))
    entry, exit_ = box(tmp_path, "entry", "entry", clock, hub), box(tmp_path, "exit", "exit", clock, hub)
    for name in ("ann", "bob"):
        entry.node.store.persons.upsert(name, name.title())
    sync(entry, exit_)  # the roster reaches the exit box
    yield entry, exit_, clock
    entry.stop()
    exit_.stop()


def sync(*boxes: LiveNode) -> None:
    """One full sync of each box in turn (until nothing is left to send or learn)."""
    for live in boxes:
        while live.node.sync.sync_round():
            pass


def scan(live: LiveNode, clock: ManualClock, person_id: str, at: datetime):
    clock.set(at)
    return live.node.store.log.record_scan(person_id, 0.9, "door").event


def cards(live: LiveNode, first: date = DAY, last: date = DAY) -> list[apb.Timecard]:
    return [timecard_to_pb(c.person_id, c.person_name, c.days) for c in live.node.store.reports.timecards(first, last)]


def hub_cards(hub: HubProcess) -> list[apb.Timecard]:
    return list(hub.stub.GetTimecards(pb.GetTimecardsRequest(from_date=DAY.isoformat(), to_date=DAY.isoformat(),
                                                             time_zone="UTC"), metadata=hub.auth).timecards)


def punched(timecards: list[apb.Timecard]) -> list[apb.Timecard]:
    """The cards of those who punched (a box adds its absent persons; the hub knows only who punched), without
    the sources (cameras on a box, boxes on the hub): everything else must be equal."""
    kept = [c for c in timecards if any(d.punches for d in c.days)]
    for card in kept:
        for day in card.days:
            del day.sources[:]
    return kept


def test_entry_and_exit_boxes_share_presence_through_the_hub(hub, site):
    entry, exit_, clock = site
    assert scan(entry, clock, "ann", utc(7)).event_type is EventType.ENTRY
    sync(entry, exit_)
    [(card, day)] = exit_.node.store.reports.who_is_in()  # the exit box knows Ann came in at the entry box
    assert (card.person_id, day.first_in) == ("ann", utc(7))

    left = scan(exit_, clock, "ann", utc(8))
    assert (left.event_type, left.reason) == (EventType.EXIT, "")
    sync(exit_, entry)
    assert entry.node.store.reports.who_is_in() == []  # ... and the entry box that she left
    assert scan(entry, clock, "ann", utc(8, 30)).event_type is EventType.ENTRY
    assert scan(entry, clock, "ann", utc(8, 30) + timedelta(seconds=20)).event_type is EventType.DUPLICATE  # cooldown

    # The hub is out of reach now: each box records its door's direction with what it knows.
    offline_exit = scan(exit_, clock, "ann", utc(9, 45))  # has not heard of the 08:30 entry
    assert (offline_exit.event_type, offline_exit.reason) == (EventType.EXIT, NO_ENTRY_KNOWN_REASON)
    offline_entry = scan(entry, clock, "ann", utc(10, 15))  # has not heard of the 09:45 exit
    assert (offline_entry.event_type, offline_entry.reason) == (EventType.ENTRY, NO_EXIT_KNOWN_REASON)
    assert scan(exit_, clock, "ann", utc(11, 30)).event_type is EventType.EXIT

    sync(entry, exit_, entry)
    # 07:00-08:00 + 08:30-09:45 + 10:15-11:30 = 1 h + 1.25 h + 1.25 h, paired by time across both boxes
    expected = (6, utc(7), utc(11, 30), 3.5)
    for timecards in (cards(entry), cards(exit_), hub_cards(hub)):
        ann = next(c for c in timecards if c.person_id == "ann").days[0]
        assert (ann.punches, ann.first_in.ToDatetime(timezone.utc), ann.last_out.ToDatetime(timezone.utc),
                ann.worked_hours) == expected
    assert punched(cards(entry)) == punched(cards(exit_)) == punched(hub_cards(hub))
    assert entry.node.store.reports.who_is_in() == exit_.node.store.reports.who_is_in() == []

    # The other box's punches are not this box's events: not in its log, its chain or what it sends the hub.
    for live, own in ((entry, 4), (exit_, 3)):
        types = [e.event_type for e in live.node.store.log.list(EventFilter())[0]]
        assert sum(t in (EventType.ENTRY, EventType.EXIT, EventType.DUPLICATE) for t in types) == own
        assert verify_log(live.node.store.tables).ok
    assert hub.sql("SELECT node_id, count(*) FROM hub_event WHERE person_id = 'ann' GROUP BY node_id ORDER BY 1") == [
        ("entry", 4), ("exit", 3)]


def test_a_correction_at_one_box_reaches_the_other_and_the_hub(hub, site):
    entry, exit_, clock = site
    scan(entry, clock, "bob", utc(8, 5))
    sync(entry, exit_)
    mistaken = scan(exit_, clock, "bob", utc(8, 30))  # he waved at the exit kiosk on his way to the canteen
    assert mistaken.event_type is EventType.EXIT
    clock.set(utc(9))
    exit_.node.store.corrections.void_punch(mistaken.event_id, "waved at the kiosk, did not leave", "hr")
    sync(exit_, entry)
    assert [c.person_id for c, _ in entry.node.store.reports.who_is_in()] == ["bob"]  # the void reached the entry box
    assert scan(exit_, clock, "bob", utc(11)).event_type is EventType.EXIT
    sync(exit_, entry)
    for timecards in (cards(entry), cards(exit_), hub_cards(hub)):
        bob = next(c for c in timecards if c.person_id == "bob").days[0]
        assert (bob.punches, bob.corrections, round(bob.worked_hours * 60)) == (2, 1, 175)  # 08:05-11:00 = 2 h 55 min
    report = hub.stub.GetDailyReport(pb.GetDailyReportRequest(date=DAY.isoformat(), time_zone="UTC"), metadata=hub.auth)
    [summary] = report.summaries  # the voided scan is gone from the daily report too
    assert (summary.person_id, summary.entry_count, summary.exit_count, list(summary.node_ids)) == (
        "bob", 1, 1, ["entry", "exit"])
    assert summary.day == hub_cards(hub)[0].days[0]


def pull(hub: HubProcess, node_id: str, token: str, since: int = 0, size: int = 0,
         boxes: tuple[str, ...] = ()) -> pb.PullSitePunchesResponse:
    stub = pb_grpc.SyncServiceStub(hub.channel)
    return stub.PullSitePunches(pb.PullSitePunchesRequest(node_id=node_id, since_cursor=since, page_size=size,
                                                          from_node_ids=list(boxes)),
                                metadata=(("authorization", f"Bearer {token}"),), timeout=10)


def test_pull_site_punches_pages_the_other_boxes_punches_after_a_cursor(hub):
    tokens = {n: hub.add_node(n) for n in ("a", "b", "c")}
    unsynced = apb.Anomaly(kind=apb.ANOMALY_KIND_CLOCK_UNSYNCED, reason="no NTP since boot")
    push(hub, "a", tokens["a"], 0, [event(1), event(2, event_type=apb.EVENT_TYPE_UNKNOWN_FACE),
                                    event(3, anomalies=[unsynced])])
    push(hub, "b", tokens["b"], 0, [event(1, person_id="p2"), event(2, event_type=apb.EVENT_TYPE_PUNCH_VOIDED, ref_seq=1)])
    push(hub, "c", tokens["c"], 0, [event(1, person_id="p3")])

    first = pull(hub, "c", tokens["c"], size=2)  # never its own punches, never non-punches (UNKNOWN_FACE)
    assert [(p.node_id, p.seq) for p in first.punches] == [("a", 1), ("a", 3)] and first.more
    rest = pull(hub, "c", tokens["c"], since=first.punches[-1].cursor)
    assert [(p.node_id, p.seq, p.ref_seq) for p in rest.punches] == [("b", 1, 0), ("b", 2, 1)] and not rest.more
    assert rest.punches[1].event_type == apb.EVENT_TYPE_PUNCH_VOIDED
    assert first.punches[0].occurred_at == Timestamp(seconds=1_790_000_001)
    assert list(first.punches[1].anomalies) == [unsynced]  # the box's flags travel with its punches
    assert [(p.node_id, p.seq) for p in pull(hub, "a", tokens["a"], boxes=("c",)).punches] == [("c", 1)]
    assert not pull(hub, "c", tokens["c"], since=rest.punches[-1].cursor).punches

    code, details = status_of(lambda: pull(hub, "c", tokens["c"], size=5001))
    assert code is grpc.StatusCode.INVALID_ARGUMENT and "page_size" in details
    code, details = status_of(lambda: pull(hub, "c", tokens["c"], boxes=("no such box!",)))
    assert code is grpc.StatusCode.INVALID_ARGUMENT and "node_id" in details
    code, _ = status_of(lambda: pull(hub, "c", tokens["a"]))
    assert code is grpc.StatusCode.UNAUTHENTICATED


def test_a_pulled_page_is_stored_once_with_its_cursor_and_forgotten_after_retention(hub, site):
    entry, exit_, clock = site
    scan(entry, clock, "ann", utc(8))
    sync(entry)
    worker = exit_.node.sync
    page = pull(hub, "exit", exit_.config.sync.token)
    assert worker.site_punches.apply(page.punches) == 1
    assert worker.site_punches.apply(page.punches) == 0  # the same page again (a crash before the cursor moved)
    assert worker.site_punches.cursor == page.punches[-1].cursor
    rows = exit_.node.store.tables.db.execute_sql("SELECT node_id, seq, person_id, event_type, anomalies FROM site_punch")
    assert rows.fetchall() == [("entry", 1, "ann", "ENTRY", "")]
    assert worker.site_punches.prune(to_us(utc(8))) == 0 and worker.site_punches.prune(to_us(utc(8, 1))) == 1


def test_a_box_learns_only_the_boxes_of_its_site(hub, tmp_path):
    clock = ManualClock(utc(7, 55))
    boxes = [box(tmp_path, "entry", "entry", clock, hub), box(tmp_path, "other-site", "both", clock, hub),
             box(tmp_path, "exit", "exit", clock, hub, site_nodes=("entry",))]
    entry, other, exit_ = boxes
    try:
        for live in (entry, other):
            live.node.store.persons.upsert("ann", "Ann")
        scan(other, clock, "ann", utc(8))
        scan(entry, clock, "ann", utc(8, 5))
        sync(*boxes)
        rows = exit_.node.store.tables.db.execute_sql("SELECT node_id, seq FROM site_punch").fetchall()
        assert rows == [("entry", 1)]  # not the punch of the box at the other site
    finally:
        for live in boxes:
            live.stop()


def test_a_box_learns_again_from_the_start_when_the_hub_lost_what_it_had_pulled(hub, site):
    entry, exit_, clock = site
    scan(entry, clock, "ann", utc(8))
    sync(entry, exit_)
    store, worker = exit_.node.store, exit_.node.sync
    learnt = worker.site_punches.cursor
    # As if the hub had been restored from a backup older than this box's cursor (and this box had lost a row).
    SyncState(store).set(SITE_PUNCH_CURSOR, learnt + 1000)
    store.tables.db.execute_sql("DELETE FROM site_punch")
    sync(exit_)
    assert store.tables.db.execute_sql("SELECT node_id, seq FROM site_punch").fetchall() == [("entry", 1)]
    assert worker.site_punches.cursor == learnt
