"""README.md's commands that the site manager's day does not run, as the README writes them (tests/cli/readme.py):
the shifts changed through a file, any RPC grpcurl-style, a colleague's token, the TLS fingerprint clients pin,
and `edge-node demo`."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import threading
from datetime import datetime, timezone
from pathlib import Path

from tests.cli.conftest import Cli, edge_node
from tests.cli.readme import BIN, ReadmeShell
from tests.conftest import LOOPBACK_ENV, REPO, LiveNode, node_config, replace
from tools.debroot.fresh import DemoWatch

SERVICES = ("AttendanceService", "CaptureService", "NodeService", "RecognitionService", "SyncService")


def test_the_shifts_are_changed_through_a_file(plain_node, tmp_path: Path):
    readme = ReadmeShell(plain_node.address, plain_node.data_dir, tmp_path)
    readme.ok("edge-node schedule show > schedule.json")
    schedule = json.loads((tmp_path / "schedule.json").read_text())
    [shift] = schedule["shifts"]
    assert (shift["name"], shift["lunchMinutes"]) == ("default", 60)
    shift["lunchMinutes"] = 30  # the edit: a half-hour lunch from today
    (tmp_path / "schedule.json").write_text(json.dumps(schedule))
    today = datetime.now(timezone.utc).date().isoformat()
    done = readme.run("edge-node schedule set schedule.json")
    assert done.returncode == 0 and f"version 1 from {today}, set by admin" in done.stderr, done.stdout + done.stderr
    readme.ok("edge-node schedule show > schedule.json")
    assert json.loads((tmp_path / "schedule.json").read_text())["shifts"][0]["lunchMinutes"] == 30


def test_any_rpc_grpcurl_style(plain_node, tmp_path: Path):
    readme = ReadmeShell(plain_node.address, plain_node.data_dir, tmp_path)
    assert readme.ok("edge-node call list").split() == [f"edge.{s.removesuffix('Service').lower()}.v1.{s}"
                                                        for s in SERVICES]
    Cli(plain_node).ok("people", "add", "emp001", "--name", "Ada Lovelace")
    listed = json.loads(readme.ok("edge-node call edge.attendance.v1.AttendanceService/ListPersons '{}'"))
    assert [(p["personId"], p["displayName"]) for p in listed["persons"]] == [("emp001", "Ada Lovelace")]


def test_a_colleagues_token_names_them_until_revoked(plain_node, tmp_path: Path):
    readme, cli = ReadmeShell(plain_node.address, plain_node.data_dir, tmp_path), Cli(plain_node)
    cli.ok("people", "add", "emp001", "--name", "Ada Lovelace")
    anna = readme.ok("edge-node token add anna --role manager").strip()
    as_anna = ("punch", "add", "--person", "emp001", "--at", "2026-11-23T17:00:00+01:00", "--reason", "forgot",
               "--target", plain_node.address, "--token", anna)
    added = edge_node(*as_anna)
    assert added.returncode == 0 and "PUNCH_ADDED for emp001 by anna" in added.stdout, added.stdout + added.stderr
    assert [e["by"] for e in cli.json("events", "list")] == ["anna"]
    assert [line.split()[:2] for line in readme.ok("edge-node token list").splitlines()[1:]] == \
        [["admin", "admin"], ["anna", "manager"]]
    assert "revoked the token of 'anna'" in readme.run("edge-node token revoke anna").stderr
    refused = edge_node(*as_anna)
    assert refused.returncode == 1 and "UNAUTHENTICATED" in refused.stdout + refused.stderr, refused.stderr
    assert "anna" not in readme.ok("edge-node token list")


def test_the_tls_fingerprint_shown_is_the_one_clients_pin(tmp_path: Path, clock):
    config = node_config(tmp_path / "node")
    node = LiveNode(replace(config, server=replace(config.server, tls=True)), clock)
    try:
        readme = ReadmeShell(node.address, node.node.data_dir, tmp_path)
        fingerprint = readme.ok("edge-node tls show").split("fingerprint: ")[1].split()[0]
        first = readme.run("edge-node people list")
        assert first.returncode == 0, first.stderr
        assert f"pinned the TLS certificate of {node.address}" in first.stderr and fingerprint in first.stderr
        assert fingerprint in (tmp_path / "known_nodes").read_text()
    finally:
        node.stop()


def test_the_demo_runs_until_ctrl_c(shared_dir: Path, tmp_path: Path):
    """`.venv/bin/edge-node demo` on free ports: it enrols its people, says it is ready, its simulated camera
    makes a punch, and Ctrl-C stops it cleanly."""
    free = [part for flag in ("--listen", "--camera-listen", "--kiosk-listen") for part in (flag, "127.0.0.1:0")]
    env = {**os.environ, **LOOPBACK_ENV, "EDGE_SHARED_DIR": str(shared_dir), "PYTHONUNBUFFERED": "1"}
    if (REPO.parent / "shared").resolve() == shared_dir.resolve():
        del env["EDGE_SHARED_DIR"]  # as the README has it: the demo finds ../shared beside the checkout itself
    proc = subprocess.Popen([str(BIN / "edge-node"), "demo", "--data-dir", str(tmp_path / "demo"), *free],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=tmp_path, env=env)
    watch = DemoWatch()
    reader = threading.Thread(target=watch.read, args=(proc.stdout,), daemon=True)
    reader.start()
    try:
        punched = watch.punched.wait(timeout=90)
        proc.send_signal(signal.SIGINT)
        code = proc.wait(timeout=30)
    finally:
        proc.kill()
        reader.join(timeout=10)
    output = "\n".join(watch.lines)
    assert punched, output
    assert any(line.startswith("edge-node demo: data in ") and "Ctrl-C stops" in line for line in watch.lines), output
    assert code == 0 and "stopping" in watch.lines, output
