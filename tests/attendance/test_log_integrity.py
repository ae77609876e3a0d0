"""Refusing to report what is gone or forged: a deleted record is named, a node serving an edited log warns
at start and marks its timecards, and a period pruned from the box is refused with a pointer to the hub
(real node on loopback, real SQLite files, the real CLI, a manual clock)."""
from __future__ import annotations

import logging
import sqlite3
import subprocess
import sys
from datetime import date, datetime, timezone
from pathlib import Path

import grpc
import pytest

from edge_node.attendance.rules import AttendanceRules
from edge_node.attendance.store import AttendanceStore
from edge_node.attendance.verify import verify_log
from edge_node.common.errors import FailedPrecondition
from edge_node.gen.edge.attendance.v1 import attendance_pb2 as pb
from edge_node.gen.edge.attendance.v1 import attendance_pb2_grpc as pb_grpc
from edge_node.gen.edge.node.v1 import node_pb2
from edge_node.gen.edge.node.v1 import node_pb2_grpc
from edge_node.storage.chain import HASHED_COLUMNS, event_hash
from edge_node.storage.timestamps import to_us
from edge_node.sync.outbox import Outbox
from tests.conftest import LiveNode, node_config
from tools.manual_clock import ManualClock

START = datetime(2026, 10, 1, 7, 0, tzinfo=timezone.utc)


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "edge_node", *args], capture_output=True, text=True, timeout=60)


def fill_october(path: Path) -> tuple[AttendanceStore, ManualClock]:
    """Ann and Bob punch in at 07:00 and out at 15:00 every day of October 2026: 124 events, 2 per person-day."""
    clock = ManualClock(START)
    store = AttendanceStore.open(path, AttendanceRules(time_zone="UTC"), clock)
    for pid in ("ann", "bob"):
        store.persons.upsert(pid, pid.title())
    for day in range(31):
        for hour in (7, 15):
            clock.set(START.replace(day=day + 1, hour=hour))
            for pid in ("ann", "bob"):
                store.log.record_scan(pid)
    return store, clock


def test_log_verify_names_a_deleted_record_as_missing(tmp_path):
    store, _ = fill_october(tmp_path / "edge.db")
    database = store.tables.db.database
    store.close()
    with sqlite3.connect(database) as db:
        db.execute("DELETE FROM event WHERE id = 88")
    out = cli("log", "verify", "--database", database)
    assert out.returncode == 1
    assert "BROKEN at event 88: record 88 is missing" in out.stdout, out.stdout


def test_a_run_of_deleted_records_is_named_as_a_range(tmp_path):
    store, _ = fill_october(tmp_path / "edge.db")
    store.tables.db.execute_sql("DELETE FROM event WHERE id IN (101, 102, 103)")
    result = verify_log(store.tables)
    assert (result.broken.seq, result.checked) == (101, 100)
    assert result.broken.problem.startswith("records 101-103 are missing")
    store.close()


def test_a_node_serving_an_edited_log_warns_at_start_and_marks_its_reports(tmp_path, caplog):
    config = node_config(tmp_path / "node")
    store, clock = fill_october(config.storage.database_path)
    store.close()
    with sqlite3.connect(config.storage.database_path) as db:  # Bob's Oct 9 exit "moved" two hours later
        db.execute("UPDATE event SET occurred_us = occurred_us + 7200000000 WHERE id = 34")
    caplog.set_level(logging.WARNING)
    node = LiveNode(config, ManualClock(datetime(2026, 11, 2, 9, tzinfo=timezone.utc)))
    try:
        assert "attendance log is BROKEN at event 34" in caplog.text
        status = node_pb2_grpc.NodeServiceStub(node.channel).GetStatus(node_pb2.GetStatusRequest(), metadata=node.auth)
        assert any("BROKEN at event 34" in w for w in status.status.warnings), status.status.warnings
        stub = pb_grpc.AttendanceServiceStub(node.channel)
        reply = stub.GetTimecards(pb.GetTimecardsRequest(from_date="2026-10-01", to_date="2026-10-31"), metadata=node.auth)
        assert (reply.log_verification.ok, reply.log_verification.broken_event_id) == (False, 34)
        assert "changed after it was recorded" in reply.log_verification.problem
        report = stub.GetDailyReport(pb.GetDailyReportRequest(local_date="2026-10-09"), metadata=node.auth)
        assert not report.log_verification.ok
    finally:
        node.stop()


def test_an_edit_made_while_the_node_runs_is_caught_for_the_period_it_touches(tmp_path):
    store, clock = fill_october(tmp_path / "edge.db")
    try:
        assert store.reports.log_state(date(2026, 10, 1), date(2026, 10, 31)).ok  # verified once, then kept
        store.tables.db.execute_sql("UPDATE event SET occurred_us = occurred_us - 3600000000 WHERE id = 70")
        assert store.reports.log_state(date(2026, 10, 1), date(2026, 10, 5)).ok  # event 70 is not in these days
        state = store.reports.log_state(date(2026, 10, 15), date(2026, 10, 20))
        assert (state.ok, state.broken.seq) == (False, 70)
        assert not store.reports.log_state(date(2026, 10, 1), date(2026, 10, 5)).ok  # a break, once found, stays
    finally:
        store.close()


def test_a_log_rewritten_and_rehashed_while_the_node_runs_is_caught_at_the_verified_head(tmp_path):
    store, clock = fill_october(tmp_path / "edge.db")
    try:
        assert store.integrity.current().ok
        db = store.tables.db
        db.execute_sql("UPDATE event SET occurred_us = occurred_us + 3600000000 WHERE id = 100")
        prev = db.execute_sql("SELECT hash FROM event WHERE id = 99").fetchone()[0]
        for row in list(db.execute_sql(f"SELECT {HASHED_COLUMNS} FROM event WHERE id >= 100 ORDER BY id")):
            digest = event_hash(prev, *row)  # the forger recomputes every hash from the edit on
            db.execute_sql("UPDATE event SET prev_hash = ?, hash = ? WHERE id = ?", (prev, digest, row[0]))
            prev = digest
        assert verify_log(store.tables).ok  # self-consistent: only the hash kept at the head can tell
        state = store.integrity.current()
        assert (state.ok, state.broken.seq) == (False, 124) and "rewritten" in state.broken.problem
    finally:
        store.close()


def test_new_events_are_verified_incrementally_from_the_kept_head(tmp_path):
    store, clock = fill_october(tmp_path / "edge.db")
    try:
        assert store.integrity.current().checked == 124
        clock.set(datetime(2026, 11, 2, 7, tzinfo=timezone.utc))
        store.log.record_scan("ann")
        state = store.integrity.current()
        assert (state.ok, state.checked, state.head_seq) == (True, 125, 125)
    finally:
        store.close()


def test_a_period_pruned_from_the_box_is_refused_pointing_to_the_hub(tmp_path):
    config = node_config(tmp_path / "node")
    store, clock = fill_october(config.storage.database_path)
    clock.set(datetime(2027, 1, 10, 9, tzinfo=timezone.utc))
    kept_days = store.reports.timecards(date(2026, 10, 16), date(2026, 10, 31))
    # The hub acknowledged everything; events up to Oct 15 are pruned (as the sync worker does after 90 days).
    assert Outbox(store.tables).prune(acked_seq=124, older_than_us=to_us(datetime(2026, 10, 16, tzinfo=timezone.utc))) == 60
    assert store.integrity.current().ok  # what remains links to the kept anchor
    with pytest.raises(FailedPrecondition, match="events up to 2026-10-15 were pruned .* ask the hub"):
        store.reports.timecards(date(2026, 10, 1), date(2026, 10, 31))
    with pytest.raises(FailedPrecondition, match="from 2026-10-16 on"):
        store.reports.timecards(date(2026, 10, 15), date(2026, 10, 15))
    assert store.reports.timecards(date(2026, 10, 16), date(2026, 10, 31)) == kept_days  # the days still here
    store.close()
    node = LiveNode(config, clock)
    try:
        stub = pb_grpc.AttendanceServiceStub(node.channel)
        with pytest.raises(grpc.RpcError) as refused:
            stub.GetTimecards(pb.GetTimecardsRequest(from_date="2026-09-01", to_date="2026-10-31"), metadata=node.auth)
        assert refused.value.code() is grpc.StatusCode.FAILED_PRECONDITION
        assert "ask the hub" in refused.value.details()
        with pytest.raises(grpc.RpcError) as daily:
            stub.GetDailyReport(pb.GetDailyReportRequest(local_date="2026-10-02"), metadata=node.auth)
        assert daily.value.code() is grpc.StatusCode.FAILED_PRECONDITION
        export = cli("report", "timecards", "--from", "2026-10-01", "--to", "2026-10-31", "--target", node.address,
                     "--token", node.node.admin_token)
        assert export.returncode == 1 and export.stdout == "" and "Traceback" not in export.stderr
        assert "FAILED_PRECONDITION" in export.stderr and "ask the hub" in export.stderr
    finally:
        node.stop()


def test_an_anchor_kept_before_the_pruned_time_was_recorded_refuses_before_the_oldest_event(tmp_path):
    store, clock = fill_october(tmp_path / "edge.db")
    try:
        Outbox(store.tables).prune(acked_seq=124, older_than_us=to_us(datetime(2026, 10, 11, tzinfo=timezone.utc)))
        anchor = store.tables.db.execute_sql("SELECT value FROM setting WHERE key = 'chain_anchor'").fetchone()[0]
        assert '"until_us"' in anchor
        store.tables.db.execute_sql("UPDATE setting SET value = ? WHERE key = 'chain_anchor'",
                                    (anchor.split(', "until_us"')[0] + "}",))  # as an older version kept it
        # The oldest event left is Oct 11 07:00; earlier ones that day may have gone: the day is refused too.
        with pytest.raises(FailedPrecondition, match="events up to 2026-10-11 were pruned"):
            store.reports.timecards(date(2026, 10, 11), date(2026, 10, 12))
        assert len(store.reports.timecards(date(2026, 10, 12), date(2026, 10, 13))) == 2
    finally:
        store.close()


def test_a_pay_rule_change_by_settings_verifies_and_an_edit_of_its_version_is_caught(tmp_path):
    node = LiveNode(node_config(tmp_path / "node"), ManualClock(datetime(2026, 11, 23, 9, tzinfo=timezone.utc)))
    try:
        stub = pb_grpc.AttendanceServiceStub(node.channel)
        stub.UpdateConfig(pb.UpdateConfigRequest(config=pb.NodeConfig(lunch_minutes=30), effective_from="2026-11-24",
                                                 actor="hr", update_mask={"paths": ["lunch_minutes"]}), metadata=node.auth)
        assert stub.VerifyLog(pb.VerifyLogRequest(), metadata=node.auth).ok  # "schedule version 1 (pay rules ...)"
        node.node.store.tables.db.execute_sql("UPDATE schedule_version SET effective_from = '2026-11-01'")
        reply = stub.VerifyLog(pb.VerifyLogRequest(), metadata=node.auth)
        assert not reply.ok and "schedule version 1 differs" in reply.problem
    finally:
        node.stop()
