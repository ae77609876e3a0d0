"""The camera ingest as the firmware sees it: pairing, refusals, bad frames counted, node stays up."""
from __future__ import annotations

import os
import re
import socket
from dataclasses import replace
from pathlib import Path

import grpc
import pytest

from edge_node.camera_sim.connect import ConnectClient, ConnectError
from edge_node.camera_sim.camera_link import frame_reply
from edge_node.camera_sim.playlist import load_frame
from edge_node.capture.config import CaptureConfig
from edge_node.capture.ingest import MAX_CONNECTIONS
from edge_node.common.frame_mac import session_key
from edge_node.config import RecognitionConfig
from edge_node.gen.edge.capture.v1 import capture_pb2 as pb
from edge_node.gen.edge.capture.v1 import capture_pb2_grpc
from edge_node.node import Node
from tests.capture.conftest import photo_path
from tests.capture.link_camera import LinkCamera
from tests.conftest import node_config, wait_until


def refused(call) -> ConnectError:
    with pytest.raises(ConnectError) as caught:
        call()
    return caught.value


def paired(capture_node, client: ConnectClient, camera_id: str) -> LinkCamera:
    camera = LinkCamera(client, camera_id)
    code = camera.ask_to_pair()
    capture_node.node.capture.admin.approve(camera_id, code)
    camera.hello()
    assert camera.outcome == "PAIRED" and len(camera.link_key) == 32
    return camera


def approve(capture_node, camera_id: str, code: str = "") -> pb.Camera:
    return capture_node.capture.ApproveCamera(pb.ApproveCameraRequest(camera_id=camera_id, pairing_code=code),
                                              metadata=capture_node.auth).camera


def listed(capture_node, camera_id: str) -> pb.Camera | None:
    cameras = capture_node.capture.ListCameras(pb.ListCamerasRequest(), metadata=capture_node.auth).cameras
    return next((c for c in cameras if c.camera_id == camera_id), None)


def test_pairing_is_an_exchange_whose_code_the_admin_approves_and_the_key_never_travels(capture_node,
                                                                                        shared_dir: Path) -> None:
    client = ConnectClient(*capture_node.ingest)
    jpeg = load_frame(photo_path(shared_dir, "Bill_Gates", 1)).stream_jpeg
    camera, other = LinkCamera(client, "cam-pair"), LinkCamera(client, "cam-pair")
    first = camera.hello()  # the commitment: the box answers with its key, no code yet, nothing listed
    assert (first.state, first.pairing_code, len(first.box_public_key)) == (pb.CAMERA_STATE_PENDING, "", 32)
    assert camera.outcome == "AGAIN" and listed(capture_node, "cam-pair") is None
    revealed = camera.hello()
    code = camera.link.pairing_code
    assert revealed.pairing_code == code and re.fullmatch(r"[A-Z2-7]{4}-[A-Z2-7]{4}", code)
    assert revealed.settings.frame_size == pb.FRAME_SIZE_QVGA and camera.link_key == b""
    assert (listed(capture_node, "cam-pair").state, listed(capture_node, "cam-pair").pairing_code) == (
        pb.CAMERA_STATE_PENDING, code)
    error = refused(lambda: camera.push(b"\xff\xd8\xff\xd9"))
    assert (error.status, error.code) == (400, "failed_precondition") and code in error.message
    other_code = other.ask_to_pair()  # a second device now listed as waiting: the admin types the camera's code
    assert other_code != code and listed(capture_node, "cam-pair").pairing_code == other_code
    assert approve(capture_node, "cam-pair", code).pairing_code == code
    other.hello()
    assert other.outcome != "PAIRED" and other.link_key == b""  # its exchange ended with the approval
    issued = camera.hello()
    assert camera.outcome == "PAIRED" and len(camera.link_key) == 32 and len(issued.session_id) == 8
    assert camera.push(jpeg).state == pb.CAMERA_STATE_PAIRED
    again = camera.hello()
    assert camera.outcome == "PAIRED" and again.session_id != issued.session_id
    row = capture_node.node.store.tables.camera.get_by_id("cam-pair")
    assert row.token_hash == "link-v1:" + camera.link_key.hex()
    secrets = (camera.link_key, session_key(camera.link_key, again.session_id))
    assert not any(secret in body for body in camera.wire for secret in secrets)


def test_a_camera_that_lost_its_key_re_pairs_with_a_new_code_the_admin_approves(capture_node, shared_dir: Path) -> None:
    client = ConnectClient(*capture_node.ingest)
    jpeg = load_frame(photo_path(shared_dir, "Bill_Gates", 1)).stream_jpeg
    old = paired(capture_node, client, "cam-lost")
    assert old.push(jpeg).state == pb.CAMERA_STATE_PAIRED
    reprovisioned = LinkCamera(client, "cam-lost")  # new NVS: new device nonce, no key
    code = reprovisioned.ask_to_pair()
    camera = listed(capture_node, "cam-lost")
    assert camera.state == pb.CAMERA_STATE_PAIRED and camera.repair_code == code and camera.pairing_code != code
    assert old.push(jpeg).state == pb.CAMERA_STATE_PAIRED  # the old key works until the admin decides
    with pytest.raises(grpc.RpcError) as caught:
        approve(capture_node, "cam-lost", "WRNG-CODE")
    assert caught.value.code() == grpc.StatusCode.FAILED_PRECONDITION and "WRNG-CODE" in caught.value.details()
    approved = approve(capture_node, "cam-lost", code)
    assert (approved.pairing_code, approved.repair_code) == (code, "")
    error = refused(lambda: old.push(jpeg))
    assert (error.status, error.code) == (401, "unauthenticated")
    old.hello()  # the box tells the old device, signed with its retired key: only then does it drop the key
    assert old.outcome == "REVOKED" and old.link_key == b""
    reprovisioned.hello()
    assert reprovisioned.outcome == "PAIRED" and reprovisioned.link_key
    assert reprovisioned.push(jpeg).state == pb.CAMERA_STATE_PAIRED
    assert wait_until(lambda: listed(capture_node, "cam-lost").frames_received == 3, timeout=5)


def test_hellos_from_strangers_do_not_break_a_paired_camera(capture_node, shared_dir: Path) -> None:
    client = ConnectClient(*capture_node.ingest)
    jpeg = load_frame(photo_path(shared_dir, "Bill_Gates", 1)).stream_jpeg
    camera = paired(capture_node, client, "cam-held")
    assert camera.push(jpeg).state == pb.CAMERA_STATE_PAIRED
    camera.hello()
    assert camera.push(jpeg).state == pb.CAMERA_STATE_PAIRED
    signed_hello = camera.wire[-4]  # the Hello, signed with the link key, that began this session
    forged = pb.HelloRequest(camera_id="cam-held", device_nonce=camera.nonce, has_link_key=True,
                             hello_nonce=os.urandom(16), hello_mac=os.urandom(32))
    error = refused(lambda: client.post("Hello", forged.SerializeToString()))
    assert (error.status, error.code) == (401, "unauthenticated") and "not signed with a key" in error.message
    legacy = pb.HelloRequest(camera_id="cam-held", device_nonce=camera.nonce, has_link_key=True)
    assert refused(lambda: client.post("Hello", legacy.SerializeToString())).code == "invalid_argument"
    for _ in range(10):  # replayed signed Hellos: sessions nobody can use, the camera's own goes on
        replayed = pb.HelloResponse.FromString(client.post("Hello", signed_hello))
        assert replayed.state == pb.CAMERA_STATE_PAIRED
        assert camera.push(jpeg).state == pb.CAMERA_STATE_PAIRED
    stranger = LinkCamera(client, "cam-held")
    stranger_code = stranger.ask_to_pair()
    assert stranger.outcome == "WAIT" and listed(capture_node, "cam-held").repair_code == stranger_code
    assert camera.push(jpeg).state == pb.CAMERA_STATE_PAIRED
    camera.hello()
    assert camera.outcome == "PAIRED" and camera.push(jpeg).state == pb.CAMERA_STATE_PAIRED


def test_replayed_tampered_and_unsigned_frames_and_forged_replies_are_refused(capture_node, shared_dir: Path) -> None:
    client = ConnectClient(*capture_node.ingest)
    jpeg = load_frame(photo_path(shared_dir, "Bill_Gates", 1)).stream_jpeg
    camera = paired(capture_node, client, "cam-replay")
    first = camera.frame(jpeg)
    assert camera.send(first).state == pb.CAMERA_STATE_PAIRED
    reply_to_first = camera.wire[-1]
    error = refused(lambda: camera.send(first))
    assert (error.status, error.code) == (401, "unauthenticated") and "replayed" in error.message
    tampered = camera.frame(jpeg)
    tampered.command_id = 7
    error = refused(lambda: camera.send(tampered))
    assert (error.status, error.code) == (401, "unauthenticated") and "MAC" in error.message
    unsigned = camera.frame(jpeg)
    unsigned.ClearField("mac")
    assert refused(lambda: camera.send(unsigned)).code == "unauthenticated"
    assert camera.push(jpeg).state == pb.CAMERA_STATE_PAIRED
    # Replies: a replayed one (it answered frame 1) and a forged LED result are not acted on.
    assert frame_reply(camera.session_key, camera.sequence, reply_to_first) is None
    forged = pb.PushFrameResponse(state=pb.CAMERA_STATE_PAIRED, commands=[pb.Command(
        command_id=99, show_result=pb.ShowResult(signal=pb.RESULT_SIGNAL_ACCEPTED))])
    forged.mac = os.urandom(32)
    assert frame_reply(camera.session_key, camera.sequence, forged.SerializeToString()) is None
    old_session = camera.frame(jpeg)
    camera.hello()
    assert camera.push(jpeg).state == pb.CAMERA_STATE_PAIRED  # the new session replaces the old one
    error = refused(lambda: camera.send(old_session))
    assert (error.status, error.code) == (401, "unauthenticated") and "session" in error.message


def test_a_forged_or_replayed_hello_reply_changes_nothing_on_the_camera(capture_node, shared_dir: Path) -> None:
    client = ConnectClient(*capture_node.ingest)
    camera = paired(capture_node, client, "cam-reply")
    key = camera.link_key
    revoked = pb.HelloResponse(state=pb.CAMERA_STATE_REVOKED, mac=os.urandom(32)).SerializeToString()
    request = camera.link.hello("1.0")
    assert camera.link.answer(request, revoked).outcome == "WAIT" and camera.link_key == key
    old_paired = camera.wire[-1]  # signed, but for an earlier Hello's nonce
    assert camera.link.answer(camera.link.hello("1.0"), old_paired).outcome == "WAIT" and camera.link_key == key
    camera.hello()
    assert camera.outcome == "PAIRED" and camera.link_key == key


def test_unknown_unpaired_and_revoked_cameras_are_refused(capture_node, shared_dir: Path) -> None:
    client = ConnectClient(*capture_node.ingest)
    jpeg = load_frame(photo_path(shared_dir, "Bill_Gates", 1)).stream_jpeg
    error = refused(lambda: LinkCamera(client, "cam-nobody").send(pb.PushFrameRequest(camera_id="cam-nobody")))
    assert (error.status, error.code) == (404, "not_found")
    camera = paired(capture_node, client, "cam-rev")
    assert camera.push(jpeg).state == pb.CAMERA_STATE_PAIRED
    capture_node.capture.RemoveCamera(pb.RemoveCameraRequest(camera_id="cam-rev"), metadata=capture_node.auth)
    error = refused(lambda: camera.push(jpeg))
    assert (error.status, error.code) == (403, "permission_denied")
    assert camera.hello().state == pb.CAMERA_STATE_REVOKED and camera.outcome == "REVOKED" and not camera.link_key
    code = camera.ask_to_pair()
    assert (listed(capture_node, "cam-rev").state, listed(capture_node, "cam-rev").pairing_code) == (
        pb.CAMERA_STATE_PENDING, code)


def test_camera_protocol_over_grpc_uses_the_frame_mac_not_the_admin_token(capture_node, shared_dir: Path) -> None:
    camera = paired(capture_node, ConnectClient(*capture_node.ingest), "cam-grpc")
    stub = capture_pb2_grpc.CaptureServiceStub(capture_node.channel)
    jpeg = load_frame(photo_path(shared_dir, "Bill_Gates", 1)).stream_jpeg
    frame = camera.frame(jpeg)
    reply = stub.PushFrame(frame)
    assert frame_reply(camera.session_key, frame.sequence, reply.SerializeToString()) == reply
    forged = camera.frame(jpeg)
    forged.mac = os.urandom(32)
    with pytest.raises(grpc.RpcError) as caught:
        stub.PushFrame(forged)
    assert caught.value.code() == grpc.StatusCode.UNAUTHENTICATED
    with pytest.raises(grpc.RpcError) as caught:
        stub.ListCameras(pb.ListCamerasRequest())
    assert caught.value.code() == grpc.StatusCode.UNAUTHENTICATED


def test_bad_frames_are_counted_and_the_node_stays_up(capture_node, shared_dir: Path) -> None:
    client = ConnectClient(*capture_node.ingest)
    camera = paired(capture_node, client, "cam-bad")
    good = load_frame(photo_path(shared_dir, "Bill_Gates", 1)).stream_jpeg
    bad = [good[: len(good) // 2], b"garbage" * 100, b"\xff\xd8" + os.urandom(2000) + b"\xff\xd9"]
    for jpeg in bad:
        error = refused(lambda: camera.push(jpeg))
        assert (error.status, error.code) == (400, "invalid_argument")
    oversized = good[:-2] + b"\x00" * (64 * 1024) + b"\xff\xd9"
    error = refused(lambda: camera.push(oversized))
    assert (error.status, error.code) == (429, "resource_exhausted") and "limit" in error.message
    error = refused(lambda: client.post("PushFrame", b"\x0a\xff\xff"))
    assert error.code == "invalid_argument"
    error = refused(lambda: client.post("PushFrame", b"{}", "application/json"))
    assert error.code == "invalid_argument"
    huge = ConnectClient(*capture_node.ingest)
    error = refused(lambda: huge.post("PushFrame", b"\x00" * (5 * 64 * 1024)))
    assert (error.status, error.code) == (429, "resource_exhausted")
    assert camera.push(good).state == pb.CAMERA_STATE_PAIRED
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
    try:  # once every idle socket holds a connection thread, a further one is closed unanswered
        assert wait_until(lambda: _closed_unanswered(host, port), timeout=10)
    finally:
        for sock in idle:
            sock.close()
    client = ConnectClient(host, port)
    assert wait_until(lambda: _hello_state(client) == pb.CAMERA_STATE_PENDING, timeout=5)


def _closed_unanswered(host: str, port: int) -> bool:
    with socket.create_connection((host, port), timeout=5) as extra:
        try:
            extra.sendall(b"POST /edge.capture.v1.CaptureService/Hello HTTP/1.1\r\nContent-Length: 0\r\n\r\n")
            return extra.recv(100) == b""
        except ConnectionResetError:  # closed before our request was read
            return True


def _hello_state(client: ConnectClient) -> int:
    try:
        return LinkCamera(client, "cam-after-flood").hello().state
    except (ConnectError, OSError):
        return -1
