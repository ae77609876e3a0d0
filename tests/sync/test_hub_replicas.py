"""Two hub processes on one PostgreSQL database serve boxes interchangeably: ingest stays idempotent, roster and
schedule versions stay one sequence, and a replica killed in the middle of a batch loses and doubles nothing."""
from __future__ import annotations

from datetime import date, datetime, timezone
from pathlib import Path

import grpc
import numpy as np
import psycopg2

from edge_node.attendance.rules import AttendanceRules
from edge_node.attendance.schedule import Schedule, Shift, WeeklyPattern
from edge_node.attendance.store import AttendanceStore
from edge_node.gen.edge.sync.v1 import sync_pb2 as pb
from edge_node.gen.edge.sync.v1 import sync_pb2_grpc as pb_grpc
from edge_node.recognition.templates import TemplateStore
from edge_node.sync.config import SyncConfig
from edge_node.sync.state import EVENTS_ACKED, SyncState
from edge_node.sync.worker import SyncWorker
from tools.faults.procs import create_hub_node, hub_event_rows, wait_until
from tools.hub_replicas import HubReplicas
from tools.manual_clock import ManualClock

EVENTS = 95


def box_store(path: Path, events: int) -> AttendanceStore:
    """A box database with `events` scans of five people and two schedule versions, none of them sent yet."""
    clock = ManualClock(datetime(2026, 11, 23, 7, 0, tzinfo=timezone.utc))
    store = AttendanceStore.open(path, AttendanceRules(time_zone="UTC"), clock)
    for i in range(5):
        store.persons.upsert(f"p{i}", f"Person {i}")
    for i in range(events):
        clock.advance(61)  # past the cooldown: each scan is a punch
        store.log.record_scan(f"p{i % 5}", 0.9, "door")
    day = Shift("day", 480, 990, lunch_start_minute=720, lunch_end_minute=840, lunch_minutes=30)
    schedule = Schedule((day,), (WeeklyPattern("week", ("day",) * 5 + ("", "")),), "week")
    store.schedules.add(schedule, "hr", date(2026, 11, 1))
    store.schedules.add(schedule, "hr", date(2026, 11, 16))
    return store


def worker(store: AttendanceStore, hub: str, token: str, batch_size: int = 10) -> SyncWorker:
    config = SyncConfig(enabled=True, hub=hub, node_id="box1", token=token, batch_size=batch_size,
                        interval_seconds=0.0, backoff_initial_seconds=0.05, backoff_max_seconds=0.2,
                        rpc_timeout_seconds=10.0)
    token_file = Path(store.tables.db.database).with_name("sync.token")  # its known_hubs file goes beside it
    return SyncWorker(store, config, str(token_file), TemplateStore(store.tables, store.clock, store.journal))


def node_rows(store: AttendanceStore) -> list[tuple[int, str, int, str]]:
    E = store.tables.event
    return [(r.id, r.person_id, r.occurred_us, r.camera_id) for r in E.select().order_by(E.id)]


def enroll(address: str, admin_token: str, person_id: str) -> int:
    vector = (np.ones(128) / np.sqrt(128)).astype("<f4")
    with grpc.insecure_channel(address) as channel:
        reply = pb_grpc.SyncServiceStub(channel).EnrollPerson(
            pb.EnrollPersonRequest(person_id=person_id, display_name=person_id.upper(),
                                   templates=[pb.TemplateInput(model_id="sface", embedding=vector.tobytes())]),
            metadata=(("authorization", f"Bearer {admin_token}"),), timeout=10)
    return reply.version


def test_batches_alternate_between_replicas(hub_db, tmp_path):
    with HubReplicas(hub_db, tmp_path / "hubs") as hubs:
        a, b = (r.address for r in hubs.replicas)
        token = create_hub_node(a, hubs.admin_token, "box1")
        store = box_store(tmp_path / "box.db", EVENTS)
        workers = [worker(store, a, token), worker(store, b, token)]
        first = enroll(a, hubs.admin_token, "ann")
        second = enroll(b, hubs.admin_token, "bob")
        assert second > first  # one roster sequence, whichever replica takes the change

        rounds = 0
        while workers[rounds % 2].status().queue_depth:  # each round sends one batch of 10, to A then B
            workers[rounds % 2].sync_round()
            rounds += 1
        assert rounds == -(-len(node_rows(store)) // 10)
        # Every batch sent again, now to the other replica: each is recognised as held and dropped.
        SyncState(store).set(EVENTS_ACKED, 0)
        while workers[1].status().queue_depth:
            workers[1].sync_round()

        assert hub_event_rows(hubs.database, "box1") == node_rows(store)
        with psycopg2.connect(hubs.database) as sql, sql.cursor() as cur:
            cur.execute("SELECT version, effective_from FROM hub_schedule_version WHERE node_id = 'box1' ORDER BY version")
            assert cur.fetchall() == [(1, "2026-11-01"), (2, "2026-11-16")]
            cur.execute("SELECT greatest((SELECT max(version) FROM hub_person), (SELECT max(version) FROM hub_template))")
            latest = cur.fetchone()[0]
        for person_id in ("ann", "bob"):  # the box pulled from both replicas and holds both people
            assert store.persons.find(person_id) is not None
        assert workers[0].roster.version == workers[1].roster.version == latest
        for w in workers:
            w.stop()
        store.close()


def _waiting_session(database: str) -> str:
    """The application_name of a hub session blocked while storing a batch (inside PushEvents), or ''."""
    with psycopg2.connect(database) as sql, sql.cursor() as cur:
        cur.execute("SELECT application_name FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                    " AND application_name LIKE 'hub-%%' AND query LIKE 'INSERT INTO hub_event%%'")
        row = cur.fetchone()
    return row[0] if row else ""


def test_replica_killed_mid_batch_loses_and_doubles_nothing(hub_db, tmp_path):
    with HubReplicas(hub_db, tmp_path / "hubs") as hubs:
        token = create_hub_node(hubs.address, hubs.admin_token, "box1")
        store = box_store(tmp_path / "box.db", EVENTS)
        box = worker(store, hubs.address, token, batch_size=40)
        # Block inserts into the event table, so the replica that takes the first batch stops inside its
        # transaction: it holds the box's node row and has checked the chain, but stored nothing yet.
        blocker = psycopg2.connect(hubs.database)
        blocker.cursor().execute("LOCK TABLE hub_event IN EXCLUSIVE MODE")
        box.start()
        try:
            assert wait_until(lambda: _waiting_session(hubs.database) != "", timeout=20), box.status()
        except AssertionError:
            blocker.close()
            box.stop()
            raise
        victim = int(_waiting_session(hubs.database).removeprefix("hub-"))
        hubs.kill(victim)
        blocker.rollback()  # the dead replica's transaction can now only roll back: its client is gone
        blocker.close()

        assert wait_until(lambda: box.status().queue_depth == 0, timeout=30), box.status()
        box.stop()
        held = hub_event_rows(hubs.database, "box1")
        assert held == node_rows(store)  # nothing lost, and (node, seq) is stored once: nothing doubled
        survivor = hubs.replicas[1 - victim]
        assert survivor.proc is not None and survivor.proc.poll() is None
        store.close()
