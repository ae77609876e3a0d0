"""scripts/install-pi --dry-run prints the whole plan, in order, and changes nothing."""
from __future__ import annotations

import re
import subprocess

from tests.conftest import REPO

PLAN = ("system packages", "service user edge-node", "virtual environment /opt/edge-node/venv",
        "edge-node[mdns,hub] from", "state directory /var/lib/edge-node", "configuration /etc/edge-node/edge-node.toml",
        "admin token", "TLS CA and certificate", "model files", "hub configuration /etc/edge-node/hub.toml",
        "unit /etc/systemd/system/edge-node.service", "unit /etc/systemd/system/edge-node-hub.service",
        "reload systemd", "enable and start edge-node.service edge-node-hub.service")


def test_dry_run_prints_every_step_in_order() -> None:
    result = subprocess.run([str(REPO / "scripts" / "install-pi"), "--dry-run", "--hub", "--models-from", "/srv/models"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    steps = re.findall(r"^\[(\d+)\] (.*)$", result.stdout, re.MULTILINE)
    assert [int(n) for n, _ in steps] == list(range(1, len(PLAN) + 1))
    for (_, line), expected in zip(steps, PLAN):
        assert line.startswith(expected), (line, expected)
    assert "+ systemctl enable --now edge-node.service edge-node-hub.service" in result.stdout
    assert "+ install -m 0644 " + str(REPO / "systemd" / "edge-node.service") in result.stdout
    assert result.stdout.rstrip().endswith("dry run, nothing changed")
    assert not (REPO / "opt").exists()


def test_unknown_option_is_refused() -> None:
    result = subprocess.run([str(REPO / "scripts" / "install-pi"), "--frobnicate"], capture_output=True, text=True)
    assert result.returncode == 2 and "unknown option --frobnicate" in result.stderr
