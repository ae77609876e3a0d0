"""AttendanceService over a real gRPC server on a loopback port, with a manual clock."""
from __future__ import annotations

import threading
from dataclasses import replace
from datetime import datetime, timezone

import grpc
import pytest
from google.protobuf.field_mask_pb2 import FieldMask
from google.protobuf.timestamp_pb2 import Timestamp
from grpc_health.v1 import health_pb2, health_pb2_grpc

from edge_node.gen.edge.attendance.v1 import attendance_pb2 as pb
from edge_node.gen.edge.attendance.v1 import attendance_pb2_grpc as pb_grpc
from tests.conftest import LiveNode, node_config, wait_until


@pytest.fixture
def stub(live_node: LiveNode) -> pb_grpc.AttendanceServiceStub:
    return pb_grpc.AttendanceServiceStub(live_node.channel)


def upsert(stub, live_node, person_id: str, name: str, **kw) -> pb.UpsertPersonResponse:
    request = pb.UpsertPersonRequest(person=pb.Person(person_id=person_id, display_name=name), **kw)
    return stub.UpsertPerson(request, metadata=live_node.auth)


def code_of(call) -> grpc.StatusCode:
    with pytest.raises(grpc.RpcError) as info:
        call()
    return info.value.code(), info.value.details()


def test_admin_rpcs_need_the_bearer_token(stub, live_node):
    assert code_of(lambda: stub.ListPersons(pb.ListPersonsRequest()))[0] is grpc.StatusCode.UNAUTHENTICATED
    code, details = code_of(lambda: stub.ListPersons(pb.ListPersonsRequest(), metadata=(("authorization", "Bearer nope"),)))
    assert code is grpc.StatusCode.UNAUTHENTICATED and "not valid" in details
    assert code_of(lambda: list(stub.WatchEvents(pb.WatchEventsRequest())))[0] is grpc.StatusCode.UNAUTHENTICATED
    health = health_pb2_grpc.HealthStub(live_node.channel)
    assert health.Check(health_pb2.HealthCheckRequest(service="edge.attendance.v1.AttendanceService")).status == \
        health_pb2.HealthCheckResponse.SERVING


def test_person_crud_and_errors(stub, live_node):
    created = upsert(stub, live_node, "emp1", "Ada")
    assert created.created and created.person.active
    assert code_of(lambda: upsert(stub, live_node, "emp1", "Ada", create_only=True))[0] is grpc.StatusCode.ALREADY_EXISTS
    renamed = upsert(stub, live_node, "emp1", "Ada L.")
    assert not renamed.created and renamed.person.display_name == "Ada L." and renamed.person.active
    deactivated = stub.UpsertPerson(pb.UpsertPersonRequest(person=pb.Person(person_id="emp1", active=False),
                                                           update_mask=FieldMask(paths=["active"])), metadata=live_node.auth)
    assert deactivated.person.display_name == "Ada L." and not deactivated.person.active
    assert stub.GetPerson(pb.GetPersonRequest(person_id="emp1"), metadata=live_node.auth).person.display_name == "Ada L."
    code, details = code_of(lambda: stub.GetPerson(pb.GetPersonRequest(person_id="nobody"), metadata=live_node.auth))
    assert code is grpc.StatusCode.NOT_FOUND and "nobody" in details
    code, details = code_of(lambda: upsert(stub, live_node, "", "X"))
    assert code is grpc.StatusCode.INVALID_ARGUMENT and "person_id" in details
    stub.DeletePerson(pb.DeletePersonRequest(person_id="emp1"), metadata=live_node.auth)
    assert code_of(lambda: stub.DeletePerson(pb.DeletePersonRequest(person_id="emp1"), metadata=live_node.auth))[0] is grpc.StatusCode.NOT_FOUND


def test_list_persons_pages_through_everyone(stub, live_node):
    for i in range(25):
        upsert(stub, live_node, f"p{i:02d}", f"Person {i}")
    seen, token, pages = [], "", 0
    while True:
        page = stub.ListPersons(pb.ListPersonsRequest(page_size=10, page_token=token), metadata=live_node.auth)
        assert page.total_size == 25
        seen += [p.person_id for p in page.persons]
        pages += 1
        token = page.next_page_token
        if not token:
            break
    assert pages == 3 and seen == [f"p{i:02d}" for i in range(25)]
    assert code_of(lambda: stub.ListPersons(pb.ListPersonsRequest(page_size=5000), metadata=live_node.auth))[0] is grpc.StatusCode.INVALID_ARGUMENT
    assert code_of(lambda: stub.ListPersons(pb.ListPersonsRequest(page_token="%%%"), metadata=live_node.auth))[0] is grpc.StatusCode.INVALID_ARGUMENT


def test_record_scan_list_events_with_filters_and_paging(stub, live_node):
    upsert(stub, live_node, "a", "A")
    upsert(stub, live_node, "b", "B")
    types = []
    for person in ["a", "b", "a", "ghost"]:
        reply = stub.RecordScan(pb.RecordScanRequest(person_id=person, confidence=0.9, camera_id="cam1"), metadata=live_node.auth)
        types.append(reply.event.event_type)
        live_node.clock.advance(20)
    assert types == [pb.EVENT_TYPE_ENTRY, pb.EVENT_TYPE_ENTRY, pb.EVENT_TYPE_DUPLICATE, pb.EVENT_TYPE_REJECTED]
    live_node.clock.set(datetime(2026, 11, 23, 23, 0, tzinfo=timezone.utc))
    stub.RecordScan(pb.RecordScanRequest(person_id="a"), metadata=live_node.auth)  # after hours EXIT

    def events(**kw):
        return list(stub.ListEvents(pb.ListEventsRequest(**kw), metadata=live_node.auth).events)

    assert [e.event_id for e in events()] == [5, 4, 3, 2, 1]
    assert [e.event_type for e in events(person_id="a")] == [pb.EVENT_TYPE_EXIT, pb.EVENT_TYPE_DUPLICATE, pb.EVENT_TYPE_ENTRY]
    assert [e.event_id for e in events(event_types=[pb.EVENT_TYPE_REJECTED])] == [4]
    assert [e.anomalies[0].kind for e in events(anomalies_only=True)] == [pb.ANOMALY_KIND_AFTER_HOURS]
    start = Timestamp(seconds=int(datetime(2026, 11, 23, 9, 0, 10, tzinfo=timezone.utc).timestamp()))
    end = Timestamp(seconds=int(datetime(2026, 11, 23, 9, 0, 50, tzinfo=timezone.utc).timestamp()))
    assert [e.event_id for e in events(start_time=start, end_time=end)] == [3, 2]
    first = stub.ListEvents(pb.ListEventsRequest(page_size=2), metadata=live_node.auth)
    second = stub.ListEvents(pb.ListEventsRequest(page_size=2, page_token=first.next_page_token), metadata=live_node.auth)
    assert [e.event_id for e in first.events] == [5, 4] and [e.event_id for e in second.events] == [3, 2]
    assert code_of(lambda: events(start_time=end, end_time=start))[0] is grpc.StatusCode.INVALID_ARGUMENT
    assert code_of(lambda: events(event_types=[99]))[0] is grpc.StatusCode.INVALID_ARGUMENT


def test_record_scan_validation(stub, live_node):
    upsert(stub, live_node, "a", "A")
    for request in [pb.RecordScanRequest(person_id=""), pb.RecordScanRequest(person_id="a", confidence=1.5),
                    pb.RecordScanRequest(person_id="a", occurred_at=Timestamp(seconds=4102444800)),
                    pb.RecordScanRequest(person_id="a", occurred_at=Timestamp(seconds=-5))]:
        assert code_of(lambda: stub.RecordScan(request, metadata=live_node.auth))[0] is grpc.StatusCode.INVALID_ARGUMENT


def test_watch_events_streams_new_events(stub, live_node):
    upsert(stub, live_node, "a", "A")
    upsert(stub, live_node, "b", "B")
    received: list[pb.AttendanceEvent] = []
    stream = stub.WatchEvents(pb.WatchEventsRequest(person_id="a"), metadata=live_node.auth)
    reader = threading.Thread(target=lambda: received.extend(r.event for _, r in zip(range(2), stream)))
    reader.start()
    assert wait_until(lambda: live_node.node.store.events.subscriber_count == 1)
    for person in ["b", "a", "a"]:
        stub.RecordScan(pb.RecordScanRequest(person_id=person), metadata=live_node.auth)
        live_node.clock.advance(61)
    reader.join(timeout=5)
    stream.cancel()
    assert [(e.person_id, e.event_type) for e in received] == [("a", pb.EVENT_TYPE_ENTRY), ("a", pb.EVENT_TYPE_EXIT)]
    assert wait_until(lambda: live_node.node.store.events.subscriber_count == 0)


def test_daily_report_over_grpc(stub, live_node):
    upsert(stub, live_node, "a", "A")
    upsert(stub, live_node, "b", "B")  # no face, no employment set, no punch: not in payroll
    employed = stub.UpsertPerson(pb.UpsertPersonRequest(
        person=pb.Person(person_id="c", display_name="C", employed_from="2026-11-01"),
        update_mask=FieldMask(paths=["display_name", "employed_from"])), metadata=live_node.auth)
    assert (employed.person.employed_from, employed.person.employed_until) == ("2026-11-01", "")  # absent: expected
    stub.RecordScan(pb.RecordScanRequest(person_id="a"), metadata=live_node.auth)  # 09:00
    live_node.clock.advance(8 * 3600)
    stub.RecordScan(pb.RecordScanRequest(person_id="a"), metadata=live_node.auth)  # 17:00
    report = stub.GetDailyReport(pb.GetDailyReportRequest(local_date="2026-11-23"), metadata=live_node.auth)
    assert (report.present_count, report.half_day_count, report.absent_count) == (1, 0, 1)
    row = report.summaries[0]
    assert (row.person_id, row.hours_worked, row.status) == ("a", 7.0, pb.ATTENDANCE_STATUS_PRESENT)
    today = stub.GetDailyReport(pb.GetDailyReportRequest(), metadata=live_node.auth)
    assert today.local_date == "2026-11-23" and today.time_zone == "UTC"
    assert code_of(lambda: stub.GetDailyReport(pb.GetDailyReportRequest(local_date="yesterday"), metadata=live_node.auth))[0] is grpc.StatusCode.INVALID_ARGUMENT


def test_update_config_validates_applies_and_survives_restart(tmp_path, clock):
    first = LiveNode(node_config(tmp_path / "n"), clock)
    stub = pb_grpc.AttendanceServiceStub(first.channel)
    update = pb.UpdateConfigRequest(config=pb.NodeConfig(cooldown_seconds=120, weekend_days=[5], time_zone="Asia/Kolkata"),
                                    update_mask=FieldMask(paths=["cooldown_seconds", "weekend_days", "time_zone"]))
    config = stub.UpdateConfig(update, metadata=first.auth).config
    assert (config.cooldown_seconds, list(config.weekend_days), config.time_zone) == (120, [5], "Asia/Kolkata")
    for bad, field in [(pb.NodeConfig(cooldown_seconds=0), "cooldown_seconds"), (pb.NodeConfig(time_zone="Nowhere/Land"), "time_zone"),
                       (pb.NodeConfig(match_threshold=1.5), "match_threshold")]:
        code, details = code_of(lambda: stub.UpdateConfig(pb.UpdateConfigRequest(config=bad, update_mask=FieldMask(paths=[field])), metadata=first.auth))
        assert code is grpc.StatusCode.INVALID_ARGUMENT and field in details
    assert code_of(lambda: stub.UpdateConfig(pb.UpdateConfigRequest(config=pb.NodeConfig()), metadata=first.auth))[0] is grpc.StatusCode.INVALID_ARGUMENT
    assert code_of(lambda: stub.UpdateConfig(pb.UpdateConfigRequest(update_mask=FieldMask(paths=["bogus"])), metadata=first.auth))[0] is grpc.StatusCode.INVALID_ARGUMENT
    first.stop()
    second = LiveNode(node_config(tmp_path / "n"), clock)
    try:
        config = pb_grpc.AttendanceServiceStub(second.channel).GetConfig(pb.GetConfigRequest(), metadata=second.auth).config
        assert (config.cooldown_seconds, list(config.weekend_days), config.time_zone) == (120, [5], "Asia/Kolkata")
        assert config.work_start_hour == 6  # untouched fields keep their defaults
    finally:
        second.stop()


def test_oversized_message_is_resource_exhausted(tmp_path, clock):
    config = node_config(tmp_path / "n")
    node = LiveNode(replace(config, server=replace(config.server, max_message_bytes=64 * 1024)), clock)
    try:
        stub = pb_grpc.AttendanceServiceStub(node.channel)
        request = pb.UpsertPersonRequest(person=pb.Person(person_id="x", display_name="y" * 100_000))
        code, details = code_of(lambda: stub.UpsertPerson(request, metadata=node.auth))
        assert code is grpc.StatusCode.RESOURCE_EXHAUSTED
        assert stub.ListPersons(pb.ListPersonsRequest(), metadata=node.auth).total_size == 0  # still serving
    finally:
        node.stop()


def test_calls_beyond_max_concurrent_rpcs_are_refused_until_one_ends(tmp_path, clock):
    """Eight open WatchEvents streams fill a limit of 8: the next call is RESOURCE_EXHAUSTED naming the setting;
    once a stream ends, calls are served again."""
    config = node_config(tmp_path / "n")
    node = LiveNode(replace(config, server=replace(config.server, max_concurrent_rpcs=8)), clock)
    streams = []
    try:
        stub = pb_grpc.AttendanceServiceStub(node.channel)
        streams = [stub.WatchEvents(pb.WatchEventsRequest(), metadata=node.auth) for _ in range(8)]
        assert wait_until(lambda: node.node.store.events.subscriber_count == 8)
        code, details = code_of(lambda: stub.ListPersons(pb.ListPersonsRequest(), metadata=node.auth))
        assert code is grpc.StatusCode.RESOURCE_EXHAUSTED and "server.max_concurrent_rpcs" in details
        streams.pop().cancel()
        assert wait_until(lambda: node.node.store.events.subscriber_count == 7)
        assert wait_until(lambda: _served(stub, node))
    finally:
        for stream in streams:
            stream.cancel()
        node.stop()


def _served(stub: pb_grpc.AttendanceServiceStub, node: LiveNode) -> bool:
    try:
        stub.ListPersons(pb.ListPersonsRequest(), metadata=node.auth)
    except grpc.RpcError as exc:
        assert exc.code() is grpc.StatusCode.RESOURCE_EXHAUSTED, exc
        return False
    return True
