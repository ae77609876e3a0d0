"""docs/payroll-export.md's worked example, played on a real node (live scans on a manual clock, corrections
through the CLI) and exported with `edge-node report timecards`: every row and total the page shows must be
what the export writes."""
from __future__ import annotations

import csv
import io
import re
import subprocess
import sys
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Iterator
from zoneinfo import ZoneInfo

import pytest

from edge_node.attendance.schedule import Schedule, Shift, WeeklyPattern
from edge_node.gen.edge.attendance.v1 import attendance_pb2 as pb
from edge_node.gen.edge.attendance.v1 import attendance_pb2_grpc as pb_grpc
from tests.conftest import LiveNode, node_config
from tools.manual_clock import ManualClock

DOC = (Path(__file__).resolve().parents[2] / "docs" / "payroll-export.md").read_text()
BERLIN = ZoneInfo("Europe/Berlin")
DAY = Shift("day", 8 * 60, 16 * 60 + 30, grace_late_minutes=5, grace_early_minutes=5, lunch_start_minute=12 * 60,
            lunch_end_minute=14 * 60, lunch_minutes=30, min_hours_present=6.0)
NIGHT = Shift("night", 22 * 60, 30 * 60, lunch_start_minute=25 * 60, lunch_end_minute=27 * 60, lunch_minutes=30,
              min_hours_present=6.0, window_before_minutes=120, window_after_minutes=240)
SCHEDULE = Schedule(shifts=(DAY, NIGHT), patterns=(WeeklyPattern("days", ("day",) * 5 + ("", "")),
                                                   WeeklyPattern("nights", ("night",) * 5 + ("", ""))),
                    default_pattern="days", person_patterns={"e-042": "nights"}, holidays=frozenset({date(2026, 10, 5)}))


def berlin(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 10, day, hour, minute, tzinfo=BERLIN).astimezone(timezone.utc)


def doc_table(header: str) -> list[list[str]]:
    """The CSV block of the page that starts with `header`, as rows."""
    block = next(b for b in re.findall(r"```csv\n(.*?)```", DOC, re.S) if b.startswith(header))
    return list(csv.reader(io.StringIO(block)))


@pytest.fixture
def node(tmp_path: Path) -> Iterator[LiveNode]:
    live = LiveNode(node_config(tmp_path / "node", time_zone="Europe/Berlin"), ManualClock(berlin(1, 6)))
    yield live
    live.stop()


def cli(node: LiveNode, *args: str) -> subprocess.CompletedProcess:
    done = subprocess.run([sys.executable, "-m", "edge_node", *args, "--target", node.address, "--token",
                           node.node.admin_token], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr
    return done


def test_the_pages_worked_example_is_what_the_export_writes(node):
    stub, md = pb_grpc.AttendanceServiceStub(node.channel), node.auth
    for pid, name in (("e-017", "Ana Ruiz"), ("e-042", '=HYPERLINK("http://x","Pay")')):
        stub.UpsertPerson(pb.UpsertPersonRequest(person=pb.Person(person_id=pid, display_name=name)), metadata=md)
    node.node.store.set_schedule(SCHEDULE, "hr-admin", date(2026, 10, 1))

    def scan(pid: str, when: datetime) -> int:
        node.clock.set(when)
        return stub.RecordScan(pb.RecordScanRequest(person_id=pid), metadata=md).event.event_id

    for when in (berlin(1, 7, 58), berlin(1, 12, 5), berlin(1, 12, 40), berlin(1, 16, 45)):
        scan("e-017", when)
    scan("e-017", berlin(2, 8, 9))
    node.clock.set(berlin(5, 9))
    cli(node, "punch", "add", "--person", "e-017", "--at", "2026-10-02T16:30:00+02:00", "--reason",
        "forgot to check out; confirmed by team lead", "--actor", "hr-admin")
    scan("e-042", berlin(5, 21, 55))
    scan("e-042", berlin(6, 6, 4))
    scan("e-017", berlin(6, 8, 0))
    badge_test = scan("e-017", berlin(6, 15, 20))
    node.clock.set(berlin(7, 9))
    cli(node, "punch", "move", str(badge_test), "--at", "2026-10-06T16:35:00+02:00", "--reason",
        "left at 16:35; scan at 15:20 was a badge test", "--actor", "hr-admin")
    node.clock.set(berlin(8, 12))

    period = ("report", "timecards", "--from", "2026-10-01", "--to", "2026-10-06")
    rows = list(csv.reader(io.StringIO(cli(node, *period).stdout)))
    shown = doc_table("person_id,person_name,date,")
    assert rows[0] == shown[0]
    exported = {(r[0], r[2]): r for r in rows[1:]}
    for row in shown[1:]:
        assert exported[(row[0], row[2])] == row
    totals = list(csv.reader(io.StringIO(cli(node, *period, "--totals", "--person", "e-017").stdout)))
    assert totals == doc_table("person_id,person_name,present_days,")
