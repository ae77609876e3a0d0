"""`edge-node report timecards --format xlsx` through the real CLI against a real node: the workbook read back
with openpyxl holds the CSV's rows as typed cells, and a sheet of totals."""
from __future__ import annotations

import csv
import io
import subprocess
import sys
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Iterator

import pytest
from google.protobuf.timestamp_pb2 import Timestamp
from openpyxl import load_workbook

from edge_node.gen.edge.attendance.v1 import attendance_pb2 as pb
from edge_node.gen.edge.attendance.v1 import attendance_pb2_grpc as pb_grpc
from edge_node.payroll import COLUMNS, TOTAL_COLUMNS
from tests.conftest import LiveNode, node_config
from tools.manual_clock import ManualClock

ZONE = "Europe/Berlin"  # times in the workbook are wall-clock times of the site: not UTC, to see it
HOURS = {i for i, name in enumerate(COLUMNS) if name.endswith("_hours")}


@pytest.fixture
def node(tmp_path: Path) -> Iterator[LiveNode]:
    live = LiveNode(node_config(tmp_path / "node", time_zone=ZONE),
                    ManualClock(datetime(2026, 11, 26, 12, tzinfo=timezone.utc)))
    yield live
    live.stop()


def _scan(stub, node: LiveNode, person: str, *when: int) -> None:
    at = Timestamp()
    at.FromDatetime(datetime(*when, tzinfo=timezone.utc))
    stub.RecordScan(pb.RecordScanRequest(person_id=person, confidence=0.9, camera_id="door", occurred_at=at),
                    metadata=node.auth)


def _cli(node: LiveNode, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "edge_node", "report", "timecards", "--from", "2026-11-23",
                           "--to", "2026-11-25", "--target", node.address, "--token", node.node.admin_token, *args],
                          capture_output=True, text=True, timeout=60)


def _as_csv(column: int, value) -> str:
    """An openpyxl cell value as the CSV writes it (times: the CSV's offset is dropped, Excel has none)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if column == COLUMNS.index("date") else value.isoformat(timespec="seconds")
    return f"{value:.2f}" if column in HOURS else str(value)


def test_xlsx_export_holds_the_csv_rows_as_typed_cells_and_the_totals(node: LiveNode, tmp_path: Path) -> None:
    stub = pb_grpc.AttendanceServiceStub(node.channel)
    for person, name in (("ann", "Ann Smith"), ("bob", "Bob")):
        stub.UpsertPerson(pb.UpsertPersonRequest(person=pb.Person(person_id=person, display_name=name)),
                          metadata=node.auth)
    for day in (23, 24):
        _scan(stub, node, "ann", 2026, 11, day, 8, 5)
        _scan(stub, node, "ann", 2026, 11, day, 16, 40)
    _scan(stub, node, "bob", 2026, 11, 24, 9, 30)  # no exit: an open day

    listed = _cli(node)
    assert listed.returncode == 0, listed.stderr
    csv_rows = list(csv.reader(io.StringIO(listed.stdout)))
    out = tmp_path / "november.xlsx"
    done = _cli(node, "--format", "xlsx", "--output", str(out))
    assert done.returncode == 0 and done.stdout == "" and done.stderr == "", done.stderr

    book = load_workbook(out)
    assert book.sheetnames == ["timecards", "totals"]
    cards = book["timecards"]
    assert cards.freeze_panes == "A2"
    cells = [list(row) for row in cards.iter_rows(values_only=True)]
    assert all(cards.cell(r, c + 1).number_format == "0.00" for r in range(2, len(cells) + 1) for c in HOURS)
    assert tuple(cells[0]) == COLUMNS == tuple(csv_rows[0])
    assert len(cells) == len(csv_rows) == 1 + 2 * 3
    first_in, worked = COLUMNS.index("first_in"), COLUMNS.index("worked_hours")
    for typed, text in zip(cells[1:], csv_rows[1:]):
        assert isinstance(typed[COLUMNS.index("date")], datetime)  # openpyxl reads Excel dates as datetimes
        assert isinstance(typed[worked], (int, float)) and isinstance(typed[COLUMNS.index("punches")], int)
        expected = [*text]
        for column in (first_in, COLUMNS.index("last_out")):  # "2026-11-23T09:05:00+01:00" -> wall-clock time
            expected[column] = expected[column][:19]
        assert [_as_csv(c, v) for c, v in enumerate(typed)] == expected
    ann_monday = next(r for r in cells[1:] if r[0] == "ann" and r[2] == datetime(2026, 11, 23))
    assert ann_monday[first_in] == datetime(2026, 11, 23, 9, 5)  # 08:05 UTC in Berlin
    assert ann_monday[worked] > 7 and any(r[0] == "bob" and r[first_in] for r in cells[1:])

    total_rows = [list(row) for row in book["totals"].iter_rows(values_only=True)]
    assert tuple(total_rows[0]) == TOTAL_COLUMNS
    reply = stub.GetTimecards(pb.GetTimecardsRequest(from_date="2026-11-23", to_date="2026-11-25"), metadata=node.auth)
    assert [(r[0], r[TOTAL_COLUMNS.index("present_days")]) for r in total_rows[1:]] == [
        (c.person_id, c.totals.present_days) for c in reply.timecards]
    # The totals add up the rows as shown (2 decimals), not the unrounded hours behind them.
    assert round(sum(float(r[worked]) for r in csv_rows[1:] if r[0] == "ann"), 2) == total_rows[1][
        TOTAL_COLUMNS.index("worked_hours")]


def test_xlsx_needs_a_file_to_write(node: LiveNode) -> None:
    done = _cli(node, "--format", "xlsx")
    assert done.returncode == 2 and "--output FILE" in done.stderr and "Traceback" not in done.stderr


def test_the_workbook_keeps_dates_as_dates(tmp_path: Path) -> None:
    from edge_node.workbook import Sheet, write_workbook
    write_workbook(tmp_path / "t.xlsx", [Sheet("s", ("day", "hours", "n", "note"), [[date(2026, 1, 2), 1.5, 3, ""]])])
    page = load_workbook(tmp_path / "t.xlsx")["s"]
    assert page["A2"].is_date and page["A2"].number_format == "yyyy-mm-dd"
    assert (page["B2"].value, page["B2"].number_format, page["C2"].value, page["D2"].value) == (1.5, "0.00", 3, None)
