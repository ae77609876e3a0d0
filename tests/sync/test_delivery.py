"""Events reach the hub exactly once and in order, across hub outages and kill -9 of either side."""
from __future__ import annotations

import signal
import sqlite3
from datetime import datetime, timezone
from pathlib import Path

import grpc

from edge_node.attendance.rules import AttendanceRules
from edge_node.attendance.store import AttendanceStore
from tools.manual_clock import ManualClock
from edge_node.gen.edge.attendance.v1 import attendance_pb2 as apb
from edge_node.gen.edge.attendance.v1 import attendance_pb2_grpc as apb_grpc
from edge_node.gen.edge.sync.v1 import sync_pb2 as pb
from tests.conftest import free_port, wait_until
from tests.sync.conftest import HubProcess, sync_env


def node_events(data_dir: Path) -> list[tuple[int, str, int]]:
    """(seq, person_id, occurred_us) of every event in the node's SQLite, by seq."""
    with sqlite3.connect(data_dir / "edge-node.db") as db:
        return db.execute("SELECT id, person_id, occurred_us FROM event ORDER BY id").fetchall()


def hub_events(hub: HubProcess, node_id: str) -> list[tuple[int, str, int]]:
    return [tuple(r) for r in hub.sql("SELECT seq, person_id, occurred_us FROM hub_event WHERE node_id = %s"
                                      " ORDER BY seq", node_id)]


def prefill(data_dir: Path, count: int) -> None:
    """Log `count` scans of 20 persons into a new node database (before the node starts)."""
    clock = ManualClock(datetime(2026, 11, 23, 7, 0, tzinfo=timezone.utc))
    store = AttendanceStore.open(data_dir / "edge-node.db", AttendanceRules(time_zone="UTC"), clock)
    for i in range(20):
        store.persons.upsert(f"p{i}", f"Person {i}")
    for i in range(count):
        clock.advance(1)
        store.log.record_scan(f"p{i % 20}", 0.9, "cam1")
    store.close()


def test_three_nodes_offline_then_hub_starts(hub_db, tmp_path, spawn_node):
    port = free_port()
    hub = HubProcess(hub_db, tmp_path / "hub", port)
    tokens = {f"site{i}": hub.add_node(f"site{i}") for i in range(3)}
    hub.kill()
    nodes = {name: spawn_node(tmp_path / name, env=sync_env(hub.address, name, token))
             for name, token in tokens.items()}
    for n, (name, proc) in enumerate(nodes.items()):
        stub = apb_grpc.AttendanceServiceStub(channel := grpc.insecure_channel(proc.address))
        auth = (("authorization", f"Bearer {proc.token}"),)
        for p in range(5):
            stub.UpsertPerson(apb.UpsertPersonRequest(person=apb.Person(person_id=f"{name}-p{p}", display_name="P")),
                              metadata=auth)
        for i in range(40 + 10 * n):
            stub.RecordScan(apb.RecordScanRequest(person_id=f"{name}-p{i % 5}", camera_id="door"), metadata=auth)
        channel.close()
    assert hub.sql("SELECT count(*) FROM hub_event")[0][0] == 0

    hub.start()
    expected = {name: node_events(proc.data_dir) for name, proc in nodes.items()}
    assert [len(v) for v in expected.values()] == [40, 50, 60]
    assert wait_until(lambda: all(hub.event_count(n) == len(e) for n, e in expected.items()), timeout=20)
    for name, events in expected.items():
        assert hub_events(hub, name) == events
        received = [r[0] for r in hub.sql("SELECT received_us FROM hub_event WHERE node_id = %s ORDER BY seq", name)]
        assert received == sorted(received), f"{name}: events arrived out of sequence order"
    infos = {n.node_id: n for n in hub.stub.ListNodes(pb.ListNodesRequest(), metadata=hub.auth).nodes}
    assert wait_until(lambda: all(n.queue_depth == 0 for n in
                                  hub.stub.ListNodes(pb.ListNodesRequest(), metadata=hub.auth).nodes))
    assert {n: infos[n].acked_seq for n in tokens} == {n: e[-1][0] for n, e in expected.items()}
    assert all(infos[n].HasField("last_seen_at") for n in tokens)
    day = datetime.now(timezone.utc).date().isoformat()
    report = hub.stub.GetDailyReport(pb.GetDailyReportRequest(date=day, time_zone="UTC"), metadata=hub.auth)
    assert {s.person_id for s in report.summaries} == {f"{n}-p{p}" for n in tokens for p in range(5)}
    page = hub.stub.QueryEvents(pb.QueryEventsRequest(node_ids=["site1"], page_size=30), metadata=hub.auth)
    rest = hub.stub.QueryEvents(pb.QueryEventsRequest(node_ids=["site1"], page_size=30, page_token=page.next_page_token),
                                metadata=hub.auth)
    seqs = [e.event.seq for e in [*page.events, *rest.events]]
    assert sorted(seqs) == [e[0] for e in expected["site1"]] and not rest.next_page_token
    hub.stop()


def start_draining(hub: HubProcess, tmp_path: Path, spawn_node, total: int):
    """A node with `total` queued events, started while the hub is down; returns once the drain is under way."""
    prefill(tmp_path / "a", total)
    env = sync_env(hub.address, "a", hub.add_node("a"), batch_size=10)
    hub.kill()
    node = spawn_node(tmp_path / "a", env=env)
    hub.start()
    assert wait_until(lambda: hub.event_count("a") >= total // 5, timeout=20, interval=0.002)
    return node, env


def test_hub_killed_mid_batch(hub, tmp_path, spawn_node):
    total = 6000
    start_draining(hub, tmp_path, spawn_node, total)
    hub.kill()
    assert 0 < hub.event_count("a") < total, "the hub must be killed while the node is still draining"
    hub.start()
    assert wait_until(lambda: hub.event_count("a") == total, timeout=30)
    assert hub_events(hub, "a") == node_events(tmp_path / "a")


def test_node_killed_mid_sync(hub, tmp_path, spawn_node):
    total = 6000
    node, env = start_draining(hub, tmp_path, spawn_node, total)
    node.stop(signal.SIGKILL)
    assert 0 < hub.event_count("a") < total, "the node must be killed while it is still draining"
    spawn_node(tmp_path / "a", port=node.port, env=env)
    assert wait_until(lambda: hub.event_count("a") == total, timeout=30)
    assert hub_events(hub, "a") == node_events(tmp_path / "a")
