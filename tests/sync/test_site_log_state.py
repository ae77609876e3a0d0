"""The hub's site timecards carry the state of the boxes' logs as the hub holds them: an event edited in
PostgreSQL after it arrived marks the period (a real box syncing to a real hub on PostgreSQL)."""
from __future__ import annotations

import grpc
from google.protobuf.timestamp_pb2 import Timestamp

from edge_node.gen.edge.attendance.v1 import attendance_pb2 as apb
from edge_node.gen.edge.attendance.v1 import attendance_pb2_grpc as apb_grpc
from edge_node.gen.edge.sync.v1 import sync_pb2 as pb
from tests.conftest import wait_until
from tests.sync.conftest import sync_env

NOV_23 = 1_795_392_000  # 2026-11-23T00:00:00Z


def test_an_event_edited_on_the_hub_marks_the_site_timecards_of_its_period(hub, tmp_path, spawn_node):
    box = spawn_node(tmp_path / "box-a", env=sync_env(hub.address, "box-a", hub.add_node("box-a")))
    channel = grpc.insecure_channel(box.address)
    stub, auth = apb_grpc.AttendanceServiceStub(channel), (("authorization", f"Bearer {box.token}"),)
    stub.UpsertPerson(apb.UpsertPersonRequest(person=apb.Person(person_id="ann", display_name="Ann")), metadata=auth)
    for day in (0, 1):
        for hour in (8, 16):
            stub.RecordScan(apb.RecordScanRequest(person_id="ann", occurred_at=Timestamp(
                seconds=NOV_23 + day * 86400 + hour * 3600)), metadata=auth)
    channel.close()
    assert wait_until(lambda: hub.event_count("box-a") == 4, timeout=20)
    request = pb.GetTimecardsRequest(from_date="2026-11-23", to_date="2026-11-24", time_zone="UTC")
    clean = hub.stub.GetTimecards(request, metadata=hub.auth)
    assert (clean.log_verification.ok, clean.log_verification.checked) == (True, 4)
    assert all(apb.DAY_EXCEPTION_BROKEN_LOG not in d.exceptions for d in clean.timecards[0].days)

    assert hub.sql("UPDATE hub_event SET occurred_us = occurred_us + 3600000000 WHERE node_id = 'box-a' AND seq = 4"
                   " RETURNING seq") == [(4,)]
    forged = hub.stub.GetTimecards(request, metadata=hub.auth)
    state = forged.log_verification
    assert (state.ok, state.broken_event_id) == (False, 4)
    assert state.problem.startswith("box 'box-a': event 4 was changed after it was recorded")
    assert all(apb.DAY_EXCEPTION_BROKEN_LOG in d.exceptions for d in forged.timecards[0].days)
    daily = hub.stub.GetDailyReport(pb.GetDailyReportRequest(date="2026-11-24"), metadata=hub.auth)
    assert (daily.log_verification.ok, daily.log_verification.broken_event_id) == (False, 4)
    assert apb.DAY_EXCEPTION_BROKEN_LOG in daily.summaries[0].day.exceptions
    assert hub.stub.GetDailyReport(pb.GetDailyReportRequest(date="2026-11-20"), metadata=hub.auth).log_verification.ok
    other_box = hub.stub.GetTimecards(pb.GetTimecardsRequest(from_date="2026-11-23", to_date="2026-11-24",
                                                             time_zone="UTC", node_ids=["box-b"]), metadata=hub.auth)
    assert other_box.log_verification.ok  # only the boxes asked for are checked

    assert hub.sql("DELETE FROM hub_event WHERE node_id = 'box-a' AND seq IN (2, 4) RETURNING seq")
    gone = hub.stub.GetTimecards(request, metadata=hub.auth).log_verification
    assert (gone.ok, gone.broken_event_id) == (False, 2) and "record 2 is missing" in gone.problem
