"""Events reach watchers only once they are durable: a grouped scan is broadcast after its batch's commit,
and never when that commit fails (a real COMMIT refusal by SQLite, tools/faults/commit_refusal.py)."""
from __future__ import annotations

import sqlite3
import threading
from datetime import datetime, timezone
from functools import partial
from pathlib import Path

import grpc
import pytest

from edge_node.attendance.model import Event
from edge_node.attendance.store import AttendanceStore
from edge_node.attendance.verify import verify_log
from edge_node.common.errors import Unavailable
from edge_node.gen.edge.attendance.v1 import attendance_pb2 as pb
from edge_node.gen.edge.attendance.v1 import attendance_pb2_grpc as pb_grpc
from tests.conftest import LiveNode
from tools.faults.commit_refusal import refuse_commits_of
from tools.faults.procs import wait_until
from tools.manual_clock import ManualClock

DOOMED = "doomed-cam"


@pytest.fixture
def store(tmp_path: Path):
    store = AttendanceStore.open(tmp_path / "edge-node.db", clock=ManualClock(datetime(2026, 11, 23, 9, tzinfo=timezone.utc)),
                                 synchronous="FULL")
    for i in range(40):
        store.persons.upsert(f"p{i}", f"P {i}", None, False)
    yield store
    store.close()


def _stored_ids(store: AttendanceStore) -> list[int]:
    reader = sqlite3.connect(store.tables.db.database)
    try:
        return [row[0] for row in reader.execute("SELECT id FROM event ORDER BY id")]
    finally:
        reader.close()


def _chains_on(store: AttendanceStore) -> None:
    """The next scan links to the last stored event (no head kept from a rolled-back write), and the log verifies."""
    last = _stored_ids(store)
    event = store.writes.submit(partial(store.log.record_scan, "p39", 0.9, "cam")).result(10).event
    assert event.event_id == (last[-1] if last else 0) + 1 and verify_log(store.tables).ok


def _held(store: AttendanceStore) -> threading.Event:
    """Holds the writer thread until set, so the scans submitted meanwhile share one batch."""
    gate = threading.Event()
    store.writes.submit(gate.wait, grouped=False)
    return gate


def test_a_batch_whose_commit_fails_is_never_broadcast_and_every_caller_gets_the_error(store) -> None:
    seen: list[Event] = []
    store.events.subscribe(seen.append)
    refuse_commits_of(Path(store.tables.db.database), DOOMED)
    before = _stored_ids(store)
    gate = _held(store)
    futures = [store.writes.submit(partial(store.log.record_scan, f"p{i}", 0.9, DOOMED if i == 1 else "cam"))
               for i in range(3)]
    gate.set()
    for future in futures:
        with pytest.raises(Unavailable, match="not stored"):
            future.result(10)
    assert seen == [] and _stored_ids(store) == before
    _chains_on(store)


def test_a_committed_batch_is_broadcast_once_each_in_order_after_its_commit(store) -> None:
    seen: list[tuple[Event, list[int]]] = []
    store.events.subscribe(lambda event: seen.append((event, _stored_ids(store))))
    gate = _held(store)
    futures = [store.writes.submit(partial(store.log.record_scan, f"p{i}", 0.9, "cam")) for i in range(30)]
    gate.set()
    results = [future.result(10) for future in futures]
    assert store.writes.commits < 30
    assert [event for event, _ in seen] == [r.event for r in results]
    assert [e.event_id for e, _ in seen] == sorted({e.event_id for e, _ in seen})
    # Each watcher call happened after the commit: another connection already saw the event stored.
    assert all(event.event_id in stored for event, stored in seen)


def test_a_job_that_fails_in_a_committed_batch_is_not_broadcast(store) -> None:
    seen: list[Event] = []
    store.events.subscribe(seen.append)
    gate = _held(store)

    def scan_then_fail() -> None:
        store.log.record_scan("p0", 0.9, "cam")
        raise ValueError("refused after the scan")

    good, bad = store.writes.submit(partial(store.log.record_scan, "p1", 0.9, "cam")), store.writes.submit(scan_then_fail)
    gate.set()
    event = good.result(10).event
    with pytest.raises(ValueError):
        bad.result(10)
    assert seen == [event] and _stored_ids(store) == [event.event_id]
    _chains_on(store)


def test_over_grpc_a_refused_commit_is_unavailable_and_the_watcher_sees_only_stored_events(live_node: LiveNode) -> None:
    stub = pb_grpc.AttendanceServiceStub(live_node.channel)
    for person in ("a", "b"):
        stub.UpsertPerson(pb.UpsertPersonRequest(person=pb.Person(person_id=person, display_name=person.upper())),
                          metadata=live_node.auth)
    refuse_commits_of(Path(live_node.node.store.tables.db.database), DOOMED)
    stream = stub.WatchEvents(pb.WatchEventsRequest(), metadata=live_node.auth)
    received: list[pb.AttendanceEvent] = []
    reader = threading.Thread(target=lambda: received.extend(r.event for _, r in zip(range(1), stream)))
    reader.start()
    assert wait_until(lambda: live_node.node.store.events.subscriber_count == 1)
    with pytest.raises(grpc.RpcError) as refused:
        stub.RecordScan(pb.RecordScanRequest(person_id="a", camera_id=DOOMED), metadata=live_node.auth)
    assert refused.value.code() is grpc.StatusCode.UNAVAILABLE and "not stored" in refused.value.details()
    live_node.clock.advance(61)
    stored = stub.RecordScan(pb.RecordScanRequest(person_id="b", camera_id="cam"), metadata=live_node.auth).event
    reader.join(timeout=5)
    stream.cancel()
    assert [(e.event_id, e.person_id, e.camera_id) for e in received] == [(stored.event_id, "b", "cam")]
    listed = stub.ListEvents(pb.ListEventsRequest(), metadata=live_node.auth).events
    assert [e.event_id for e in listed] == [stored.event_id]
