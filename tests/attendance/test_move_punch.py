"""MovePunch changes the time (with a reason) as well as the person: in the store, over gRPC and with
`edge-node punch move --at` (real SQLite store, real node on loopback, manual clock)."""
from __future__ import annotations

import subprocess
import sys
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Iterator

import grpc
import pytest
from google.protobuf.timestamp_pb2 import Timestamp

from edge_node.attendance.log import EventFilter
from edge_node.attendance.model import EventType
from edge_node.attendance.rules import AttendanceRules
from edge_node.attendance.store import AttendanceStore
from edge_node.common.errors import FailedPrecondition, InvalidArgument
from edge_node.gen.edge.attendance.v1 import attendance_pb2 as pb
from edge_node.gen.edge.attendance.v1 import attendance_pb2_grpc as pb_grpc
from tools.manual_clock import ManualClock


def utc(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=timezone.utc)


@pytest.fixture
def office(tmp_path: Path) -> Iterator[tuple[AttendanceStore, ManualClock]]:
    clock = ManualClock(utc(23, 9))
    store = AttendanceStore.open(tmp_path / "edge.db", AttendanceRules(time_zone="UTC"), clock)
    store.persons.upsert("ann", "Ann")
    store.persons.upsert("bob", "Bob")
    yield store, clock
    store.close()


def day_card(store: AttendanceStore, person_id: str, day: int):
    return store.reports.timecards(date(2026, 11, day), date(2026, 11, day), person_id)[0].days[0]


def test_a_punch_moved_in_time_counts_at_its_new_time_with_reason_and_actor(office):
    store, clock = office
    store.log.record_scan("ann")
    clock.set(utc(23, 15))
    leaving = store.log.record_scan("ann").event  # a scan in passing at 15:00; she left at 17:00
    clock.set(utc(24, 9))
    moved = store.corrections.move_punch(leaving.event_id, "", "left at 17:00, scanned at the wrong kiosk", "hr-admin",
                                         utc(23, 17))
    assert (moved.event_type, moved.person_id, moved.occurred_at, moved.ref_seq, moved.actor) == (
        EventType.PUNCH_MOVED, "ann", utc(23, 17), leaving.event_id, "hr-admin")
    assert moved.reason == "moved from 2026-11-23T15:00:00+00:00: left at 17:00, scanned at the wrong kiosk"
    card = day_card(store, "ann", 23)
    assert (card.last_out, card.paid_hours, card.punches) == (utc(23, 17), 7.0, 2)
    with pytest.raises(FailedPrecondition, match="already corrected"):
        store.corrections.move_punch(leaving.event_id, "", "again", "hr-admin", utc(23, 16))


def test_a_punch_moved_to_another_day_leaves_its_old_day_in_any_period(office):
    store, clock = office
    store.log.record_scan("ann")
    clock.set(utc(23, 17))
    store.log.record_scan("ann")
    clock.set(utc(24, 9))
    wrong_day = store.log.record_scan("bob").event  # Bob's Monday entry recorded on Tuesday
    moved = store.corrections.move_punch(wrong_day.event_id, "", "entry of Monday, box clock was a day ahead",
                                         "hr-admin", utc(23, 9, 5))
    void, = [e for e in store.log.list(EventFilter(event_types=(EventType.PUNCH_VOIDED,)))[0]]
    assert (void.person_id, void.occurred_at, void.ref_seq) == ("bob", utc(24, 9), wrong_day.event_id)
    assert void.reason.startswith("moved to 2026-11-23T09:05:00+00:00: ")
    tuesday = day_card(store, "bob", 24)  # asked alone, Tuesday no longer holds the punch
    assert (tuesday.punches, tuesday.corrections) == (0, 1)
    monday = day_card(store, "bob", 23)
    assert (monday.first_in, monday.punches, monday.corrections) == (utc(23, 9, 5), 1, 1)
    assert moved.event_id == void.event_id + 1


def test_a_punch_moved_to_another_person_and_time_at_once(office):
    store, clock = office
    store.log.record_scan("ann")
    clock.set(utc(23, 12))
    wrong = store.log.record_scan("bob").event  # Ann's exit at 17:00, recognised as Bob at noon (a test scan)
    clock.set(utc(24, 9))
    moved = store.corrections.move_punch(wrong.event_id, "ann", "Ann's exit, misread", "hr-admin", utc(23, 17))
    assert moved.reason == "moved from 'bob' and from 2026-11-23T12:00:00+00:00: Ann's exit, misread"
    assert (day_card(store, "ann", 23).paid_hours, day_card(store, "bob", 23).punches) == (7.0, 0)


def test_a_move_that_changes_nothing_or_goes_to_the_future_is_refused(office):
    store, clock = office
    entry = store.log.record_scan("ann").event
    with pytest.raises(InvalidArgument, match="to_person_id, to_time or both"):
        store.corrections.move_punch(entry.event_id, "", "why", "hr-admin")
    with pytest.raises(FailedPrecondition, match="already belongs to 'ann' at"):
        store.corrections.move_punch(entry.event_id, "ann", "why", "hr-admin", entry.occurred_at)
    with pytest.raises(InvalidArgument, match="in the future"):
        store.corrections.move_punch(entry.event_id, "", "why", "hr-admin", utc(23, 10))
    with pytest.raises(InvalidArgument, match="reason"):
        store.corrections.move_punch(entry.event_id, "", "", "hr-admin", utc(23, 8))


def stamp(when: datetime) -> Timestamp:
    value = Timestamp()
    value.FromDatetime(when)
    return value


def test_move_punch_in_time_over_grpc_and_the_cli(live_node):
    stub = pb_grpc.AttendanceServiceStub(live_node.channel)
    md = live_node.auth
    stub.UpsertPerson(pb.UpsertPersonRequest(person=pb.Person(person_id="ann", display_name="Ann")), metadata=md)
    entry = stub.RecordScan(pb.RecordScanRequest(person_id="ann"), metadata=md).event  # 09:00
    live_node.clock.advance(6 * 3600)
    leaving = stub.RecordScan(pb.RecordScanRequest(person_id="ann"), metadata=md).event  # 15:00
    moved = stub.MovePunch(pb.MovePunchRequest(event_id=entry.event_id, to_time=stamp(utc(23, 8, 30)),
                                               reason="arrived 08:30, kiosk queue", actor="hr"), metadata=md).event
    assert (moved.person_id, moved.occurred_at.ToDatetime(tzinfo=timezone.utc)) == ("ann", utc(23, 8, 30))
    with pytest.raises(grpc.RpcError) as refused:
        stub.MovePunch(pb.MovePunchRequest(event_id=leaving.event_id, reason="?", actor="hr"), metadata=md)
    assert refused.value.code() is grpc.StatusCode.INVALID_ARGUMENT and "to_time" in refused.value.details()
    remote = ["--target", live_node.address, "--token", live_node.node.admin_token]
    live_node.clock.set(utc(24, 9))
    out = subprocess.run([sys.executable, "-m", "edge_node", "punch", "move", str(leaving.event_id), "--at",
                          "2026-11-23T17:30:00+00:00", "--reason", "left 17:30, badge reader down", "--actor", "hr",
                          *remote], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "PUNCH_MOVED for ann by hr: moved from 2026-11-23T15:00:00+00:00: left 17:30" in out.stdout
    reply = stub.GetTimecards(pb.GetTimecardsRequest(from_date="2026-11-23", to_date="2026-11-23", person_id="ann"),
                              metadata=md)
    day = reply.timecards[0].days[0]
    assert (day.first_in.ToDatetime(tzinfo=timezone.utc), day.last_out.ToDatetime(tzinfo=timezone.utc)) == (
        utc(23, 8, 30), utc(23, 17, 30))
    assert reply.log_verification.ok
    missing = subprocess.run([sys.executable, "-m", "edge_node", "punch", "move", "1", "--reason", "x", *remote],
                             capture_output=True, text=True, timeout=60)
    assert missing.returncode != 0 and "--to PERSON, --at TIME or both" in missing.stderr
