"""The systemd units pass `systemd-analyze verify`; `edge-node serve` speaks the notify protocol."""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import REPO, free_port
from tests.ops.nodes import NODE_ENV

UNITS = ("edge-node.service", "edge-node-hub.service")
INSTALLED_BINARY = "/opt/edge-node/venv/bin/edge-node"


def test_units_verify_without_warnings(tmp_path: Path) -> None:
    """verify needs ExecStart to exist: the units are checked as written, with the binary path moved to a temp copy."""
    if shutil.which("systemd-analyze") is None:
        pytest.fail("systemd-analyze is missing (scripts/setup installs the Debian systemd package)")
    binary = tmp_path / "venv" / "bin" / "edge-node"
    binary.parent.mkdir(parents=True)
    binary.symlink_to(Path(sys.executable).parent / "edge-node")
    paths = []
    for unit in UNITS:
        text = (REPO / "systemd" / unit).read_text()
        assert f"ExecStart={INSTALLED_BINARY} " in text and "Type=notify" in text and "WatchdogSec=" in text
        (tmp_path / unit).write_text(text.replace(INSTALLED_BINARY, str(binary)))
        paths.append(str(tmp_path / unit))
    result = subprocess.run(["systemd-analyze", "verify", *paths], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and result.stdout + result.stderr == "", result.stdout + result.stderr


def test_serve_sends_ready_then_watchdog_pings(tmp_path: Path) -> None:
    sock_path = tmp_path / "notify.sock"
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
        sock.bind(str(sock_path))
        sock.settimeout(20)
        env = {**os.environ, **NODE_ENV, "NOTIFY_SOCKET": str(sock_path), "WATCHDOG_USEC": "200000",
               "JOURNAL_STREAM": "8:1234"}
        proc = subprocess.Popen([sys.executable, "-m", "edge_node", "serve", "--listen", f"127.0.0.1:{free_port()}",
                                 "--data-dir", str(tmp_path / "node")], env=env, stderr=subprocess.PIPE, text=True)
        try:
            messages = [sock.recv(4096).decode() for _ in range(3)]
            proc.terminate()
            messages.append(sock.recv(4096).decode())
            while messages[-1] == "WATCHDOG=1":
                messages.append(sock.recv(4096).decode())
        finally:
            proc.terminate()
            _, log = proc.communicate(timeout=30)
    assert messages[:3] == ["READY=1", "WATCHDOG=1", "WATCHDOG=1"]
    assert messages[-1] == "STOPPING=1"
    assert proc.returncode == 0
    # Under journald the lines carry level and logger but no time of their own.
    first = log.splitlines()[0]
    assert first.split(" ", 1)[0] in ("INFO", "WARNING", "ERROR") and " edge_node." in first, log
    assert time.strftime("%Y-") not in log


def test_node_unit_reaches_cameras_and_gpus_and_stays_hardened(tmp_path: Path) -> None:
    """Devices through a closed DeviceAllow= list (PrivateDevices=yes would hide /dev/video* and the GPUs),
    and `systemd-analyze security` still rates the unit's exposure low."""
    text = (REPO / "systemd" / "edge-node.service").read_text()
    assert "\nPrivateDevices=" not in text and "\nDevicePolicy=closed\n" in text
    for device in ("char-video4linux", "char-drm", "char-nvidia-frontend", "/dev/nvmap", "/dev/nvhost-ctrl-gpu"):
        assert f"DeviceAllow={device} rw" in text
    assert "SupplementaryGroups=video" in text
    unit = tmp_path / "edge-node.service"
    unit.write_text(text)
    result = subprocess.run(["systemd-analyze", "security", "--offline=true", str(unit)], capture_output=True,
                            text=True, timeout=60)
    exposure = float(result.stdout.rsplit("Overall exposure level for edge-node.service:", 1)[1].split()[0])
    assert exposure <= 2.0, result.stdout[-2000:]
