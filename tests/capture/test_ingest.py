"""The camera ingest as the firmware sees it: pairing, refusals, bad frames counted, node stays up."""
from __future__ import annotations

import os
import socket
import time
from dataclasses import replace
from pathlib import Path

import grpc
import pytest

from edge_node.camera_sim.connect import ConnectClient, ConnectError
from edge_node.camera_sim.playlist import load_frame
from edge_node.capture.config import CaptureConfig
from edge_node.capture.ingest import MAX_CONNECTIONS
from edge_node.config import RecognitionConfig
from edge_node.gen.edge.capture.v1 import capture_pb2 as pb
from edge_node.gen.edge.capture.v1 import capture_pb2_grpc
from edge_node.node import Node
from tests.capture.conftest import photo_path
from tests.conftest import node_config, wait_until


def hello(client: ConnectClient, camera_id: str, nonce: bytes, token: str = "") -> pb.HelloResponse:
    return client.call("Hello", pb.HelloRequest(camera_id=camera_id, device_nonce=nonce, pairing_token=token),
                       pb.HelloResponse)


def push(client: ConnectClient, camera_id: str, token: str, jpeg: bytes) -> pb.PushFrameResponse:
    return client.call("PushFrame", pb.PushFrameRequest(camera_id=camera_id, pairing_token=token, jpeg=jpeg),
                       pb.PushFrameResponse)


def refused(call) -> ConnectError:
    with pytest.raises(ConnectError) as caught:
        call()
    return caught.value


def paired(capture_node, client: ConnectClient, camera_id: str) -> str:
    nonce = os.urandom(16)
    assert hello(client, camera_id, nonce).state == pb.CAMERA_STATE_PENDING
    capture_node.node.capture.admin.approve(camera_id)
    token = hello(client, camera_id, nonce).pairing_token
    assert token
    return token


def test_pairing_token_goes_once_to_the_first_device(capture_node) -> None:
    client = ConnectClient(*capture_node.ingest)
    first, other = os.urandom(16), os.urandom(16)
    pending = hello(client, "cam-pair", first)
    assert (pending.state, pending.pairing_token) == (pb.CAMERA_STATE_PENDING, "")
    assert pending.pairing_code and pending.settings.frame_size == pb.FRAME_SIZE_QVGA
    frame = b"\xff\xd8\xff\xd9"
    error = refused(lambda: push(client, "cam-pair", "", frame))
    assert (error.status, error.code) == (400, "failed_precondition") and pending.pairing_code in error.message
    capture_node.capture.ApproveCamera(pb.ApproveCameraRequest(camera_id="cam-pair"), metadata=capture_node.auth)
    assert hello(client, "cam-pair", other).pairing_token == ""
    issued = hello(client, "cam-pair", first)
    assert issued.state == pb.CAMERA_STATE_PAIRED and 32 <= len(issued.pairing_token) <= 64
    assert hello(client, "cam-pair", first).pairing_token == ""
    assert hello(client, "cam-pair", first, issued.pairing_token).state == pb.CAMERA_STATE_PAIRED
    row = capture_node.node.store.tables.camera.get_by_id("cam-pair")
    assert row.token_hash and issued.pairing_token not in row.token_hash


def test_unknown_unpaired_wrong_token_and_revoked_cameras_are_refused(capture_node, shared_dir: Path) -> None:
    client = ConnectClient(*capture_node.ingest)
    jpeg = load_frame(photo_path(shared_dir, "Bill_Gates", 1)).stream_jpeg
    error = refused(lambda: push(client, "cam-nobody", "x", jpeg))
    assert (error.status, error.code) == (404, "not_found")
    token = paired(capture_node, client, "cam-rev")
    error = refused(lambda: push(client, "cam-rev", "wrong", jpeg))
    assert (error.status, error.code) == (401, "unauthenticated")
    assert push(client, "cam-rev", token, jpeg).state == pb.CAMERA_STATE_PAIRED
    capture_node.capture.RemoveCamera(pb.RemoveCameraRequest(camera_id="cam-rev"), metadata=capture_node.auth)
    error = refused(lambda: push(client, "cam-rev", token, jpeg))
    assert (error.status, error.code) == (403, "permission_denied")
    assert hello(client, "cam-rev", os.urandom(16), token).state == pb.CAMERA_STATE_REVOKED
    assert hello(client, "cam-rev", os.urandom(16)).state == pb.CAMERA_STATE_PENDING


def test_camera_protocol_over_grpc_uses_the_pairing_token_not_the_admin_token(capture_node, shared_dir: Path) -> None:
    token = paired(capture_node, ConnectClient(*capture_node.ingest), "cam-grpc")
    stub = capture_pb2_grpc.CaptureServiceStub(capture_node.channel)
    jpeg = load_frame(photo_path(shared_dir, "Bill_Gates", 1)).stream_jpeg
    reply = stub.PushFrame(pb.PushFrameRequest(camera_id="cam-grpc", pairing_token=token, jpeg=jpeg))
    assert reply.state == pb.CAMERA_STATE_PAIRED
    with pytest.raises(grpc.RpcError) as caught:
        stub.PushFrame(pb.PushFrameRequest(camera_id="cam-grpc", pairing_token="bad", jpeg=jpeg))
    assert caught.value.code() == grpc.StatusCode.UNAUTHENTICATED
    with pytest.raises(grpc.RpcError) as caught:
        stub.ListCameras(pb.ListCamerasRequest())
    assert caught.value.code() == grpc.StatusCode.UNAUTHENTICATED


def test_bad_frames_are_counted_and_the_node_stays_up(capture_node, shared_dir: Path) -> None:
    client = ConnectClient(*capture_node.ingest)
    token = paired(capture_node, client, "cam-bad")
    good = load_frame(photo_path(shared_dir, "Bill_Gates", 1)).stream_jpeg
    bad = [good[: len(good) // 2], b"garbage" * 100, b"\xff\xd8" + os.urandom(2000) + b"\xff\xd9"]
    for jpeg in bad:
        error = refused(lambda: push(client, "cam-bad", token, jpeg))
        assert (error.status, error.code) == (400, "invalid_argument")
    oversized = good[:-2] + b"\x00" * (64 * 1024) + b"\xff\xd9"
    error = refused(lambda: push(client, "cam-bad", token, oversized))
    assert (error.status, error.code) == (429, "resource_exhausted") and "limit" in error.message
    error = refused(lambda: client.post("PushFrame", b"\x0a\xff\xff"))
    assert error.code == "invalid_argument"
    error = refused(lambda: client.post("PushFrame", b"{}", "application/json"))
    assert error.code == "invalid_argument"
    huge = ConnectClient(*capture_node.ingest)
    error = refused(lambda: huge.post("PushFrame", b"\x00" * (5 * 64 * 1024)))
    assert (error.status, error.code) == (429, "resource_exhausted")
    assert push(client, "cam-bad", token, good).state == pb.CAMERA_STATE_PAIRED
    cameras = capture_node.capture.ListCameras(pb.ListCamerasRequest(), metadata=capture_node.auth).cameras
    camera = next(c for c in cameras if c.camera_id == "cam-bad")
    assert (camera.frames_received, camera.frames_corrupt, camera.frames_oversized) == (1, 3, 1)
    assert camera.state == pb.CAMERA_STATE_PAIRED and camera.source_kind == pb.SOURCE_KIND_PUSH
    assert 0 <= camera.last_frame_age_ms < 5000 and camera.address == "127.0.0.1"
    snapshot = capture_node.capture.GetSnapshot(pb.GetSnapshotRequest(camera_id="cam-bad"), metadata=capture_node.auth)
    assert snapshot.jpeg == good and snapshot.frame_size == pb.FRAME_SIZE_QVGA
    assert capture_node.node.capture.admin.latest_frame("cam-bad").width == 320


def test_a_busy_ingest_port_does_not_stop_the_node(capture_node, tmp_path: Path) -> None:
    config = node_config(tmp_path / "second")
    config = replace(config, recognition=RecognitionConfig(enabled=False),
                     capture=CaptureConfig(listen=f"127.0.0.1:{capture_node.ingest[1]}", mdns=False))
    node = Node(config)
    try:
        node.start_workers()
        assert node.capture.http_port == 0 and node.capture.admin.cameras() == []
    finally:
        node.close()


def test_a_flood_of_idle_connections_is_capped_and_cameras_work_once_it_ends(capture_node) -> None:
    host, port = capture_node.ingest
    idle = [socket.create_connection((host, port), timeout=5) for _ in range(MAX_CONNECTIONS)]
    try:
        time.sleep(0.3)  # every idle socket now holds a connection thread
        extra = socket.create_connection((host, port), timeout=5)
        extra.sendall(b"POST /edge.capture.v1.CaptureService/Hello HTTP/1.1\r\nContent-Length: 0\r\n\r\n")
        assert extra.recv(100) == b""  # closed at once, no thread spent on it
        extra.close()
    finally:
        for sock in idle:
            sock.close()
    client = ConnectClient(host, port)
    assert wait_until(lambda: _hello_state(client) == pb.CAMERA_STATE_PENDING, timeout=5)


def _hello_state(client: ConnectClient) -> int:
    try:
        return hello(client, "cam-after-flood", b"\x01" * 16).state
    except (ConnectError, OSError):
        return -1
