"""Schedules, corrections, timecards and log verification over a real gRPC server, and the CLI commands."""
from __future__ import annotations

import csv
import io
import json
import sqlite3
import subprocess
import sys
from datetime import datetime, timezone

import grpc
import pytest
from google.protobuf.timestamp_pb2 import Timestamp

from edge_node.gen.edge.attendance.v1 import attendance_pb2 as pb
from edge_node.gen.edge.attendance.v1 import attendance_pb2_grpc as pb_grpc
from edge_node.gen.edge.node.v1.node_pb2 import GetStatusRequest
from edge_node.gen.edge.node.v1.node_pb2_grpc import NodeServiceStub
from edge_node.cli.payroll import COLUMNS
from edge_node.common.tokens import TOKENS_FILE, TokenBook
from tests.conftest import LiveNode


@pytest.fixture
def stub(live_node: LiveNode) -> pb_grpc.AttendanceServiceStub:
    return pb_grpc.AttendanceServiceStub(live_node.channel)


def stamp(*parts: int) -> Timestamp:
    value = Timestamp()
    value.FromDatetime(datetime(*parts, tzinfo=timezone.utc))
    return value


def cli(live_node: LiveNode, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "edge_node", *args], capture_output=True, text=True, timeout=60)


def remote(live_node: LiveNode, token: str = "") -> list[str]:
    return ["--target", live_node.address, "--token", token or live_node.node.admin_token]


def person_token(live_node: LiveNode, name: str) -> str:
    """A manager's token for `name`: the actor the log names for what it changes."""
    return TokenBook(live_node.node.data_dir / TOKENS_FILE).add(name, "manager")


def test_schedule_corrections_and_timecards_over_grpc(stub, live_node, tmp_path):
    md = live_node.auth
    stub.UpsertPerson(pb.UpsertPersonRequest(person=pb.Person(person_id="ann", display_name="Ann")), metadata=md)
    shift = pb.Shift(name="early", start_minute=7 * 60, end_minute=15 * 60, grace_late_minutes=5, min_hours_present=6,
                     window_before_minutes=60, window_after_minutes=120, tracked=True)
    schedule = pb.Schedule(shifts=[shift], patterns=[pb.WeeklyPattern(name="week", days=["early"] * 5 + ["", ""])],
                           default_pattern="week")
    got = stub.UpdateSchedule(pb.UpdateScheduleRequest(schedule=schedule, actor="hr"), metadata=md).schedule
    assert [s.name for s in got.shifts] == ["early", "default"] and got.default_pattern == "week"
    bad = pb.Schedule(patterns=[pb.WeeklyPattern(name="week", days=["nope"] * 7)], default_pattern="week")
    with pytest.raises(grpc.RpcError) as info:
        stub.UpdateSchedule(pb.UpdateScheduleRequest(schedule=bad, actor="hr"), metadata=md)
    assert info.value.code() is grpc.StatusCode.INVALID_ARGUMENT and "'nope'" in info.value.details()

    entry = stub.RecordScan(pb.RecordScanRequest(person_id="ann", confidence=0.9, liveness=0.95,
                                                 occurred_at=stamp(2026, 11, 23, 7, 20)), metadata=md).event
    assert (entry.event_type, round(entry.liveness, 2), len(entry.hash)) == (pb.EVENT_TYPE_ENTRY, 0.95, 64)
    live_node.clock.set(datetime(2026, 11, 24, 9, tzinfo=timezone.utc))
    hr = (("authorization", f"Bearer {person_token(live_node, 'hr')}"),)
    added = stub.AddPunch(pb.AddPunchRequest(person_id="ann", occurred_at=stamp(2026, 11, 23, 15), reason="forgot"),
                          metadata=hr).event
    assert (added.event_type, added.actor) == (pb.EVENT_TYPE_PUNCH_ADDED, "hr")
    with pytest.raises(grpc.RpcError) as info:
        stub.VoidPunch(pb.VoidPunchRequest(event_id=added.event_id, reason="", actor="hr"), metadata=md)
    assert info.value.code() is grpc.StatusCode.INVALID_ARGUMENT and "reason" in info.value.details()

    cards = stub.GetTimecards(pb.GetTimecardsRequest(from_date="2026-11-23", to_date="2026-11-24"), metadata=md)
    day, next_day = cards.timecards[0].days
    assert (day.shift, day.paid_minutes, day.paid_hours, day.late_minutes, list(day.flags), day.corrections,
            list(day.exceptions)) == ("early", 460, 7.67, 20, [pb.ANOMALY_KIND_LATE], 1, [pb.DAY_EXCEPTION_CORRECTED])
    assert (next_day.status, list(next_day.flags)) == (pb.DAY_STATUS_ABSENT, [pb.ANOMALY_KIND_ABSENT])
    assert cards.timecards[0].totals.late_minutes == 20
    assert stub.GetWhoIsIn(pb.GetWhoIsInRequest(), metadata=md).persons == []
    assert stub.VerifyLog(pb.VerifyLogRequest(), metadata=md).ok
    clock = NodeServiceStub(live_node.channel).GetStatus(GetStatusRequest(), metadata=md).status.clock
    assert (clock.synchronised_known, clock.held) == (False, False)  # an injected clock: no kernel NTP state

    report = cli(live_node, "report", "timecards", "--from", "2026-11-23", "--to", "2026-11-24", *remote(live_node))
    assert report.returncode == 0, report.stderr
    rows = list(csv.DictReader(io.StringIO(report.stdout)))
    assert tuple(rows[0]) == COLUMNS
    assert [(r["date"], r["status"], r["first_in"], r["worked_hours"], r["flags"]) for r in rows] == [
        ("2026-11-23", "PRESENT", "2026-11-23T07:20:00+00:00", "7.67", "LATE"),
        ("2026-11-24", "ABSENT", "", "0.00", "ABSENT")]
    shown = cli(live_node, "schedule", "show", *remote(live_node))
    assert shown.returncode == 0 and json.loads(shown.stdout)["defaultPattern"] == "week"
    night = tmp_path / "schedule.json"
    night.write_text(json.dumps({"shifts": [{"name": "night", "startMinute": 1320, "endMinute": 1800}],
                                 "patterns": [{"name": "nights", "days": ["night"] * 7}], "defaultPattern": "nights"}))
    changed = cli(live_node, "schedule", "set", str(night), *remote(live_node))
    assert changed.returncode == 0 and json.loads(changed.stdout)["defaultPattern"] == "nights"
    night.write_text(json.dumps({"patterns": [{"name": "x", "days": ["nope"] * 7}], "defaultPattern": "x"}))
    refused = cli(live_node, "schedule", "set", str(night), *remote(live_node))
    assert refused.returncode == 1 and not refused.stdout
    assert refused.stderr.startswith("error: INVALID_ARGUMENT") and "'nope'" in refused.stderr
    moved = cli(live_node, "punch", "void", str(entry.event_id), "--reason", "test scan",
                *remote(live_node, person_token(live_node, "ops")))
    assert moved.returncode == 0 and "PUNCH_VOIDED for ann by ops: test scan" in moved.stdout


def test_log_verify_names_a_row_changed_directly_in_sqlite(stub, live_node, tmp_path):
    md = live_node.auth
    stub.UpsertPerson(pb.UpsertPersonRequest(person=pb.Person(person_id="ann", display_name="Ann")), metadata=md)
    for _ in range(4):
        stub.RecordScan(pb.RecordScanRequest(person_id="ann"), metadata=md)
        live_node.clock.advance(3600)
    verified = cli(live_node, "log", "verify", *remote(live_node))
    assert verified.returncode == 0 and "log ok: 4 record(s) verified" in verified.stdout
    database = live_node.node.store.tables.db.database
    with sqlite3.connect(database) as db:  # an "adjusted" check-in, one hour earlier
        db.execute("UPDATE event SET occurred_us = occurred_us - 3600000000 WHERE id = 2")
    broken = cli(live_node, "log", "verify", "--database", database)
    assert broken.returncode == 1 and "BROKEN at event 2" in broken.stdout and "changed" in broken.stdout
    reply = stub.VerifyLog(pb.VerifyLogRequest(), metadata=md)
    assert (reply.ok, reply.broken_event_id, reply.checked) == (False, 2, 1)
    with sqlite3.connect(database) as db:  # put it back, then remove a record instead
        db.execute("UPDATE event SET occurred_us = occurred_us + 3600000000 WHERE id = 2")
        db.execute("DELETE FROM event WHERE id = 3")
    reply = stub.VerifyLog(pb.VerifyLogRequest(), metadata=md)
    assert (reply.ok, reply.broken_event_id) == (False, 3) and "record 3 is missing" in reply.problem


def test_log_verify_names_a_schedule_version_changed_directly_in_sqlite(stub, live_node):
    """A schedule version decides every timecard of its days: editing its row is caught by its chained admin event."""
    md = live_node.auth
    night = pb.Schedule(shifts=[pb.Shift(name="night", start_minute=22 * 60, end_minute=30 * 60, min_hours_present=6,
                                         window_before_minutes=60, window_after_minutes=120, tracked=True)],
                        patterns=[pb.WeeklyPattern(name="week", days=["night"] * 7)], default_pattern="week")
    added = stub.UpdateSchedule(pb.UpdateScheduleRequest(schedule=night, actor="hr", effective_from="2026-11-01"),
                                metadata=md)
    assert stub.VerifyLog(pb.VerifyLogRequest(), metadata=md).ok
    database = live_node.node.store.tables.db.database
    with sqlite3.connect(database) as db:  # a later shift start, written straight into the file
        stored = db.execute("SELECT schedule, event_id FROM schedule_version WHERE id = ?",
                            (added.version.version,)).fetchone()
        db.execute("UPDATE schedule_version SET schedule = ? WHERE id = ?",
                   (stored[0].replace(str(22 * 60), str(23 * 60)), added.version.version))
    reply = stub.VerifyLog(pb.VerifyLogRequest(), metadata=md)
    assert (reply.ok, reply.broken_event_id) == (False, stored[1]) and "schedule version" in reply.problem
    with sqlite3.connect(database) as db:  # the content back, the date moved instead
        db.execute("UPDATE schedule_version SET schedule = ?, effective_from = '2026-10-01' WHERE id = ?",
                   (stored[0], added.version.version))
    assert not stub.VerifyLog(pb.VerifyLogRequest(), metadata=md).ok
    broken = cli(live_node, "log", "verify", "--database", database)
    assert broken.returncode == 1 and f"BROKEN at event {stored[1]}" in broken.stdout


def test_schedule_versions_over_grpc_and_the_cli(stub, live_node, tmp_path):
    md = live_node.auth
    early = pb.Schedule(shifts=[pb.Shift(name="early", start_minute=7 * 60, end_minute=15 * 60, min_hours_present=6,
                                         window_before_minutes=60, window_after_minutes=120, tracked=True)],
                        patterns=[pb.WeeklyPattern(name="week", days=["early"] * 5 + ["", ""])], default_pattern="week")
    fixed = stub.UpdateSchedule(pb.UpdateScheduleRequest(schedule=early, effective_from="2026-11-01"),
                                metadata=(("authorization", f"Bearer {person_token(live_node, 'hr')}"),))
    assert (fixed.version.version, fixed.version.effective_from, fixed.version.actor) == (1, "2026-11-01", "hr")
    nights = pb.Schedule(shifts=[pb.Shift(name="night", start_minute=1320, end_minute=1800, min_hours_present=7,
                                          window_before_minutes=180, window_after_minutes=300)],
                         patterns=[pb.WeeklyPattern(name="nights", days=["night"] * 7)], default_pattern="nights")
    today = stub.UpdateSchedule(pb.UpdateScheduleRequest(schedule=nights, actor="hr"), metadata=md)
    assert (today.version.version, today.version.effective_from) == (2, "2026-11-23")  # the node's today
    assert [s.name for s in today.schedule.shifts] == ["night", "default"]

    now = stub.GetSchedule(pb.GetScheduleRequest(), metadata=md)
    assert (now.version.version, now.schedule.default_pattern, list(now.versions)) == (2, "nights", [])
    past = stub.GetSchedule(pb.GetScheduleRequest(at="2026-11-10"), metadata=md)
    assert (past.version.version, past.schedule.default_pattern) == (1, "week")
    before = stub.GetSchedule(pb.GetScheduleRequest(at="2026-10-31", history=True), metadata=md)
    assert (before.version.version, before.schedule.default_pattern) == (0, "default")
    assert [(v.version, v.effective_from, v.schedule.default_pattern) for v in before.versions] == [
        (1, "2026-11-01", "week"), (2, "2026-11-23", "nights")]
    for bad in (pb.GetScheduleRequest(at="10/11/2026"),
                pb.UpdateScheduleRequest(schedule=nights, actor="hr", effective_from="tomorrow")):
        with pytest.raises(grpc.RpcError) as info:
            (stub.GetSchedule if isinstance(bad, pb.GetScheduleRequest) else stub.UpdateSchedule)(bad, metadata=md)
        assert info.value.code() is grpc.StatusCode.INVALID_ARGUMENT and "YYYY-MM-DD" in info.value.details()

    shown = cli(live_node, "schedule", "show", "--at", "2026-11-10", *remote(live_node))
    assert shown.returncode == 0 and json.loads(shown.stdout)["defaultPattern"] == "week"
    assert "version 1 from 2026-11-01, set by hr" in shown.stderr
    file = tmp_path / "schedule.json"
    file.write_text(shown.stdout)
    changed = cli(live_node, "schedule", "set", str(file), "--from", "2026-11-20",
                  *remote(live_node, person_token(live_node, "hr-lead")))
    assert changed.returncode == 0 and "version 3 from 2026-11-20, set by hr-lead" in changed.stderr
    history = cli(live_node, "schedule", "history", *remote(live_node))
    assert history.returncode == 0, history.stderr
    assert [line.split(",")[0] for line in history.stdout.splitlines()] == [
        "version 1 from 2026-11-01", "version 3 from 2026-11-20", "version 2 from 2026-11-23"]
    assert "1 shift(s), 1 pattern(s), 0 holiday(s)" in history.stdout.splitlines()[0]
    admin = stub.ListEvents(pb.ListEventsRequest(event_types=[pb.EVENT_TYPE_ADMIN]), metadata=md).events
    assert ["back-dated" in e.reason for e in admin] == [True, False, True]  # newest first


def test_a_dated_settings_change_is_a_schedule_version_and_the_day_fields_reach_the_wire(stub, live_node):
    md = live_node.auth
    stub.UpsertPerson(pb.UpsertPersonRequest(person=pb.Person(person_id="eve", display_name="Eve")), metadata=md)
    for hour in (9, 15):  # 6 h on the default shift: its 60 min lunch (12:00-14:00) is deducted
        stub.RecordScan(pb.RecordScanRequest(person_id="eve", occurred_at=stamp(2026, 11, 20, hour)), metadata=md)
    mask = {"update_mask": {"paths": ["lunch_minutes"]}}
    with pytest.raises(grpc.RpcError) as info:
        stub.UpdateConfig(pb.UpdateConfigRequest(config=pb.NodeConfig(lunch_minutes=30), effective_from="24.11.2026",
                                                 **mask), metadata=md)
    assert info.value.code() is grpc.StatusCode.INVALID_ARGUMENT and "effective_from" in info.value.details()
    hr = (("authorization", "Bearer " + TokenBook(live_node.node.data_dir / TOKENS_FILE).add("hr", "admin")),)
    stub.UpdateConfig(pb.UpdateConfigRequest(config=pb.NodeConfig(lunch_minutes=30), effective_from="2026-11-24",
                                             **mask), metadata=hr)  # the version's actor is the token's owner
    history = stub.GetSchedule(pb.GetScheduleRequest(history=True), metadata=md).versions
    assert [(v.effective_from, v.actor, v.schedule.pay.lunch_minutes) for v in history] == [("2026-11-24", "hr", 30)]
    day = stub.GetTimecards(pb.GetTimecardsRequest(from_date="2026-11-20", to_date="2026-11-20", person_id="eve"),
                            metadata=md).timecards[0].days[0]
    assert (day.worked_minutes, day.break_deducted_minutes, day.paid_minutes, day.paid_hours, day.day_kind,
            len(day.punch_times), list(day.exceptions)) == (360, 60, 300, 5.0, pb.DAY_KIND_WORKDAY, 2, [])
    bad = pb.UpsertPersonRequest(person=pb.Person(person_id="eve", display_name="Eve", employed_from="2026-12-01",
                                                  employed_until="2026-11-01"),
                                 update_mask={"paths": ["employed_from", "employed_until"]})
    with pytest.raises(grpc.RpcError) as info:
        stub.UpsertPerson(bad, metadata=md)
    assert info.value.code() is grpc.StatusCode.INVALID_ARGUMENT and "before it starts" in info.value.details()
    mars = pb.Schedule(pay=pb.PayRules(time_zone="Mars/Olympus", work_start_hour=6, work_end_hour=22))
    with pytest.raises(grpc.RpcError) as info:
        stub.UpdateSchedule(pb.UpdateScheduleRequest(schedule=mars, actor="hr"), metadata=md)
    assert info.value.code() is grpc.StatusCode.INVALID_ARGUMENT and "pay rules: time_zone" in info.value.details()
