"""scripts/fresh_root_check's parts that can be checked without a Debian root: the isolated namespace reaches
nothing of this machine but has a working loopback, the demo watch, and the reading of pytest's summary."""
from __future__ import annotations

import os
import shlex
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from tools.debroot.fresh import SUMMARY, DemoWatch, isolated

PROBE = """
import socket, sys
try:
    socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=5).close()
    print("reached")
except OSError:
    print("refused")
server = socket.create_server(("127.0.0.1", 0))
client = socket.create_connection(server.getsockname())
print("loopback", "up" if server.accept() and client else "down")
"""


@pytest.mark.skipif(os.geteuid() != 0, reason="network and mount namespaces need root")
def test_the_isolated_namespace_cannot_reach_this_machine_but_has_loopback(tmp_path: Path) -> None:
    with socket.create_server(("127.0.0.1", 0)) as host_service:  # stands for the host's PostgreSQL
        port = host_service.getsockname()[1]
        plain = subprocess.run([sys.executable, "-c", PROBE, str(port)], capture_output=True, text=True, timeout=60)
        assert plain.stdout.splitlines()[0] == "reached", plain.stdout + plain.stderr  # the probe can tell
        argv = isolated(Path("/"), f"{sys.executable} -c {shlex.quote(PROBE)} {port}", cwd=str(tmp_path))
        inside = subprocess.run(argv, capture_output=True, text=True, timeout=60)
    assert inside.returncode == 0, inside.stderr
    assert inside.stdout.splitlines() == ["refused", "loopback up"], inside.stdout + inside.stderr


def test_the_demo_watch_needs_enrolments_then_an_event() -> None:
    watch = DemoWatch()
    watch.read(iter(["  event   #1 ENTRY        ada\n", "enrolled: ada lovelace, alan turing\n",
                     "  camera  pairing\n"]))
    assert watch.enrolled.is_set() and not watch.punched.is_set()  # an event before the enrolments is not it
    watch.read(iter(["  event   #2 ENTRY        ada lovelace\n"]))
    assert watch.punched.is_set()


@pytest.mark.parametrize("line, found", [
    ("====== 812 passed, 3 skipped in 1534.20s (0:25:34) ======", "812 passed, 3 skipped in 1534.20s (0:25:34)"),
    ("=== 2 failed, 800 passed, 1 error in 99.00s ===", "2 failed, 800 passed, 1 error in 99.00s"),
    ("============================= test session starts ==============================", None),
])
def test_the_pytest_summary_line_is_found(line: str, found: str | None) -> None:
    match = SUMMARY.match(line)
    assert (match.group(1) if match else None) == found
