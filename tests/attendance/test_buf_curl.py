"""An admin flow driven by a real external client (`buf curl`) through server reflection only; and over TLS
with the box's CA file."""
from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import replace

import pytest

from edge_node.rpc.certs import SERVER_NAME, TLS_DIR
from tests.conftest import LiveNode, node_config


def buf_curl(address: str, token: str | None, method: str, body: dict | None = None) -> subprocess.CompletedProcess:
    buf = shutil.which("buf")
    if buf is None:
        pytest.fail("buf is not installed: npm install -g @bufbuild/buf (the README's test command does this)")
    args = [buf, "curl", "--protocol", "grpc", "--http2-prior-knowledge"]
    if token:
        args += ["-H", f"Authorization: Bearer {token}"]
    if body is not None:
        args += ["-d", json.dumps(body)]
    return subprocess.run([*args, f"http://{address}/{method}"], capture_output=True, text=True, timeout=60)


def call(address: str, token: str, method: str, body: dict | None = None) -> dict:
    result = buf_curl(address, token, f"edge.attendance.v1.AttendanceService/{method}", body)
    assert result.returncode == 0, result.stderr + result.stdout
    return json.loads(result.stdout)


def test_admin_flow_with_buf_curl_and_reflection(spawn_node):
    node = spawn_node()
    listing = subprocess.run(["buf", "curl", "--protocol", "grpc", "--http2-prior-knowledge", "--list-methods",
                              f"http://{node.address}"], capture_output=True, text=True, timeout=60)
    assert "edge.attendance.v1.AttendanceService/RecordScan" in listing.stdout
    assert "edge.recognition.v1.RecognitionService/Enroll" in listing.stdout

    denied = buf_curl(node.address, None, "edge.attendance.v1.AttendanceService/ListPersons", {})
    assert denied.returncode != 0 and "unauthenticated" in denied.stdout + denied.stderr

    created = call(node.address, node.token, "UpsertPerson", {"person": {"personId": "emp001", "displayName": "Zoë Ada"}})
    assert created["created"] is True and created["person"]["active"] is True
    listed = call(node.address, node.token, "ListPersons", {"pageSize": 10})
    assert [p["displayName"] for p in listed["persons"]] == ["Zoë Ada"]
    scan = call(node.address, node.token, "RecordScan", {"personId": "emp001", "cameraId": "front-door"})
    assert scan["event"]["eventType"] == "EVENT_TYPE_ENTRY"
    report = call(node.address, node.token, "GetDailyReport", {"localDate": scan["event"]["localDate"]})
    assert report["summaries"][0]["personId"] == "emp001" and report["summaries"][0]["entryCount"] == 1
    bad = buf_curl(node.address, node.token, "edge.attendance.v1.AttendanceService/UpdateConfig",
                   {"config": {"workEndHour": 3}, "updateMask": "workEndHour"})
    assert bad.returncode != 0 and "work_end_hour" in bad.stdout + bad.stderr


def test_buf_curl_over_tls_with_the_boxs_ca_file_as_docs_security_shows(tmp_path, clock):
    config = node_config(tmp_path / "n")
    node = LiveNode(replace(config, server=replace(config.server, tls=True)), clock)
    try:
        ca = tmp_path / "n" / TLS_DIR / "ca.pem"
        base = ["buf", "curl", "--protocol", "grpc", "--cacert", str(ca), "--servername", SERVER_NAME,
                "-H", f"Authorization: Bearer {node.node.admin_token}"]
        url = f"https://{node.address}/edge.attendance.v1.AttendanceService/ListPersons"
        listed = subprocess.run([*base, "-d", "{}", url], capture_output=True, text=True, timeout=60)
        assert listed.returncode == 0 and json.loads(listed.stdout) == {}, listed.stderr  # no persons yet
        unpinned = subprocess.run(["buf", "curl", "--protocol", "grpc", "-d", "{}", url], capture_output=True,
                                  text=True, timeout=60, cwd=tmp_path)  # no --cacert: the system roots refuse it
        assert unpinned.returncode != 0  # buf reports it as reflection finding no service; the node logs the handshake
    finally:
        node.stop()
