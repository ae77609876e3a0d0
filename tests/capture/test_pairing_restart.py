"""Pairing that recovers: a restart of the box ends sessions, not keys; a token from an earlier release, or a
camera holding a key the box does not, leads to a re-pairing the admin approves."""
from __future__ import annotations

import json
import os
import threading
from pathlib import Path

import pytest

from edge_node.camera_sim.connect import ConnectClient
from edge_node.camera_sim.playlist import load_frame
from edge_node.camera_sim.simulator import CameraSimulator, SimOptions
from edge_node.capture.errors import Unauthenticated
from edge_node.capture.link import SignedFrame
from edge_node.capture.registry import PAIRED, PENDING, CameraRegistry, pairing_code
from edge_node.common.frame_mac import frame_mac, session_key
from edge_node.gen.edge.capture.v1 import capture_pb2 as pb
from tests.capture.conftest import photo_path
from tests.capture.test_ingest import approve, listed, paired
from tests.conftest import wait_until

JPEG = b"\xff\xd8frame\xff\xd9"


def signed(camera_id: str, key: bytes, session_id: bytes, sequence: int) -> SignedFrame:
    mac = frame_mac(session_key(key, session_id), camera_id, sequence, 0, 1, False, 0, JPEG)
    return SignedFrame(camera_id, session_id, sequence, 0, 1, False, 0, JPEG, mac)


def approved(capture_node, camera_id: str, nonce: bytes) -> CameraRegistry:
    """A registry on the node's database in which `camera_id` (this nonce) was approved and has no key yet."""
    registry = CameraRegistry(capture_node.node.store.tables, capture_node.node.store.clock)
    registry.hello(camera_id, "1.0", nonce, False, "")
    registry.approve(camera_id)
    return registry


def test_a_restart_ends_every_session_and_keeps_the_key(capture_node) -> None:
    store = capture_node.node.store
    nonce = os.urandom(16)
    before = approved(capture_node, "cam-restart", nonce)
    issued = before.hello("cam-restart", "1.0", nonce, False, "")
    frame = signed("cam-restart", issued.link_key, issued.session_id, 1)
    assert before.authenticate(frame).key_confirmed

    after = CameraRegistry(store.tables, store.clock)  # the box restarted
    with pytest.raises(Unauthenticated, match="send Hello"):
        after.authenticate(signed("cam-restart", issued.link_key, issued.session_id, 2))
    assert after.hello("cam-restart", "1.0", nonce, False, "").state == PENDING  # no key again
    offered = after.hello("cam-restart", "1.0", nonce, True, "")
    assert offered.state == PAIRED and offered.link_key == b""
    assert after.authenticate(signed("cam-restart", issued.link_key, offered.session_id, 1)).state == PAIRED


def test_a_camera_paired_with_a_token_from_an_earlier_release_must_re_pair(capture_node) -> None:
    store = capture_node.node.store
    nonce = os.urandom(16)
    approved(capture_node, "cam-old", nonce)
    store.tables.camera.update(token_hash="ab" * 32).where(store.tables.camera.camera_id == "cam-old").execute()

    upgraded = CameraRegistry(store.tables, store.clock)
    asks = upgraded.hello("cam-old", "1.0", nonce, False, "")
    assert (asks.state, asks.link_key, asks.pairing_code) == (PENDING, b"", pairing_code(nonce))
    assert upgraded.get("cam-old").repair_nonce == nonce
    upgraded.approve("cam-old", pairing_code(nonce))
    assert len(upgraded.hello("cam-old", "1.0", nonce, False, "").link_key) == 32


def test_a_camera_whose_key_the_box_refuses_asks_to_re_pair(capture_node, shared_dir: Path, tmp_path: Path) -> None:
    client = ConnectClient(*capture_node.ingest)
    jpeg = load_frame(photo_path(shared_dir, "Bill_Gates", 1))
    camera = paired(capture_node, client, "cam-stale")
    assert camera.push(jpeg.stream_jpeg).state == pb.CAMERA_STATE_PAIRED
    state = tmp_path / "cam-stale.json"  # its NVS holds a key the box does not (the box was restored, say)
    state.write_text(json.dumps({"nonce": camera.nonce.hex(), "link_key": os.urandom(32).hex()}))
    sim = CameraSimulator(*capture_node.ingest, "cam-stale", [jpeg], state_file=state,
                          options=SimOptions(hold_seconds=3600.0))
    stop = threading.Event()
    thread = threading.Thread(target=sim.run, args=(stop,), daemon=True)
    thread.start()
    try:
        code = pairing_code(camera.nonce)
        assert wait_until(lambda: listed(capture_node, "cam-stale").repair_code == code, timeout=20)
        assert camera.push(jpeg.stream_jpeg).state == pb.CAMERA_STATE_PAIRED  # the box's key still works
        received = listed(capture_node, "cam-stale").frames_received
        approve(capture_node, "cam-stale", code)
        assert wait_until(lambda: listed(capture_node, "cam-stale").frames_received > received, timeout=20)
        assert sim.device.link_key and json.loads(state.read_text())["link_key"] == sim.device.link_key.hex()
    finally:
        stop.set()
        thread.join(5)
