"""A bare `pip install .` (no extras) into a fresh venv: every command but `hub` works, `hub` and the XLSX
timecard export name the extra to install, and `serve` starts, answers and warns that mDNS needs zeroconf (log and node status)."""
from __future__ import annotations

import os
import subprocess
import venv
from pathlib import Path

import grpc
import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc

from edge_node.gen.edge.capture.v1 import capture_pb2, capture_pb2_grpc
from edge_node.gen.edge.node.v1 import node_pb2, node_pb2_grpc
from tests.conftest import LOOPBACK_ENV, REPO, free_port
from tests.reachable import unreachable

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def bare_bin(tmp_path_factory) -> Path:
    """The bin directory of a fresh venv with edge-node installed from this checkout without extras."""
    offline = unreachable("https://pypi.org/simple/")
    if offline:  # e.g. inside scripts/fresh_root_check's isolated network namespace
        pytest.skip(f"a bare `pip install .` downloads from PyPI, which cannot be reached ({offline}); "
                    "run this test on a machine with a route to it")
    root = tmp_path_factory.mktemp("bare") / "venv"
    venv.create(root, with_pip=True)
    done = subprocess.run([str(root / "bin" / "python"), "-m", "pip", "install", "--quiet",
                           "--disable-pip-version-check", str(REPO)], capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-4000:]
    return root / "bin"


def run(bare_bin: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(bare_bin / "edge-node"), *args], capture_output=True, text=True, timeout=120,
                          cwd=bare_bin.parent)


def test_the_extras_are_really_absent(bare_bin: Path) -> None:
    for module in ("psycopg2", "zeroconf", "xlsxwriter"):
        done = subprocess.run([str(bare_bin / "python"), "-c", f"import {module}"], capture_output=True, timeout=60)
        assert done.returncode != 0, f"{module} is installed: the venv is not bare"


def test_help_lists_every_command(bare_bin: Path) -> None:
    done = run(bare_bin, "--help")
    assert done.returncode == 0, done.stderr
    for command in ("serve", "models", "enroll", "hub", "monitor", "camera-sim", "demo", "token"):
        assert command in done.stdout


def test_models_verify_works(bare_bin: Path, shared_dir: Path) -> None:
    done = run(bare_bin, "models", "verify", "--dir", str(shared_dir / "models"))
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.count("ok ") >= 3


def test_hub_names_the_extra_to_install(bare_bin: Path, tmp_path: Path) -> None:
    done = run(bare_bin, "hub", "--data-dir", str(tmp_path), "--database", "postgresql:///nowhere")
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "pip install 'edge-node[hub]'" in done.stderr


def test_xlsx_export_names_the_extra_to_install(bare_bin: Path, tmp_path: Path) -> None:
    done = run(bare_bin, "report", "timecards", "--from", "2026-11-01", "--to", "2026-11-30", "--format", "xlsx",
               "--output", str(tmp_path / "november.xlsx"))
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.strip().splitlines() == ["error: --format xlsx needs XlsxWriter: pip install 'edge-node[xlsx]'"]
    assert not (tmp_path / "november.xlsx").exists()


def test_serve_starts_answers_and_warns_about_mdns(bare_bin: Path, shared_dir: Path, tmp_path: Path) -> None:
    address = f"127.0.0.1:{free_port()}"
    env = {**os.environ, **LOOPBACK_ENV, "EDGE_NODE_CAPTURE_MDNS": "true",  # zeroconf is absent: nothing is sent
           "EDGE_NODE_RECOGNITION_MODELS_DIR": str(shared_dir / "models")}
    log_path = tmp_path / "serve.log"
    with log_path.open("wb") as log:
        proc = subprocess.Popen([str(bare_bin / "edge-node"), "serve", "--listen", address, "--data-dir",
                                 str(tmp_path / "data")], stdout=log, stderr=subprocess.STDOUT, env=env)
    try:
        with grpc.insecure_channel(address) as channel:
            grpc.channel_ready_future(channel).result(timeout=60)
            health = health_pb2_grpc.HealthStub(channel).Check(health_pb2.HealthCheckRequest(), timeout=10)
            assert health.status == health_pb2.HealthCheckResponse.SERVING
            token = (tmp_path / "data" / "admin.token").read_text().strip()
            cameras = capture_pb2_grpc.CaptureServiceStub(channel).ListCameras(
                capture_pb2.ListCamerasRequest(), metadata=(("authorization", f"Bearer {token}"),), timeout=10)
            assert list(cameras.cameras) == []
            status = node_pb2_grpc.NodeServiceStub(channel).GetStatus(
                node_pb2.GetStatusRequest(), metadata=(("authorization", f"Bearer {token}"),), timeout=10).status
            assert any("pip install 'edge-node[mdns]'" in warning for warning in status.warnings), status.warnings
    finally:
        proc.terminate()
        code = proc.wait(timeout=30)
    text = log_path.read_text()
    assert code == 0, text
    assert "WARNING" in text and "pip install 'edge-node[mdns]'" in text, text
    assert "Traceback" not in text, text
