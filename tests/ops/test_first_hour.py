"""The first hour of a new user: one-line errors for busy ports and missing files, the token command,
and admin-token rotation without a restart."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path
from typing import Iterator

import grpc
import pytest

from edge_node.gen.edge.capture.v1 import capture_pb2, capture_pb2_grpc
from tests.conftest import LOOPBACK_ENV, REPO

EDGE_NODE = [sys.executable, "-m", "edge_node"]


@pytest.fixture
def busy_port() -> Iterator[int]:
    """A loopback port held by a listening socket."""
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        yield sock.getsockname()[1]


def edge_node(*args: str, env: dict[str, str] | None = None, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run([*EDGE_NODE, *args], capture_output=True, text=True, timeout=timeout, cwd=REPO,
                          env={**os.environ, **LOOPBACK_ENV, **(env or {})})


def assert_one_line_error(done: subprocess.CompletedProcess, *needles: str) -> None:
    assert done.returncode == 2, done.stdout + done.stderr
    assert "Traceback" not in done.stderr and "port 0" not in done.stdout + done.stderr
    errors = [line for line in done.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == 1, done.stderr
    for needle in needles:
        assert needle in errors[0], errors[0]


@pytest.mark.parametrize("listener, env_key", [("gRPC", None), ("camera ingest", "EDGE_NODE_CAPTURE_LISTEN"),
                                               ("kiosk", "EDGE_NODE_KIOSK_LISTEN")])
def test_serve_with_a_busy_port_says_which_in_one_line(tmp_path, busy_port, listener, env_key) -> None:
    address = f"127.0.0.1:{busy_port}"
    grpc_listen = "127.0.0.1:0" if env_key else address
    done = edge_node("serve", "--listen", grpc_listen, "--data-dir", str(tmp_path),
                     env={env_key: address} if env_key else None)
    assert_one_line_error(done, f"{listener} cannot listen on {address}", "already in use")


@pytest.mark.parametrize("flag, listener", [("--listen", "gRPC"), ("--camera-listen", "camera ingest"),
                                            ("--kiosk-listen", "kiosk")])
def test_demo_with_a_busy_port_fails_fast(tmp_path, busy_port, shared_dir, flag, listener) -> None:
    free = {"--listen": "127.0.0.1:0", "--camera-listen": "127.0.0.1:0", "--kiosk-listen": "127.0.0.1:0"}
    free[flag] = f"127.0.0.1:{busy_port}"
    done = edge_node("demo", "--data-dir", str(tmp_path), "--shared", str(shared_dir),
                     *(part for pair in free.items() for part in pair), timeout=30)
    assert_one_line_error(done, f"{listener} cannot listen on 127.0.0.1:{busy_port}", flag)


def test_hub_with_a_busy_port_says_so_in_one_line(tmp_path, busy_port, pg_url) -> None:
    done = edge_node("hub", "--listen", f"127.0.0.1:{busy_port}", "--database", pg_url, "--data-dir", str(tmp_path))
    assert_one_line_error(done, f"hub cannot listen on 127.0.0.1:{busy_port}", "--listen")


def test_enroll_of_a_missing_file_is_one_line(tmp_path) -> None:
    done = edge_node("enroll", "--person", "ada", str(tmp_path / "missing.jpg"), "--token", "x" * 43)
    assert_one_line_error(done, "cannot read", "missing.jpg", "No such file")


def test_token_command_prints_and_rotates_the_token(tmp_path) -> None:
    assert_one_line_error(edge_node("token", "--data-dir", str(tmp_path)), "no admin token", str(tmp_path))
    rotated = edge_node("token", "--rotate", "--data-dir", str(tmp_path))
    assert rotated.returncode == 0, rotated.stderr
    token = rotated.stdout.strip()
    assert len(token) >= 24 and (tmp_path / "admin.token").stat().st_mode & 0o777 == 0o600
    assert edge_node("token", "--data-dir", str(tmp_path)).stdout.strip() == token
    (tmp_path / "admin.token").write_text("short\n")
    assert_one_line_error(edge_node("token", "--data-dir", str(tmp_path)), "too short")


def _list_cameras(address: str, token: str) -> grpc.StatusCode:
    with grpc.insecure_channel(address) as channel:
        try:
            capture_pb2_grpc.CaptureServiceStub(channel).ListCameras(
                capture_pb2.ListCamerasRequest(), metadata=(("authorization", f"Bearer {token}"),), timeout=10)
        except grpc.RpcError as exc:
            return exc.code()
    return grpc.StatusCode.OK


def test_a_rotated_token_takes_effect_without_a_restart(spawn_node, tmp_path: Path) -> None:
    node = spawn_node()
    old = node.token
    assert _list_cameras(node.address, old) == grpc.StatusCode.OK
    new = edge_node("token", "--rotate", "--data-dir", str(node.data_dir)).stdout.strip()
    assert _list_cameras(node.address, new) == grpc.StatusCode.OK
    assert _list_cameras(node.address, old) == grpc.StatusCode.UNAUTHENTICATED
    (node.data_dir / "admin.token").write_text("weak\n")  # refused: the previous token stays in force
    assert _list_cameras(node.address, new) == grpc.StatusCode.OK
    assert _list_cameras(node.address, "weak") == grpc.StatusCode.UNAUTHENTICATED
    assert "admin token not rotated" in node.log_text() and "too short" in node.log_text()


def test_serve_refuses_a_token_file_too_short_to_be_a_secret(tmp_path) -> None:
    tmp_path.joinpath("admin.token").write_text("1\n")
    done = edge_node("serve", "--listen", "127.0.0.1:0", "--data-dir", str(tmp_path))
    assert done.returncode == 2 and "too short" in done.stderr and "Traceback" not in done.stderr
