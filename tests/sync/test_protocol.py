"""The hub refuses wrong tokens and malformed batches with clear statuses; pushes are idempotent."""
from __future__ import annotations

from dataclasses import replace

import grpc
import pytest
from google.protobuf.timestamp_pb2 import Timestamp

from edge_node.gen.edge.attendance.v1 import attendance_pb2 as apb
from edge_node.gen.edge.sync.v1 import sync_pb2 as pb
from edge_node.gen.edge.sync.v1 import sync_pb2_grpc as pb_grpc
from tests.conftest import LiveNode, node_config, wait_until
from tests.sync.conftest import HubProcess
from tests.sync.test_roster import sync_config


def event(seq: int, **overrides) -> pb.SyncEvent:
    fields = dict(seq=seq, person_id="p1", event_type=apb.EVENT_TYPE_ENTRY, occurred_at=Timestamp(seconds=1_790_000_000 + seq),
                  local_date="2026-09-21", confidence=0.9)
    return pb.SyncEvent(**{**fields, **overrides})


def push(hub: HubProcess, node_id: str, token: str, after: int, events: list[pb.SyncEvent],
         installation: str = "install-1") -> pb.PushEventsResponse:
    stub = pb_grpc.SyncServiceStub(hub.channel)
    return stub.PushEvents(pb.PushEventsRequest(node_id=node_id, installation_id=installation, after_seq=after,
                                                events=events),
                           metadata=(("authorization", f"Bearer {token}"),), timeout=10)


def status_of(call) -> tuple[grpc.StatusCode, str]:
    with pytest.raises(grpc.RpcError) as info:
        call()
    return info.value.code(), info.value.details()


def test_tokens(hub):
    token_a, token_b = hub.add_node("a"), hub.add_node("b")
    assert push(hub, "a", token_a, 0, [event(1)]).acked_seq == 1
    code, details = status_of(lambda: push(hub, "a", token_b, 1, [event(2)]))
    assert code is grpc.StatusCode.UNAUTHENTICATED and "not valid for node 'a'" in details
    code, details = status_of(lambda: push(hub, "a", "", 1, [event(2)]))
    assert code is grpc.StatusCode.UNAUTHENTICATED and "add-node" in details
    code, _ = status_of(lambda: hub.stub.ListNodes(pb.ListNodesRequest(), metadata=(("authorization", f"Bearer {token_a}"),)))
    assert code is grpc.StatusCode.UNAUTHENTICATED
    hub.stub.RevokeNode(pb.RevokeNodeRequest(node_id="a"), metadata=hub.auth)
    code, details = status_of(lambda: push(hub, "a", token_a, 1, [event(2)]))
    assert code is grpc.StatusCode.UNAUTHENTICATED and "revoked" in details
    code, _ = status_of(lambda: hub.stub.CreateNode(pb.CreateNodeRequest(node_id="b"), metadata=hub.auth))
    assert code is grpc.StatusCode.ALREADY_EXISTS
    assert hub.event_count("a") == 1


def test_node_with_wrong_token_is_refused(hub, tmp_path, clock):
    hub.add_node("a")
    config = node_config(tmp_path / "a")
    config = replace(config, sync=replace(sync_config(hub, "x"), node_id="a"),
                     recognition=replace(config.recognition, enabled=False))
    live = LiveNode(config, clock)
    try:
        live.node.store.log.record_scan("nobody")
        live.node.start_workers()
        assert wait_until(lambda: "UNAUTHENTICATED" in live.node.sync.status().last_error, timeout=10)
        status = live.node.sync.status()
        assert status.queue_depth == 1 and status.acked_seq == 0 and not status.healthy
        assert hub.event_count("a") == 0
    finally:
        live.stop()


def test_a_node_id_stays_with_its_first_installation(hub):
    """A second box (or a rebuilt database) under a used node id restarts seq at 1: refused, never swallowed."""
    token = hub.add_node("a")
    assert push(hub, "a", token, 0, [event(1), event(2), event(3)], installation="box-1").acked_seq == 3
    code, details = status_of(lambda: push(hub, "a", token, 0, [event(1, person_id="p2")], installation="box-2"))
    assert code is grpc.StatusCode.FAILED_PRECONDITION
    assert "another installation (box-1)" in details and "edge-node hub add-node" in details
    roster = pb.PushRosterRequest(node_id="a", installation_id="box-2", changes=[pb.RosterChange(
        version=1, entity=pb.ROSTER_ENTITY_PERSON, op=pb.ROSTER_OP_DELETE, person_id="p1")])
    code, _ = status_of(lambda: pb_grpc.SyncServiceStub(hub.channel).PushRoster(
        roster, metadata=(("authorization", f"Bearer {token}"),), timeout=10))
    assert code is grpc.StatusCode.FAILED_PRECONDITION
    code, details = status_of(lambda: push(hub, "a", token, 3, [event(4)], installation=""))
    assert code is grpc.StatusCode.INVALID_ARGUMENT and "installation_id is required" in details
    assert push(hub, "a", token, 3, [event(4)], installation="box-1").acked_seq == 4
    assert hub.sql("SELECT seq, person_id FROM hub_event WHERE node_id = 'a' ORDER BY seq") == [
        (1, "p1"), (2, "p1"), (3, "p1"), (4, "p1")]
    [node] = hub.stub.ListNodes(pb.ListNodesRequest(), metadata=hub.auth).nodes
    assert node.installation_id == "box-1"


def test_a_resent_seq_must_be_the_same_event(hub):
    """A database restored from a backup keeps its installation but reuses seq numbers: refused, not swallowed."""
    token = hub.add_node("a")
    assert push(hub, "a", token, 0, [event(1), event(2)]).acked_seq == 2
    resent = push(hub, "a", token, 0, [event(1), event(2)])
    assert (resent.acked_seq, resent.stored, resent.duplicates) == (2, 0, 2)
    code, details = status_of(lambda: push(hub, "a", token, 1, [event(2, person_id="p2"), event(3)]))
    assert code is grpc.StatusCode.FAILED_PRECONDITION and "seq 2 (p2, ENTRY)" in details and "backup" in details
    assert hub.sql("SELECT seq, person_id FROM hub_event WHERE node_id = 'a' ORDER BY seq") == [(1, "p1"), (2, "p1")]


def test_rebuilt_node_keeps_its_events_until_it_gets_its_own_id(hub, tmp_path, clock):
    config = node_config(tmp_path / "first")
    config = replace(config, sync=sync_config(hub, "a"), recognition=replace(config.recognition, enabled=False))
    first = LiveNode(config, clock)
    try:
        first.node.store.log.record_scan("nobody")
        first.node.start_workers()
        assert wait_until(lambda: first.node.sync.status().queue_depth == 0, timeout=10)
    finally:
        first.stop()
    rebuilt_config = replace(config, storage=node_config(tmp_path / "rebuilt").storage)
    rebuilt = LiveNode(rebuilt_config, clock)
    try:
        for _ in range(2):
            rebuilt.node.store.log.record_scan("nobody")
        rebuilt.node.start_workers()
        assert wait_until(lambda: "FAILED_PRECONDITION" in rebuilt.node.sync.status().last_error, timeout=10)
        assert rebuilt.node.sync.status().queue_depth == 2 and hub.event_count("a") == 1
    finally:
        rebuilt.stop()
    moved = LiveNode(replace(rebuilt_config, sync=sync_config(hub, "a2")), clock)  # the fix: its own node id
    try:
        moved.node.start_workers()
        assert wait_until(lambda: moved.node.sync.status().queue_depth == 0, timeout=10)
        assert hub.event_count("a2") == 2 and hub.event_count("a") == 1
    finally:
        moved.stop()


MALFORMED = [
    ([event(2), event(1)], "events[1].seq 1 must be greater than 2"),
    ([event(1, event_type=apb.EVENT_TYPE_UNSPECIFIED)], "event_type must be set"),
    ([event(1, local_date="21/09/2026")], "local_date must be YYYY-MM-DD"),
    ([event(1, confidence=1.5)], "confidence must be between 0 and 1"),
    ([pb.SyncEvent(seq=1, event_type=apb.EVENT_TYPE_EXIT, local_date="2026-09-21")], "occurred_at is required"),
    ([event(i) for i in range(1, 5002)], "exceeds the hub's limit of 5000"),
    ([event(1, person_name="An\x00n")], "events[0].person_name must not contain NUL"),
    ([event(1), event(2, reason="\x00")], "events[1].reason must not contain NUL"),
]


def test_malformed_batch_is_refused_without_affecting_others(hub):
    token_b = hub.add_node("b")
    for case, (events, message) in enumerate(MALFORMED):
        node_id = f"a{case}"
        token = hub.add_node(node_id)
        code, details = status_of(lambda: push(hub, node_id, token, 0, events))
        assert code is grpc.StatusCode.INVALID_ARGUMENT and message in details
        assert push(hub, "b", token_b, case, [event(case + 1)]).acked_seq == case + 1
        assert hub.event_count(node_id) == 0 and hub.event_count("b") == case + 1
        assert push(hub, node_id, token, 0, [event(1)]).acked_seq == 1


def test_pushes_are_idempotent_and_gaps_rewind(hub):
    token = hub.add_node("a")
    batch = [event(1), event(2), event(3)]
    first = push(hub, "a", token, 0, batch)
    again = push(hub, "a", token, 0, batch)
    assert (first.acked_seq, first.stored, first.duplicates) == (3, 3, 0)
    assert (again.acked_seq, again.stored, again.duplicates) == (3, 0, 3)
    gap = push(hub, "a", token, 10, [event(11)])  # the hub lacks 4..10: nothing stored, resend from 3
    assert (gap.acked_seq, gap.stored) == (3, 0)
    assert [r[0] for r in hub.sql("SELECT seq FROM hub_event WHERE node_id = 'a' ORDER BY seq")] == [1, 2, 3]


def test_status_shows_queue_lag_and_last_success(hub, tmp_path, clock):
    config = node_config(tmp_path / "a")
    config = replace(config, sync=sync_config(hub, "a"), recognition=replace(config.recognition, enabled=False))
    live = LiveNode(config, clock)
    try:
        for _ in range(3):
            live.node.store.log.record_scan("nobody")
        clock.advance(120)
        before = live.node.sync.status()
        assert (before.queue_depth, before.last_seq, before.acked_seq, before.last_success_at) == (3, 3, 0, None)
        assert before.lag_seconds == pytest.approx(120)
        live.node.start_workers()
        # The round that emptied the queue counts as a success once it has finished.
        assert wait_until(lambda: live.node.sync.status().queue_depth == 0 and live.node.sync.status().healthy,
                          timeout=10)
        after = live.node.sync.status()
        assert after.acked_seq == 3 and after.lag_seconds == 0 and after.healthy and after.last_error == ""
    finally:
        live.stop()
