"""`edge-node monitor` against a real `edge-node serve`, in a real 80×24 tmux pane."""
from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import grpc
import pytest

from edge_node.gen.edge.attendance.v1 import attendance_pb2 as apb
from edge_node.gen.edge.attendance.v1 import attendance_pb2_grpc
from tests.ops.nodes import NODE_ENV as ENV
from tests.ops.tmux import Tmux

SECTIONS = ("Cameras", "Latency p50/p95 ms", "Last events", "Recognition · Sync · Host", "CPU", "mem", "disk")


def record_scan(address: str, token: str) -> None:
    with grpc.insecure_channel(address) as channel:
        stub = attendance_pb2_grpc.AttendanceServiceStub(channel)
        auth = (("authorization", f"Bearer {token}"),)
        stub.UpsertPerson(apb.UpsertPersonRequest(person=apb.Person(person_id="ada", display_name="Ada Lovelace",
                                                                    active=True)), metadata=auth)
        stub.RecordScan(apb.RecordScanRequest(person_id="ada", camera_id="door-1"), metadata=auth)


def monitor(*args: str) -> list[str]:
    return [sys.executable, "-m", "edge_node", "monitor", *args]


@pytest.fixture
def tmux(tmp_path: Path):
    panes: list[Tmux] = []

    def start(command: list[str]) -> Tmux:
        panes.append(Tmux(tmp_path, command))
        return panes[-1]

    yield start
    for pane in panes:
        pane.kill()


def test_dashboard_fits_shows_events_reconnects_and_quits(spawn_node, tmux, tmp_path: Path) -> None:
    node = spawn_node(env=ENV)
    pane = tmux(monitor("--target", node.address, "--token", node.token))
    screen = pane.wait_for("● online", *SECTIONS)
    lines = screen.rstrip("\n").split("\n")
    assert len(lines) <= 24 and max(len(line) for line in lines) <= 80
    assert "no events yet" in screen and "sync off" in screen

    record_scan(node.address, node.token)
    screen = pane.wait_for("Ada Lovelace", "ENTRY", "door-1")

    node.proc.kill()
    node.stop()
    pane.wait_for("reconnecting", "Ada Lovelace")  # the last snapshot stays on screen
    restarted = spawn_node(data_dir=node.data_dir, port=node.port, env=ENV)
    screen = pane.wait_for("● online", "Ada Lovelace")
    assert "reconnecting" not in screen

    pane.send_keys("q")
    pressed = time.monotonic()
    deadline = pressed + 20  # generous: the whole suite may be loading both cores
    while pane.exit_status() is None and time.monotonic() < deadline:
        time.sleep(0.1)
    assert pane.exit_status() == 0, f"monitor still running {time.monotonic() - pressed:.1f} s after q"

    once = subprocess.run(monitor("--target", restarted.address, "--token", restarted.token, "--once"),
                          capture_output=True, text=True, timeout=30)
    assert once.returncode == 0, once.stderr
    assert all(s in once.stdout for s in SECTIONS) and "Ada Lovelace" in once.stdout and "q quits" not in once.stdout
    refused = subprocess.run(monitor("--target", restarted.address, "--token", "wrong", "--once"),
                             capture_output=True, text=True, timeout=30)
    assert refused.returncode == 1 and "UNAUTHENTICATED" in refused.stderr


def test_dashboard_follows_its_own_pane_not_an_inherited_size(spawn_node, tmux, monkeypatch) -> None:
    """Started from a larger terminal (a tmux pane over SSH, as pytest passes on COLUMNS/LINES), the
    dashboard still draws inside its own 80×24 pane."""
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.setenv("LINES", "50")
    node = spawn_node(env=ENV)
    pane = tmux(monitor("--target", node.address, "--token", node.token))
    lines = pane.wait_for("● online", *SECTIONS).rstrip("\n").split("\n")
    assert len(lines) <= 24 and max(len(line) for line in lines) <= 80
