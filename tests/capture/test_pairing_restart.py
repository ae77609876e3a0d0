"""Pairing that recovers: a restart of the box ends sessions and pairing exchanges, not keys; a token from an
earlier release, or a camera holding a key the box does not, leads to a re-pairing the admin approves."""
from __future__ import annotations

import json
import os
import threading
from pathlib import Path

import pytest

from edge_node.camera_sim.camera_link import CameraLink
from edge_node.camera_sim.playlist import load_frame
from edge_node.camera_sim.simulator import CameraSimulator, SimOptions
from edge_node.camera_sim.connect import ConnectClient
from edge_node.capture.protocol_errors import Unauthenticated
from edge_node.capture.link_sessions import SignedFrame
from edge_node.capture.registry import PAIRED, CameraRegistry, HelloIn, HelloOutcome
from edge_node.common.errors import FailedPrecondition
from edge_node.common.frame_mac import frame_mac, session_key, sign_hello_reply
from edge_node.gen.edge.capture.v1 import capture_pb2 as pb
from tests.capture.conftest import photo_path
from tests.capture.link_camera import Memory
from tests.capture.test_ingest import approve, listed, paired
from tests.conftest import wait_until

JPEG = b"\xff\xd8frame\xff\xd9"


def ask(registry: CameraRegistry, link: CameraLink) -> HelloOutcome:
    """One Hello of `link` to `registry`, its reply (as the protocol signs it) acted on by the camera."""
    request = link.hello("1.0")
    outcome = registry.hello(HelloIn(request.camera_id, request.firmware_version, request.device_nonce,
                                     request.hello_nonce, request.hello_mac, request.pairing_commitment,
                                     request.pairing_public_key, request.pairing_mac), "10.0.0.7")
    reply = pb.HelloResponse(state=pb.CameraState.Value(f"CAMERA_STATE_{outcome.state}"), session_id=outcome.session_id,
                             pairing_code=outcome.pairing_code, box_public_key=outcome.box_public_key).SerializeToString()
    link.answer(request, sign_hello_reply(outcome.sign_key, request.hello_nonce, reply) if outcome.sign_key else reply)
    return outcome


def ask_to_pair(registry: CameraRegistry, link: CameraLink) -> str:
    """Hellos until the box lists the camera's pairing code (one after the camera learnt it)."""
    for _ in range(3):
        ask(registry, link)
        rec = registry.get(link.camera_id)
        if link.pairing_code and rec is not None and link.pairing_code in (rec.pairing_code, rec.repair_code):
            return link.pairing_code
    raise AssertionError("the exchange did not complete")


def signed(camera_id: str, key: bytes, session_id: bytes, sequence: int) -> SignedFrame:
    mac = frame_mac(session_key(key, session_id), camera_id, sequence, 0, 1, False, 0, JPEG)
    return SignedFrame(camera_id, session_id, sequence, 0, 1, False, 0, JPEG, mac)


def test_a_restart_ends_every_session_and_exchange_and_keeps_the_key(capture_node) -> None:
    store = capture_node.node.store
    before = CameraRegistry(store.tables, store.clock)
    memory = Memory()
    camera = CameraLink("cam-restart", os.urandom(16), memory)
    before.approve("cam-restart", ask_to_pair(before, camera))
    issued = ask(before, camera)
    assert issued.state == PAIRED and memory.link_key == before.get("cam-restart").link_key
    assert before.authenticate(signed("cam-restart", memory.link_key, issued.session_id, 1))[0].key_confirmed

    after = CameraRegistry(store.tables, store.clock)  # the box restarted
    with pytest.raises(Unauthenticated, match="send Hello"):
        after.authenticate(signed("cam-restart", memory.link_key, issued.session_id, 2))
    offered = ask(after, camera)
    assert offered.state == PAIRED and offered.sign_key == memory.link_key
    assert after.authenticate(signed("cam-restart", memory.link_key, offered.session_id, 1))[0].state == PAIRED

    waiting = CameraLink("cam-wait", os.urandom(16), Memory())
    old_code = ask_to_pair(after, waiting)
    restarted = CameraRegistry(store.tables, store.clock)
    with pytest.raises(FailedPrecondition, match="restart"):
        restarted.approve("cam-wait", old_code)
    ask(restarted, waiting)  # a new box key: the camera starts over with a fresh key pair
    assert waiting.pairing_code == ""
    restarted.approve("cam-wait", ask_to_pair(restarted, waiting))
    assert ask(restarted, waiting).state == PAIRED and waiting.store.link_key


def test_a_camera_paired_with_a_token_from_an_earlier_release_must_re_pair(capture_node) -> None:
    store = capture_node.node.store
    store.tables.camera.insert(camera_id="cam-old", state=PAIRED, source_kind="PUSH", address="", firmware_version="",
                               device_nonce=os.urandom(16), pairing_code="OLD0-CODE", token_hash="ab" * 32,
                               created_us=0, updated_us=0, stream_settings="").execute()
    upgraded = CameraRegistry(store.tables, store.clock)
    camera = CameraLink("cam-old", os.urandom(16), Memory())
    code = ask_to_pair(upgraded, camera)
    assert upgraded.get("cam-old").repair_code == code and upgraded.get("cam-old").state == PAIRED
    upgraded.approve("cam-old", code)
    assert ask(upgraded, camera).state == PAIRED and len(camera.store.link_key) == 32


def test_a_camera_whose_key_the_box_refuses_keeps_it_and_pairs_beside_it(capture_node, shared_dir: Path,
                                                                         tmp_path: Path) -> None:
    client = ConnectClient(*capture_node.ingest)
    jpeg = load_frame(photo_path(shared_dir, "Bill_Gates", 1))
    camera = paired(capture_node, client, "cam-stale")
    assert camera.push(jpeg.stream_jpeg).state == pb.CAMERA_STATE_PAIRED
    state = tmp_path / "cam-stale.json"  # its NVS holds a key the box does not (the box was restored, say)
    stale = os.urandom(32)
    state.write_text(json.dumps({"nonce": camera.nonce.hex(), "link_key": stale.hex()}))
    sim = CameraSimulator(*capture_node.ingest, "cam-stale", [jpeg], state_file=state,
                          options=SimOptions(hold_seconds=3600.0))
    stop = threading.Event()
    thread = threading.Thread(target=sim.run, args=(stop,), daemon=True)
    thread.start()
    try:
        assert wait_until(lambda: sim.link.pairing_code != "" and
                          listed(capture_node, "cam-stale").repair_code == sim.link.pairing_code, timeout=20)
        assert sim.device.link_key == stale  # nothing unsigned made it drop its key
        assert camera.push(jpeg.stream_jpeg).state == pb.CAMERA_STATE_PAIRED  # the box's key still works
        received = listed(capture_node, "cam-stale").frames_received
        approve(capture_node, "cam-stale", sim.link.pairing_code)
        assert wait_until(lambda: listed(capture_node, "cam-stale").frames_received > received, timeout=20)
        assert sim.device.link_key not in (b"", stale)
        assert json.loads(state.read_text())["link_key"] == sim.device.link_key.hex()
    finally:
        stop.set()
        thread.join(5)
