"""TLS end to end: with a CA made in the test, and with the box's own CA beyond loopback, pinned on first use by
the CLI (a changed certificate or plain text where TLS was is refused); plain text beyond loopback is warned."""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import grpc
import pytest

from edge_node.cli.node_client import channel_factory
from edge_node.common.errors import InvalidArgument
from edge_node.config import Config, ServerConfig
from edge_node.gen.edge.attendance.v1 import attendance_pb2 as pb
from edge_node.gen.edge.attendance.v1 import attendance_pb2_grpc as pb_grpc
from edge_node.gen.edge.node.v1 import node_pb2, node_pb2_grpc
from edge_node.rpc.certs import ensure_self_signed
from edge_node.rpc.pinning import KnownNodes
from edge_node.status.setup_warnings import setup_warnings
from edge_node.sync.config import SyncConfig
from tests.conftest import LiveNode, node_config
from tools.faults.procs import free_port


def make_ca_and_server_cert(folder: Path) -> tuple[Path, Path, Path]:
    """A throw-away CA and a server certificate for 127.0.0.1/localhost signed by it (openssl)."""
    def run(*args: str) -> None:
        subprocess.run(["openssl", *args], cwd=folder, check=True, capture_output=True)

    run("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=edge-test-ca",
        "-keyout", "ca.key", "-out", "ca.pem")
    run("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost", "-keyout", "server.key", "-out", "server.csr")
    (folder / "san.ext").write_text("subjectAltName=DNS:localhost,IP:127.0.0.1\n")
    run("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-days", "1",
        "-extfile", "san.ext", "-out", "server.pem")
    return folder / "ca.pem", folder / "server.pem", folder / "server.key"


def test_tls_end_to_end(tmp_path, clock):
    ca, cert, key = make_ca_and_server_cert(tmp_path)
    config = node_config(tmp_path / "n")
    config = replace(config, server=replace(config.server, tls_cert=str(cert), tls_key=str(key)))
    node = LiveNode(config, clock)
    try:
        secure = grpc.secure_channel(node.address, grpc.ssl_channel_credentials(ca.read_bytes()))
        reply = pb_grpc.AttendanceServiceStub(secure).ListPersons(pb.ListPersonsRequest(), metadata=node.auth, timeout=10)
        assert reply.total_size == 0
        secure.close()
        with pytest.raises(grpc.RpcError) as info:
            pb_grpc.AttendanceServiceStub(node.channel).ListPersons(pb.ListPersonsRequest(), metadata=node.auth, timeout=3)
        assert info.value.code() in (grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.DEADLINE_EXCEEDED)
    finally:
        node.stop()


def _cli(known: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "EDGE_NODE_KNOWN_NODES": str(known)}
    return subprocess.run([sys.executable, "-m", "edge_node", *args], capture_output=True, text=True, timeout=60,
                          env=env)


def _lan_node(data_dir: Path, clock, port: int = 0, **server) -> LiveNode:
    """A node listening on every address (beyond loopback), with the given [server] settings."""
    config = node_config(data_dir)
    return LiveNode(replace(config, server=replace(config.server, listen=f"0.0.0.0:{port}", **server)), clock)


def test_beyond_loopback_the_node_makes_its_ca_and_the_cli_pins_it_on_first_use(tmp_path, clock):
    known = tmp_path / "known_nodes"
    node = _lan_node(tmp_path / "n", clock, free_port("0.0.0.0"))
    port = node.server.port
    try:
        with pytest.raises(grpc.RpcError):  # no plain text beyond loopback
            node_pb2_grpc.NodeServiceStub(node.channel).GetStatus(node_pb2.GetStatusRequest(), metadata=node.auth,
                                                                 timeout=3)
        shown = _cli(known, "tls", "show", "--data-dir", str(tmp_path / "n"))
        fingerprint = shown.stdout.split("fingerprint: ")[1].split()[0]
        token = _cli(known, "token", "--data-dir", str(tmp_path / "n"))
        assert token.stdout.strip() == node.node.admin_token and fingerprint in token.stderr
        remote = ("--target", node.address, "--token", node.node.admin_token)
        first = _cli(known, "monitor", "--once", *remote)
        assert first.returncode == 0, first.stderr
        assert f"pinned the TLS certificate of {node.address}" in first.stderr and fingerprint in known.read_text()
        again = _cli(known, "monitor", "--once", *remote)
        assert again.returncode == 0 and "pinned" not in again.stderr
    finally:
        node.stop()
    shutil.rmtree(tmp_path / "n" / "tls")  # the box makes a new CA: as a machine in the middle would present
    node = _lan_node(tmp_path / "n", clock, port)
    try:
        changed = _cli(known, "monitor", "--once", *remote)
        assert changed.returncode != 0
        assert f"the TLS certificate of {node.address} changed" in changed.stderr
        assert f"line 1 of {known}" in changed.stderr and "edge-node tls show" in changed.stderr
    finally:
        node.stop()
    node = _lan_node(tmp_path / "n", clock, port, insecure=True)
    try:
        downgraded = _cli(known, "monitor", "--once", *remote)
        assert downgraded.returncode != 0 and "no longer answers TLS" in downgraded.stderr
    finally:
        node.stop()


def test_a_wrong_expected_fingerprint_is_refused_before_anything_is_pinned(tmp_path, clock):
    known = tmp_path / "known_nodes"
    node = _lan_node(tmp_path / "n", clock)
    try:
        refused = _cli(known, "monitor", "--once", "--target", node.address, "--token", node.node.admin_token,
                       "--tls-fingerprint", "AA:" * 31 + "AA")
        assert refused.returncode != 0 and "someone may be intercepting" in refused.stderr and not known.exists()
    finally:
        node.stop()


def test_plain_text_beyond_loopback_needs_insecure_and_is_warned_in_the_status(tmp_path, clock):
    node = _lan_node(tmp_path / "n", clock, insecure=True)
    try:
        status = node_pb2_grpc.NodeServiceStub(node.channel).GetStatus(node_pb2.GetStatusRequest(), metadata=node.auth,
                                                                      timeout=10).status
        assert any("plain text" in w and "insecure = true" in w for w in status.warnings)
    finally:
        node.stop()
    with pytest.raises(InvalidArgument):
        ServerConfig(listen="0.0.0.0:50051", insecure=True, tls=True).validate()
    assert ServerConfig(listen="0.0.0.0:50051").uses_tls and not ServerConfig(listen="127.0.0.1:50051").uses_tls
    plain_sync = SyncConfig(enabled=True, hub="10.0.0.5:50061", node_id="n", insecure=True)
    assert any("plain text" in w for w in setup_warnings(Config(sync=plain_sync)))
    assert SyncConfig(enabled=True, hub="10.0.0.5:50061", node_id="n").uses_tls


def test_a_pinned_node_that_does_not_answer_yet_is_unavailable_not_a_downgrade(tmp_path, monkeypatch):
    monkeypatch.setenv("EDGE_NODE_KNOWN_NODES", str(tmp_path / "known_nodes"))
    target = f"127.0.0.1:{free_port()}"  # nothing listens there
    ca = ensure_self_signed(tmp_path / "tls", "edge-node").ca.read_bytes()
    assert KnownNodes().trusted_ca(target, ca) == ca  # pinned as a first use would
    with channel_factory(argparse.Namespace(target=target, tls_ca=None, tls_fingerprint=""))() as channel:
        with pytest.raises(grpc.RpcError) as info:
            node_pb2_grpc.NodeServiceStub(channel).GetStatus(node_pb2.GetStatusRequest(), timeout=3)
    assert info.value.code() is grpc.StatusCode.UNAVAILABLE
