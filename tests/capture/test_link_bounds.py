"""What a flood of Hellos can take from the box: session offers and pairing exchanges are bounded per source,
a paired camera's own offer survives, and invented camera ids cannot fill the memory or the database."""
from __future__ import annotations

import os

import pytest

from edge_node.camera_sim.camera_link import CameraLink
from edge_node.capture.protocol_errors import Unauthenticated
from edge_node.capture.link_sessions import MAX_OFFERED, MAX_OFFERED_PER_ADDRESS, LinkSessions, SignedFrame
from edge_node.capture.pairing import MAX_EXCHANGES, MAX_PER_ADDRESS, MAX_PER_CAMERA, PairingExchanges
from edge_node.capture.registry import MAX_PENDING, CameraRegistry
from edge_node.common.errors import ResourceExhausted
from edge_node.common.frame_mac import frame_mac, session_key
from tests.capture.link_camera import Memory
from tests.capture.test_pairing_restart import ask_to_pair

KEY = os.urandom(32)
JPEG = b"\xff\xd8x\xff\xd9"


def first_frame(camera_id: str, session_id: bytes) -> SignedFrame:
    mac = frame_mac(session_key(KEY, session_id), camera_id, 1, 0, 1, False, 0, JPEG)
    return SignedFrame(camera_id, session_id, 1, 0, 1, False, 0, JPEG, mac)


def test_a_flood_of_offers_from_other_addresses_never_evicts_the_paired_cameras_offer() -> None:
    sessions = LinkSessions()
    own = sessions.offer("cam", KEY, "10.0.0.7", trusted_address="10.0.0.7")
    flooded = [sessions.offer("cam", KEY, f"10.0.1.{i % 50}", trusted_address="10.0.0.7") for i in range(1000)]
    assert len(sessions._offered["cam"]) == MAX_OFFERED
    verified = sessions.verify(first_frame("cam", own))
    assert verified.started and verified.address == "10.0.0.7"
    with pytest.raises(Unauthenticated, match="unknown or ended session"):
        sessions.verify(first_frame("cam", flooded[-1]))


def test_offers_are_bounded_per_address_and_per_camera() -> None:
    sessions = LinkSessions()
    for _ in range(MAX_OFFERED_PER_ADDRESS + 3):
        sessions.offer("cam", KEY, "10.0.0.9", trusted_address="")
    assert [s.address for s in sessions._offered["cam"].values()] == ["10.0.0.9"] * MAX_OFFERED_PER_ADDRESS
    newest = [sessions.offer("cam", KEY, f"10.0.2.{i}", trusted_address="") for i in range(MAX_OFFERED)]
    assert list(sessions._offered["cam"]) == newest
    assert sessions.verify(first_frame("cam", newest[0])).started
    with pytest.raises(Unauthenticated):  # the first frame of a session ends the other offers
        sessions.verify(first_frame("cam", newest[1]))


def test_pairing_exchanges_are_bounded_per_address_per_camera_and_in_all() -> None:
    exchanges = PairingExchanges()
    first, started = exchanges.exchange("cam", b"c0", "10.0.0.1")
    assert started and exchanges.exchange("cam", b"c0", "10.0.0.1") == (first, False)
    for i in range(1, MAX_PER_ADDRESS + 1):
        exchanges.exchange("cam", f"c{i}".encode(), "10.0.0.1")
    assert exchanges.exchange("cam", b"c0", "10.0.0.1")[1]  # the oldest of that address went first
    for i in range(MAX_PER_CAMERA * 3):
        exchanges.exchange("cam", f"d{i}".encode(), f"10.0.3.{i}")
    assert sum(1 for key in exchanges._exchanges if key[0] == "cam") == MAX_PER_CAMERA
    for i in range(MAX_EXCHANGES * 2):
        exchanges.exchange(f"invented-{i}", b"c", "10.0.9.9")
    assert len(exchanges._exchanges) == MAX_EXCHANGES


def test_invented_camera_ids_cannot_fill_the_database(capture_node) -> None:
    store = capture_node.node.store
    registry = CameraRegistry(store.tables, store.clock)
    waiting = sum(c.state == "PENDING" for c in registry.all())
    for i in range(MAX_PENDING - waiting):
        ask_to_pair(registry, CameraLink(f"flood-{i}", os.urandom(16), Memory()))
    with pytest.raises(ResourceExhausted, match="wait for approval"):
        ask_to_pair(registry, CameraLink("one-too-many", os.urandom(16), Memory()))
    assert registry.get("one-too-many") is None
