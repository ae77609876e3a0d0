"""The command line as a site manager runs it: `edge-node` subprocesses against a running `edge-node serve`."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import LOOPBACK_ENV, REPO, NodeProcess

EDGE_NODE = [sys.executable, "-m", "edge_node"]


def edge_node(*args: str, stdin: str | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    """One `edge-node` command; its exit code, stdout and stderr."""
    return subprocess.run([*EDGE_NODE, *args], capture_output=True, text=True, timeout=timeout, cwd=REPO,
                          input=stdin, env={**os.environ, **LOOPBACK_ENV})


@dataclass
class Cli:
    """Commands against one node, found the way a manager finds it: --target and the node's --data-dir."""

    node: NodeProcess

    def run(self, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
        return edge_node(*args, "--target", self.node.address, "--data-dir", str(self.node.data_dir), stdin=stdin)

    def ok(self, *args: str) -> str:
        done = self.run(*args)
        assert done.returncode == 0, f"edge-node {' '.join(args)} -> {done.returncode}\n{done.stdout}{done.stderr}"
        assert "Traceback" not in done.stderr, done.stderr
        return done.stdout

    def json(self, *args: str) -> Any:
        return json.loads(self.ok(*args, "--json"))


@pytest.fixture
def recognising_node(spawn_node, shared_dir: Path) -> NodeProcess:
    """`edge-node serve` with the shared models, its site in UTC."""
    return spawn_node(env={"EDGE_NODE_RECOGNITION_MODELS_DIR": str(shared_dir / "models"),
                           "EDGE_NODE_ATTENDANCE_TIME_ZONE": "UTC"})


@pytest.fixture
def plain_node(spawn_node) -> NodeProcess:
    """`edge-node serve` without recognition (quick to start), its site in UTC."""
    return spawn_node(env={"EDGE_NODE_RECOGNITION_ENABLED": "0", "EDGE_NODE_ATTENDANCE_TIME_ZONE": "UTC"})
