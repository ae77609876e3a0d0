"""`edge-node call` (grpcurl-style, from the node's own descriptors), the demo's printed commands, and the
shared output: tables, JSON, CSV whose cells a spreadsheet does not run."""
from __future__ import annotations

import csv
import io
import json
import os
import shlex
import subprocess

from edge_node.cli.output import safe_cell
from edge_node.cli.demo import admin_commands
from tests.cli.conftest import Cli, edge_node
from tests.conftest import LOOPBACK_ENV, REPO


def test_call_lists_and_describes_the_services_from_the_node_descriptors():
    services = edge_node("call", "list").stdout.split()
    assert "edge.attendance.v1.AttendanceService" in services and "edge.sync.v1.SyncService" in services
    methods = edge_node("call", "list", "NodeService").stdout.split()
    assert "edge.node.v1.NodeService/GetStatus" in methods
    described = edge_node("call", "describe", "AttendanceService/MovePunch").stdout
    assert "rpc MovePunch(edge.attendance.v1.MovePunchRequest) returns (edge.attendance.v1.MovePunchResponse);" \
        in described
    assert "  int64 event_id = 1;" in described and "message edge.attendance.v1.AttendanceEvent {" in described
    assert "map<string, string> person_patterns = 4;" in edge_node("call", "describe", "Schedule").stdout


def test_call_sends_json_and_prints_the_reply_as_json(plain_node, tmp_path):
    cli = Cli(plain_node)
    created = json.loads(cli.ok("call", "AttendanceService/UpsertPerson",
                                '{"person": {"person_id": "ann", "display_name": "Ann Lee"}}'))
    assert created["created"] is True and created["person"]["displayName"] == "Ann Lee"
    request = tmp_path / "scan.json"
    request.write_text('{"personId": "ann"}')
    scanned = json.loads(cli.ok("call", "edge.attendance.v1.AttendanceService/RecordScan", f"@{request}"))
    assert scanned["event"]["eventType"] == "EVENT_TYPE_ENTRY"
    from_stdin = cli.run("call", "AttendanceService.ListPersons", "-", stdin='{"pageSize": 1}')
    assert json.loads(from_stdin.stdout)["persons"][0]["personId"] == "ann"


def test_call_refuses_unknown_names_and_bad_json_as_usage_errors(plain_node):
    cli = Cli(plain_node)
    unknown = cli.run("call", "AttendanceService/ListPeople")
    assert unknown.returncode == 2 and "has no method 'ListPeople'" in unknown.stderr and "ListPersons" in unknown.stderr
    bad = cli.run("call", "AttendanceService/ListPersons", '{"page_size": "many"}')
    assert bad.returncode == 2 and "call describe AttendanceService/ListPersons" in bad.stderr
    refused = cli.run("call", "AttendanceService/GetPerson", '{"personId": "nobody"}')
    assert refused.returncode == 1 and refused.stderr.startswith("error: NOT_FOUND")


def test_every_command_the_demo_prints_runs_as_printed(plain_node):
    for what, command in admin_commands(plain_node.address, plain_node.data_dir):
        done = subprocess.run(shlex.split(command), capture_output=True, text=True, timeout=120, cwd=REPO,
                              env={**os.environ, **LOOPBACK_ENV})
        assert done.returncode == 0, f"{what}: {command}\n{done.stdout}{done.stderr}"
        assert not command.startswith(("buf ", "grpcurl ")), command


def test_csv_cells_that_a_spreadsheet_would_run_are_quoted_and_json_keeps_them(plain_node):
    cli = Cli(plain_node)
    for pid, name in [("e1", "=HYPERLINK(\"http://x\")"), ("e2", "+1"), ("e3", "@SUM(A1)"), ("e4", "Ann Lee")]:
        cli.ok("people", "add", pid, "--name", name)
    rows = list(csv.DictReader(io.StringIO(cli.ok("people", "list", "--csv"))))
    assert [r["name"] for r in rows] == ["'=HYPERLINK(\"http://x\")", "'+1", "'@SUM(A1)", "Ann Lee"]
    assert [p["name"] for p in cli.json("people", "list")][:1] == ["=HYPERLINK(\"http://x\")"]
    table = cli.ok("people", "list")
    assert "HYPERLINK" in table and "person id" in table


def test_safe_cell_leaves_numbers_and_plain_text_alone():
    assert [safe_cell(v) for v in (-3, 2.5, None, "-5", "\tx", "ok")] == [-3, 2.5, "", "'-5", "'\tx", "ok"]
