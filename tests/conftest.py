"""Fixtures shared by every test: shared-material location, real nodes on loopback ports."""
from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

import grpc
import pytest

from tests.postgres import hub_test_database
from tools.manual_clock import ManualClock
from tools.faults.procs import free_port, wait_until
from edge_node.config import Config, RecognitionConfig, load_config
from edge_node.attendance.rules import AttendanceRules
from edge_node.node import Node
from edge_node.server.app import ServerThread

REPO = Path(__file__).resolve().parent.parent
# Every extra listener of a test node on a free loopback port, and no mDNS: tests never listen beyond loopback.
LOOPBACK_ENV = {"EDGE_NODE_CAPTURE_LISTEN": "127.0.0.1:0", "EDGE_NODE_CAPTURE_MDNS": "false",
                "EDGE_NODE_KIOSK_LISTEN": "127.0.0.1:0"}


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """../shared beside the repo, or $EDGE_SHARED_DIR."""
    path = Path(os.environ.get("EDGE_SHARED_DIR", REPO.parent / "shared"))
    if not path.is_dir():
        pytest.fail(f"shared material not found at {path}; set EDGE_SHARED_DIR")
    return path


class LiveNode:
    """A real Node with its gRPC server on a loopback port, and an authorised channel to it."""

    def __init__(self, config: Config, clock: ManualClock) -> None:
        self.config = config
        self.clock = clock
        self.node = Node(config, clock)
        self.server = ServerThread(self.node, config.server)
        self.address = f"127.0.0.1:{self.server.port}"
        self.channel = grpc.insecure_channel(self.address)
        self.auth = (("authorization", f"Bearer {self.node.admin_token}"),)

    def stop(self) -> None:
        self.channel.close()
        self.server.stop(0)
        self.node.close()


def node_config(data_dir: Path, **rules) -> Config:
    """A node on free loopback ports with its data in `data_dir`; attendance rules in UTC unless given."""
    rules.setdefault("time_zone", "UTC")
    config = load_config(None, env=LOOPBACK_ENV)
    return replace(config, server=replace(config.server, listen="127.0.0.1:0"),
                   storage=replace(config.storage, data_dir=str(data_dir)), attendance=AttendanceRules(**rules))


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    """A PostgreSQL database for the hub tests: $EDGE_HUB_TEST_PG, else 127.0.0.1:5432/test, else a throwaway
    cluster started for this session (tests/postgres.py). $EDGE_HUB_TEST_PG names it for the session, so the
    fault tools' schemas and the scripts the tests run use the same database."""
    with hub_test_database() as url, pytest.MonkeyPatch.context() as patch:
        patch.setenv("EDGE_HUB_TEST_PG", url)
        yield url


@pytest.fixture
def clock() -> ManualClock:
    """Monday 2026-11-23 09:00 UTC."""
    return ManualClock(datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc))


@pytest.fixture
def live_node(tmp_path: Path, clock: ManualClock) -> Iterator[LiveNode]:
    node = LiveNode(node_config(tmp_path / "node"), clock)
    yield node
    node.stop()


@pytest.fixture(scope="module")
def recognition_node(tmp_path_factory, shared_dir: Path) -> Iterator[LiveNode]:
    """A node with recognition on the shared models (one per test module)."""
    config = node_config(tmp_path_factory.mktemp("node"))
    config = replace(config, recognition=RecognitionConfig(models_dir=str(shared_dir / "models")))
    node = LiveNode(config, ManualClock(datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc)))
    assert node.node.recognition is not None, node.node.recognition_error
    yield node
    node.stop()


class NodeProcess:
    """`edge-node serve` as a child process, as an operator runs it."""

    def __init__(self, data_dir: Path, port: int, extra_env: dict[str, str] | None = None) -> None:
        self.data_dir = data_dir
        self.port = port
        self.address = f"127.0.0.1:{port}"
        env = {**os.environ, "PYTHONUNBUFFERED": "1", **LOOPBACK_ENV, **(extra_env or {})}
        self.log_path = data_dir.parent / f"serve-{port}.log"
        self._log = open(self.log_path, "ab")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "edge_node", "serve", "--listen", self.address, "--data-dir", str(data_dir)],
            stdout=self._log, stderr=subprocess.STDOUT, env=env)
        self.wait_ready()

    def wait_ready(self, timeout: float = 20.0) -> None:
        channel = grpc.insecure_channel(self.address)
        try:
            grpc.channel_ready_future(channel).result(timeout=timeout)
        except grpc.FutureTimeoutError:
            raise AssertionError(f"node did not start; log:\n{self.log_path.read_text()}") from None
        finally:
            channel.close()

    @property
    def token(self) -> str:
        return (self.data_dir / "admin.token").read_text().strip()

    def log_text(self) -> str:
        return self.log_path.read_text()

    def stop(self, sig: int | None = None) -> int:
        if self.proc.poll() is None:
            if sig is None:
                self.proc.terminate()
            else:
                self.proc.send_signal(sig)
        code = self.proc.wait(timeout=30)
        self._log.close()
        return code


@pytest.fixture
def spawn_node(tmp_path: Path) -> Iterator:
    """Start `edge-node serve` processes; all are stopped at the end of the test."""
    started: list[NodeProcess] = []

    def spawn(data_dir: Path | None = None, port: int | None = None, env: dict[str, str] | None = None) -> NodeProcess:
        proc = NodeProcess(data_dir or tmp_path / "node", port or free_port(), env)
        started.append(proc)
        return proc

    yield spawn
    for proc in started:
        if proc.proc.poll() is None:
            proc.stop()


__all__ = ["LiveNode", "NodeProcess", "free_port", "node_config", "replace", "wait_until"]
