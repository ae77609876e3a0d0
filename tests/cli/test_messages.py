"""Every command's messages and exit codes: 0 ok, 1 refused, 2 usage, 3 node unreachable; each message names
what to act on (the address, the token file, the limit, the day that does not exist)."""
from __future__ import annotations

import os
import subprocess

import pytest

from tests.cli.conftest import EDGE_NODE, Cli, edge_node
from tests.conftest import LOOPBACK_ENV, REPO, free_port

REFUSED, UNREACHABLE = 1, 3


@pytest.fixture(scope="module")
def closed_target() -> str:
    return f"127.0.0.1:{free_port()}"


def _one_error_line(done: subprocess.CompletedProcess) -> str:
    assert "Traceback" not in done.stderr, done.stderr
    errors = [line for line in done.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == 1, done.stdout + done.stderr
    return errors[0]


@pytest.mark.parametrize("command", [
    ["people", "list"], ["people", "add", "ann", "--name", "Ann Lee"], ["events", "list", "--from", "2026-11-23"], ["who-is-in"],
    ["report", "day"], ["report", "timecards", "--from", "2026-11-01", "--to", "2026-11-30"],
    ["punch", "void", "7", "--reason", "test scan"], ["log", "verify"], ["schedule", "show"],
    ["call", "AttendanceService/GetWhoIsIn"], ["enroll", "--person", "ann", "--name", "Ann Lee", "{photo}"],
    ["monitor", "--once"]], ids=lambda c: " ".join(c[:2]))
def test_every_command_exits_3_naming_the_address_when_no_node_answers(command, closed_target, shared_dir):
    photo = str(sorted((shared_dir / "data" / "faces" / "Bill_Gates").glob("*.jpg"))[0])
    args = [photo if part == "{photo}" else part for part in command]
    done = edge_node(*args, "--target", closed_target, "--token", "a-token-that-is-long-enough-for-the-check")
    assert (done.returncode, done.stdout) == (UNREACHABLE, ""), done.stdout + done.stderr
    line = _one_error_line(done)
    assert f"no node answers at {closed_target}" in line and "edge-node serve" in line


def test_a_wrong_token_is_refused_on_stderr_naming_the_file_it_came_from(plain_node, tmp_path):
    elsewhere = tmp_path / "other-node"
    elsewhere.mkdir()
    (elsewhere / "admin.token").write_text("not-this-nodes-token-but-long-enough-1234567\n")
    schedule = tmp_path / "schedule.json"
    schedule.write_text("{}")
    for command in (["people", "list", "--json"], ["punch", "void", "7", "--reason", "test scan"],
                    ["punch", "add", "--person", "ann", "--at", "2026-11-23T17:00:00+01:00", "--reason", "forgot"],
                    ["schedule", "show"], ["schedule", "set", str(schedule)], ["report", "day", "--csv"],
                    ["report", "timecards", "--from", "2026-11-01", "--to", "2026-11-30"], ["log", "verify"],
                    ["enroll", "--person", "ann", "--list"]):
        done = edge_node(*command, "--target", plain_node.address, "--data-dir", str(elsewhere))
        assert (done.returncode, done.stdout) == (REFUSED, ""), f"{command}: {done.stdout}{done.stderr}"
        line = _one_error_line(done)
        assert "UNAUTHENTICATED" in line and str(elsewhere / "admin.token") in line, command


def test_a_missing_token_file_is_a_usage_error_naming_the_file(plain_node, tmp_path):
    done = edge_node("who-is-in", "--target", plain_node.address, "--data-dir", str(tmp_path))
    assert done.returncode == 2
    assert str(tmp_path / "admin.token") in _one_error_line(done)


def test_a_30_mb_photo_is_refused_with_the_limit_in_mb(plain_node, tmp_path):
    photo = tmp_path / "huge.jpg"
    photo.write_bytes(b"\xff\xd8" + b"\0" * 30_000_000)
    done = Cli(plain_node).run("enroll", "--person", "ann", "--name", "Ann Lee", str(photo))
    assert done.returncode == 1
    line = _one_error_line(done)
    assert "30.0 MB" in line and "at most 8.4 MB" in line and "server.max_message_bytes" in line


@pytest.mark.parametrize("command", [["events", "list", "--from", "2026-02-30"],
                                     ["report", "day", "2026-02-30"],
                                     ["report", "timecards", "--from", "2026-02-30", "--to", "2026-03-31"]],
                         ids=lambda c: " ".join(c[:2]))
def test_a_day_that_does_not_exist_is_a_usage_error_saying_so(command):
    done = edge_node(*command)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "February 2026 has no day 30" in done.stderr


@pytest.mark.parametrize("command", [
    ["punch", "add", "--person", "ann", "--at", "2026-11-23T17:00", "--reason", "forgot"],
    ["punch", "move", "7", "--reason", "wrong person"], ["schedule", "set", "{missing}"],
    ["log", "verify", "--database", "{missing}"],
    ["report", "timecards", "--from", "2026-11-01", "--to", "2026-11-30", "--format", "xlsx"]],
    ids=lambda c: " ".join(c[:2] + c[-1:]))
def test_a_wrong_argument_or_file_is_a_usage_error_on_stderr(command, tmp_path):
    missing = str(tmp_path / "missing.json")
    done = edge_node(*[missing if part == "{missing}" else part for part in command])
    assert (done.returncode, done.stdout) == (2, ""), done.stdout + done.stderr
    _one_error_line(done)


def test_a_badly_written_day_shows_the_form():
    done = edge_node("events", "list", "--to", "23/11/2026")
    assert done.returncode == 2 and "is not a day written YYYY-MM-DD" in done.stderr


def test_the_hub_without_its_database_says_so_in_one_error_line(tmp_path):
    database = f"postgresql://postgres@127.0.0.1:{free_port()}/edge_hub"
    done = edge_node("hub", "--database", database, "--data-dir", str(tmp_path))
    assert done.returncode == 2
    line = _one_error_line(done)
    assert database in line and "--database" in line
    assert done.stderr.startswith("error: "), "no timestamped log line first"


@pytest.mark.parametrize("command", [["schedule", "show"], ["events", "list"], ["call", "describe", "AttendanceService"]],
                         ids=lambda c: " ".join(c[:2]))
def test_a_reader_that_leaves_early_gets_no_traceback(plain_node, command):
    Cli(plain_node).ok("people", "add", "ann", "--name", "Ann Lee")
    args = [*EDGE_NODE, *command] + (["--target", plain_node.address, "--data-dir", str(plain_node.data_dir)]
                                     if command[0] != "call" else [])
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=REPO,
                            env={**os.environ, **LOOPBACK_ENV})
    proc.stdout.close()  # `| head` that has read what it wanted
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err.decode()
    assert b"Traceback" not in err and b"BrokenPipeError" not in err, err.decode()
