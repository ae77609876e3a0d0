"""The node and the hub as real child processes (`edge-node serve`, `edge-node hub`), and hub schemas in PostgreSQL."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator, Sequence

import grpc

from edge_node.gen.edge.sync.v1 import sync_pb2, sync_pb2_grpc

DEFAULT_PG_URL = "postgresql://postgres@127.0.0.1:5432/test"


def pg_url() -> str:
    """$EDGE_HUB_TEST_PG when called (a test session points it at its throwaway cluster), else the usual address."""
    return os.environ.get("EDGE_HUB_TEST_PG", DEFAULT_PG_URL)


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def wait_port(address: str, timeout: float, proc: subprocess.Popen | None = None) -> bool:
    """True once a TCP connection to HOST:PORT succeeds; False on timeout or when `proc` exits."""
    host, _, port = address.rpartition(":")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            return False
        try:
            socket.create_connection((host, int(port)), timeout=0.5).close()
            return True
        except OSError:
            time.sleep(0.05)
    return False


class Child:
    """A child process with its output appended to a log file; started by start(), killed or stopped by signal."""

    def __init__(self, argv: Sequence[str], address: str, log_path: Path, env: dict[str, str] | None = None,
                 prefix: Sequence[str] = ()) -> None:
        self.argv = [*prefix, *argv]
        self.address = address
        self.log_path = log_path
        self.env = {**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})}
        self.proc: subprocess.Popen | None = None
        self.capture_address = ""

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def start(self, timeout: float = 30.0) -> "Child":
        with open(self.log_path, "ab") as log:
            self.proc = subprocess.Popen(self.argv, stdout=log, stderr=subprocess.STDOUT, env=self.env)
        if not wait_port(self.address, timeout, self.proc):
            self.stop(signal.SIGKILL)
            raise RuntimeError(f"{self.argv[:4]} did not start listening on {self.address}; log:\n{self.log_tail()}")
        return self

    def kill9(self) -> None:
        self.stop(signal.SIGKILL)

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 30.0) -> int | None:
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            return self.proc.wait(timeout)

    def log_tail(self, chars: int = 4000) -> str:
        return self.log_path.read_text(errors="replace")[-chars:] if self.log_path.exists() else ""


def node_child(data_dir: Path, address: str, env: dict[str, str] | None = None, prefix: Sequence[str] = ()) -> Child:
    """`edge-node serve` on `address` with its data in `data_dir` (not started). Its camera ingest listens on a
    free port of the same host (kept across restarts, `child.capture_address`); no mDNS, no kiosk."""
    data_dir.mkdir(parents=True, exist_ok=True)
    host = address.rpartition(":")[0]
    capture = f"{host}:{free_port()}"
    quiet = {"EDGE_NODE_CAPTURE_LISTEN": capture, "EDGE_NODE_CAPTURE_MDNS": "0", "EDGE_NODE_KIOSK_ENABLED": "0"}
    argv = [sys.executable, "-m", "edge_node", "serve", "--listen", address, "--data-dir", str(data_dir)]
    child = Child(argv, address, data_dir.parent / f"{data_dir.name}-serve.log", {**quiet, **(env or {})}, prefix)
    child.capture_address = capture
    return child


def hub_child(database: str, data_dir: Path, address: str, env: dict[str, str] | None = None) -> Child:
    """`edge-node hub` on `address` storing into `database` (not started)."""
    data_dir.mkdir(parents=True, exist_ok=True)
    argv = [sys.executable, "-m", "edge_node", "hub", "--listen", address, "--database", database,
            "--data-dir", str(data_dir)]
    return Child(argv, address, data_dir.parent / f"{data_dir.name}-hub.log", env)


def sync_env(hub_address: str, node_id: str, token: str, rpc_timeout: float = 5.0) -> dict[str, str]:
    """Environment for a node that syncs with the hub at once and retries quickly."""
    return {"EDGE_NODE_SYNC_ENABLED": "1", "EDGE_NODE_SYNC_HUB": hub_address, "EDGE_NODE_SYNC_NODE_ID": node_id,
            "EDGE_NODE_SYNC_TOKEN": token, "EDGE_NODE_SYNC_INTERVAL_SECONDS": "0.2",
            "EDGE_NODE_SYNC_BACKOFF_INITIAL_SECONDS": "0.1", "EDGE_NODE_SYNC_BACKOFF_MAX_SECONDS": "1",
            "EDGE_NODE_SYNC_RPC_TIMEOUT_SECONDS": str(rpc_timeout), "EDGE_NODE_ATTENDANCE_TIME_ZONE": "UTC"}


def hub_token(data_dir: Path) -> str:
    return (data_dir / "hub-admin.token").read_text().strip()


def create_hub_node(hub_address: str, admin_token: str, node_id: str,
                    credentials: grpc.ChannelCredentials | None = None) -> str:
    """Register `node_id` on the hub and return its node token."""
    with (grpc.secure_channel(hub_address, credentials) if credentials else grpc.insecure_channel(hub_address)) as ch:
        stub = sync_pb2_grpc.SyncServiceStub(ch)
        return stub.CreateNode(sync_pb2.CreateNodeRequest(node_id=node_id),
                               metadata=(("authorization", f"Bearer {admin_token}"),), timeout=10).token


@contextmanager
def pg_schema(base_url: str | None = None) -> Iterator[str]:
    """A PostgreSQL URL (default: pg_url()) whose search_path is a fresh schema, dropped afterwards (raises if PG
    is unreachable)."""
    import psycopg2

    base_url = base_url or pg_url()

    schema = f"fault_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    admin = psycopg2.connect(base_url)
    admin.autocommit = True
    admin.cursor().execute(f"CREATE SCHEMA {schema}")
    try:
        yield f"{base_url}?options=-csearch_path%3D{schema}"
    finally:
        admin.cursor().execute(f"DROP SCHEMA {schema} CASCADE")
        admin.close()


def hub_event_rows(database: str, node_id: str) -> list[tuple[int, str, int, str]]:
    """(seq, person_id, occurred_us, camera_id) of every event the hub stored for `node_id`, by seq."""
    import psycopg2

    conn = psycopg2.connect(database)
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT seq, person_id, occurred_us, camera_id FROM hub_event WHERE node_id = %s"
                        " ORDER BY seq", (node_id,))
            return [tuple(r) for r in cur.fetchall()]
    finally:
        conn.close()


def wait_until(predicate: Callable[[], bool], timeout: float = 5.0, interval: float = 0.02) -> bool:
    """Poll `predicate` until it holds or `timeout` seconds pass; its last answer."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return predicate()
