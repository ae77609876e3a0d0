"""The hub runs the node's timecard function over every box of a site, and checks each box's hash chain."""
from __future__ import annotations

import grpc
from google.protobuf.timestamp_pb2 import Timestamp

from edge_node.storage.chain import event_hash
from edge_node.gen.edge.attendance.v1 import attendance_pb2 as apb
from edge_node.gen.edge.attendance.v1 import attendance_pb2_grpc as apb_grpc
from edge_node.gen.edge.sync.v1 import sync_pb2 as pb
from tests.conftest import wait_until
from tests.sync.conftest import sync_env
from tests.sync.test_protocol import event, push, status_of

NOV_23 = 1_795_392_000  # 2026-11-23T00:00:00Z


def at(hour: int) -> Timestamp:
    return Timestamp(seconds=NOV_23 + hour * 3600)


def test_in_at_box_a_and_out_at_box_b_is_one_visit_on_the_hub(hub, tmp_path, spawn_node):
    boxes = {}
    for name, hour in (("box-a", 8), ("box-b", 17)):
        proc = spawn_node(tmp_path / name, env=sync_env(hub.address, name, hub.add_node(name)))
        channel = grpc.insecure_channel(proc.address)
        stub, auth = apb_grpc.AttendanceServiceStub(channel), (("authorization", f"Bearer {proc.token}"),)
        stub.UpsertPerson(apb.UpsertPersonRequest(person=apb.Person(person_id="ann", display_name="Ann")), metadata=auth)
        reply = stub.RecordScan(apb.RecordScanRequest(person_id="ann", camera_id="door", occurred_at=at(hour)),
                                metadata=auth)
        assert reply.event.event_type == apb.EVENT_TYPE_ENTRY  # each box alone sees a first punch
        boxes[name] = (channel, auth)
    assert wait_until(lambda: hub.sql("SELECT count(DISTINCT node_id) FROM hub_event")[0][0] == 2, timeout=20)
    cards = hub.stub.GetTimecards(pb.GetTimecardsRequest(from_date="2026-11-23", to_date="2026-11-23",
                                                         time_zone="UTC"), metadata=hub.auth)
    (card,) = cards.timecards
    (day,) = card.days
    assert (card.person_id, card.person_name) == ("ann", "Ann")
    assert (day.punches, day.worked_hours, day.paid_hours, day.status, list(day.sources)) == (
        2, 9.0, 8.0, apb.DAY_STATUS_PRESENT, ["box-a", "box-b"])  # 08:00-17:00 worked, paid less the 1 h lunch
    only_a = hub.stub.GetTimecards(pb.GetTimecardsRequest(from_date="2026-11-23", to_date="2026-11-23",
                                                          time_zone="UTC", node_ids=["box-a"]), metadata=hub.auth)
    (alone,) = only_a.timecards[0].days  # box A alone saw the entry only
    assert (alone.status, list(alone.exceptions)) == (apb.DAY_STATUS_INCOMPLETE, [apb.DAY_EXCEPTION_MISSING_EXIT])
    code, details = status_of(lambda: hub.stub.GetTimecards(pb.GetTimecardsRequest(
        from_date="2026-11-23", to_date="2026-11-23", time_zone="Mars/Base"), metadata=hub.auth))
    assert code is grpc.StatusCode.INVALID_ARGUMENT and "time_zone" in details

    # HR erases Ann's name at box A: box A's log and every box's copy on the hub lose it, the punches stay.
    stub_a = apb_grpc.AttendanceServiceStub(boxes["box-a"][0])
    erased = stub_a.ErasePerson(apb.ErasePersonRequest(person_id="ann", reason="left the company; GDPR art. 17",
                                                       actor="hr"), metadata=boxes["box-a"][1])
    assert (erased.events_anonymised, erased.event.event_type) == (1, apb.EVENT_TYPE_PERSON_ERASED)
    assert wait_until(lambda: hub.sql("SELECT DISTINCT person_name FROM hub_event WHERE person_id = 'ann'") == [("",)],
                      timeout=20)
    assert stub_a.VerifyLog(apb.VerifyLogRequest(), metadata=boxes["box-a"][1]).ok
    again = hub.stub.GetTimecards(pb.GetTimecardsRequest(from_date="2026-11-23", to_date="2026-11-23",
                                                         time_zone="UTC"), metadata=hub.auth)
    assert again.timecards[0].days[0].paid_hours == 8.0
    for channel, _ in boxes.values():
        channel.close()


def chained(seqs: range, prev: str = "", **overrides) -> list[pb.SyncEvent]:
    """Events chained as a node chains them."""
    events = []
    for seq in seqs:
        e = event(seq, **overrides)
        e.prev_hash = prev
        e.hash = event_hash(prev, seq, e.person_id, "ENTRY", e.occurred_at.seconds * 1_000_000, e.camera_id,
                            e.confidence, e.liveness, "", e.reason, None, e.actor)
        events.append(e)
        prev = e.hash
    return events


def test_the_hub_refuses_a_rewritten_history(hub):
    token = hub.add_node("a")
    first = chained(range(1, 4))
    assert push(hub, "a", token, 0, first).acked_seq == 3
    assert hub.sql("SELECT chain_head FROM hub_node WHERE node_id = 'a'") == [(first[-1].hash,)]
    rewritten = chained(range(1, 6), person_id="p2")  # the box rebuilt its chain with other content
    code, details = status_of(lambda: push(hub, "a", token, 3, rewritten[3:]))
    assert code is grpc.StatusCode.FAILED_PRECONDITION and "rewritten" in details
    forged = chained(range(4, 5), prev=first[-1].hash)
    forged[0].occurred_at.seconds += 60  # content changed after hashing
    code, details = status_of(lambda: push(hub, "a", token, 3, forged))
    assert code is grpc.StatusCode.FAILED_PRECONDITION and "does not match" in details
    code, details = status_of(lambda: push(hub, "a", token, 3, [event(4)]))
    assert code is grpc.StatusCode.FAILED_PRECONDITION and "without its chain hash" in details
    assert push(hub, "a", token, 3, chained(range(4, 6), prev=first[-1].hash)).acked_seq == 5
    assert hub.event_count("a") == 5


def test_a_resent_event_with_another_hash_is_refused(hub):
    token = hub.add_node("a")
    batch = chained(range(1, 3))
    push(hub, "a", token, 0, batch)
    other = chained(range(1, 3), reason="x")
    code, _ = status_of(lambda: push(hub, "a", token, 0, other))
    assert code is grpc.StatusCode.FAILED_PRECONDITION
