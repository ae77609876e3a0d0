"""Schedule versions travel to the hub, and its site timecards take each day's shifts from them: a night shift
across midnight at two boxes, a change mid-month on the node and the hub, and boxes that disagree."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import grpc
from google.protobuf.timestamp_pb2 import Timestamp

from edge_node.gen.edge.attendance.v1 import attendance_pb2 as apb
from edge_node.gen.edge.attendance.v1 import attendance_pb2_grpc as apb_grpc
from edge_node.gen.edge.sync.v1 import sync_pb2 as pb
from edge_node.gen.edge.sync.v1 import sync_pb2_grpc as pb_grpc
from tests.conftest import wait_until
from tests.sync.conftest import sync_env
from tests.sync.test_protocol import status_of

BERLIN = ZoneInfo("Europe/Berlin")
DAY = apb.Shift(name="day", start_minute=9 * 60, end_minute=17 * 60, lunch_start_minute=12 * 60,
                lunch_end_minute=13 * 60, lunch_minutes=60, min_hours_present=6, window_before_minutes=120,
                window_after_minutes=240, tracked=True)
NIGHT = apb.Shift(name="night", start_minute=22 * 60, end_minute=30 * 60, min_hours_present=7,
                  window_before_minutes=180, window_after_minutes=300, tracked=True)


def schedule(shift: apb.Shift, holidays: tuple[str, ...] = ()) -> apb.Schedule:
    return apb.Schedule(shifts=[shift], patterns=[apb.WeeklyPattern(name="ward", days=[shift.name] * 7)],
                        person_patterns={"nurse": "ward"}, holidays=list(holidays))


def berlin(day: int, hour: int) -> Timestamp:
    stamp = Timestamp()
    stamp.FromDatetime(datetime(2026, 11, day, hour, tzinfo=BERLIN))
    return stamp


def test_a_night_shift_punched_at_two_boxes_and_a_change_mid_month_on_node_and_hub(hub, tmp_path, spawn_node):
    boxes = {}
    for name in ("box-a", "box-b"):
        env = {**sync_env(hub.address, name, hub.add_node(name)), "EDGE_NODE_ATTENDANCE_TIME_ZONE": "Europe/Berlin"}
        proc = spawn_node(tmp_path / name, env=env)
        channel = grpc.insecure_channel(proc.address)
        stub, auth = apb_grpc.AttendanceServiceStub(channel), (("authorization", f"Bearer {proc.token}"),)
        # Employed since November (set, as the node's default is the day the person was added: today).
        stub.UpsertPerson(apb.UpsertPersonRequest(person=apb.Person(person_id="nurse", display_name="Nurse",
                                                                    employed_from="2026-11-01"),
                                                  update_mask={"paths": ["display_name", "employed_from"]}),
                          metadata=auth)
        # The ward worked days from November 1st; nights from the 16th on (both set after the fact: back-dated).
        for shift, since in ((DAY, "2026-11-01"), (NIGHT, "2026-11-16")):
            stub.UpdateSchedule(apb.UpdateScheduleRequest(schedule=schedule(shift), actor="hr", effective_from=since),
                                metadata=auth)
        boxes[name] = (channel, stub, auth)

    def scan(box: str, day: int, hour: int) -> int:
        _, stub, auth = boxes[box]
        return stub.RecordScan(apb.RecordScanRequest(person_id="nurse", occurred_at=berlin(day, hour)),
                               metadata=auth).event.event_type
    # A day at box A in, box B out; a night in at box A at 22:00, out at box B at 06:00 the next morning.
    assert [scan("box-a", 10, 9), scan("box-b", 10, 17), scan("box-a", 20, 22), scan("box-b", 21, 6)] == [
        apb.EVENT_TYPE_ENTRY] * 4  # each box alone sees only entries
    assert wait_until(lambda: hub.sql("SELECT count(*) FROM hub_event")[0][0] == 8, timeout=30)  # 4 admin + 4 scans
    assert wait_until(lambda: hub.sql("SELECT count(*) FROM hub_schedule_version")[0][0] == 4, timeout=30)
    assert hub.sql("SELECT node_id, version, effective_from FROM hub_schedule_version ORDER BY node_id, version") == [
        ("box-a", 1, "2026-11-01"), ("box-a", 2, "2026-11-16"), ("box-b", 1, "2026-11-01"), ("box-b", 2, "2026-11-16")]

    def site(**kwargs) -> pb.GetTimecardsResponse:
        return hub.stub.GetTimecards(pb.GetTimecardsRequest(from_date="2026-11-01", to_date="2026-11-28",
                                                            time_zone="Europe/Berlin", node_ids=["box-a", "box-b"],
                                                            **kwargs), metadata=hub.auth)
    reply = site()
    (card,) = reply.timecards
    days = {int(d.date[-2:]): d for d in card.days}
    assert (days[10].shift, days[10].worked_hours, days[10].paid_hours, days[10].punches, list(days[10].sources)) == (
        "day", 8.0, 7.0, 2, ["box-a", "box-b"])  # 09:00-17:00 worked, paid less the lunch hour
    assert (days[20].shift, days[20].status, days[20].worked_hours, days[20].punches, list(days[20].sources)) == (
        "night", apb.DAY_STATUS_PRESENT, 8.0, 2, ["box-a", "box-b"])  # one visit across midnight
    assert (days[21].punches, days[21].status) == (0, apb.DAY_STATUS_ABSENT)  # the 06:00 exit is the 20th's
    assert [days[d].shift for d in (1, 15, 16, 28)] == ["day", "day", "night", "night"]
    assert list(reply.schedule_conflicts) == []

    # The node applies the same versions to the same days.
    _, stub_a, auth_a = boxes["box-a"]
    node_days = {int(d.date[-2:]): d for d in stub_a.GetTimecards(apb.GetTimecardsRequest(
        from_date="2026-11-01", to_date="2026-11-28"), metadata=auth_a).timecards[0].days}
    assert [node_days[d].shift for d in (1, 10, 15, 16, 20, 28)] == ["day", "day", "day", "night", "night", "night"]
    assert node_days[20].is_in is False and node_days[20].punches == 1  # box A alone: the night's entry

    # Box B alone gets a holiday from the 25th on: the latest version wins for the site, and the hub says so.
    _, stub_b, auth_b = boxes["box-b"]
    stub_b.UpdateSchedule(apb.UpdateScheduleRequest(schedule=schedule(NIGHT, ("2026-11-27",)), actor="hr",
                                                    effective_from="2026-11-25"), metadata=auth_b)
    assert wait_until(lambda: hub.sql("SELECT count(*) FROM hub_schedule_version")[0][0] == 5, timeout=30)
    reply = site()
    days = {int(d.date[-2:]): d for d in reply.timecards[0].days}
    assert (days[26].status, days[27].status) == (apb.DAY_STATUS_ABSENT, apb.DAY_STATUS_HOLIDAY)
    assert list(reply.schedule_conflicts) == [
        "2026-11-25: the boxes' schedules differ (box-a version 2 from 2026-11-16, box-b version 3 from 2026-11-25);"
        " used box-b version 3"]
    assert "the boxes' schedules differ" in hub.log_path.read_text()
    only_a = hub.stub.GetTimecards(pb.GetTimecardsRequest(from_date="2026-11-27", to_date="2026-11-27",
                                                          time_zone="Europe/Berlin", node_ids=["box-a"]), metadata=hub.auth)
    assert list(only_a.schedule_conflicts) == [] and only_a.timecards == []  # nobody punched at box A that day
    for channel, _, _ in boxes.values():
        channel.close()


def test_schedule_pushes_are_checked_idempotent_and_bound_to_the_node(hub):
    token = hub.add_node("a")
    stub = pb_grpc.SyncServiceStub(hub.channel)
    auth = (("authorization", f"Bearer {token}"),)
    recorded = Timestamp(seconds=1_795_000_000)

    def version(n: int, shift: apb.Shift = NIGHT, **overrides) -> apb.ScheduleVersion:
        fields = dict(version=n, effective_from="2026-11-01", schedule=schedule(shift), actor="hr", recorded_at=recorded)
        return apb.ScheduleVersion(**{**fields, **overrides})

    def push(after: int, versions: list[apb.ScheduleVersion], node: str = "a",
             metadata=auth) -> pb.PushSchedulesResponse:
        return stub.PushSchedules(pb.PushSchedulesRequest(node_id=node, installation_id="i-1", after_version=after,
                                                          versions=versions), metadata=metadata, timeout=10)
    assert (push(0, [version(1), version(2)]).acked_version, push(0, [version(1), version(2)]).stored) == (2, 0)
    assert push(5, [version(6)]).acked_version == 2  # a gap: the node resends from 2
    code, details = status_of(lambda: push(0, [version(1, DAY)]))
    assert code is grpc.StatusCode.FAILED_PRECONDITION and "another version" in details
    bad = version(3, schedule=apb.Schedule(patterns=[apb.WeeklyPattern(name="x", days=["nope"] * 7)]))
    code, details = status_of(lambda: push(2, [bad]))
    assert code is grpc.StatusCode.INVALID_ARGUMENT and "'nope'" in details
    code, details = status_of(lambda: push(2, [version(3, effective_from="27.11.2026")]))
    assert code is grpc.StatusCode.INVALID_ARGUMENT and "versions[0].effective_from" in details
    code, details = status_of(lambda: push(2, [version(2)]))
    assert code is grpc.StatusCode.INVALID_ARGUMENT and "greater than 2" in details
    code, _ = status_of(lambda: push(2, [version(3)], metadata=(("authorization", "Bearer wrong"),)))
    assert code is grpc.StatusCode.UNAUTHENTICATED
    assert hub.sql("SELECT version FROM hub_schedule_version ORDER BY version") == [(1,), (2,)]
