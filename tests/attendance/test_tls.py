"""TLS end to end with a CA made in the test: a verified client works, a plaintext one does not."""
from __future__ import annotations

import subprocess
from dataclasses import replace
from pathlib import Path

import grpc
import pytest

from edge_node.gen.edge.attendance.v1 import attendance_pb2 as pb
from edge_node.gen.edge.attendance.v1 import attendance_pb2_grpc as pb_grpc
from tests.conftest import LiveNode, node_config


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
