"""The pairing exchange against an active attacker: a man in the middle ends up with two different codes, so
an admin who compares them approves nothing; a camera never reveals its key to a second box key."""
from __future__ import annotations

import os

import pytest

from edge_node.camera_sim.camera_link import CameraLink
from edge_node.capture.pairing import PairingExchanges
from edge_node.capture.registry import CameraRegistry, HelloIn
from edge_node.common.errors import FailedPrecondition, InvalidArgument
from edge_node.common.link_pairing import KeyPair, commitment
from edge_node.gen.edge.capture.v1 import capture_pb2 as pb
from tests.capture.link_camera import Memory
from tests.capture.test_pairing_restart import ask, ask_to_pair


def answer_as(box: PairingExchanges, camera: CameraLink) -> pb.HelloRequest:
    """One Hello of `camera`, answered by `box` (the box side of the exchange only)."""
    request = camera.hello("1.0")
    exchange, started = box.exchange(camera.camera_id, request.pairing_commitment, "lan")
    if request.pairing_public_key and not started:
        box.reveal(exchange, request.pairing_public_key)
    reply = pb.HelloResponse(state=pb.CAMERA_STATE_PENDING, box_public_key=exchange.keys.public,
                             pairing_code=exchange.code)
    camera.answer(request, reply.SerializeToString())
    return request


def test_a_man_in_the_middle_gets_two_codes_and_no_approval(capture_node) -> None:
    store = capture_node.node.store
    registry = CameraRegistry(store.tables, store.clock)
    camera = CameraLink("cam-mitm", os.urandom(16), Memory())
    posing_as_box = PairingExchanges()  # the attacker, towards the camera
    posing_as_camera = CameraLink("cam-mitm", camera.device_nonce, Memory())  # and towards the box
    answer_as(posing_as_box, camera)
    answer_as(posing_as_box, camera)
    box_code = ask_to_pair(registry, posing_as_camera)
    assert camera.pairing_code and box_code and camera.pairing_code != box_code
    with pytest.raises(FailedPrecondition, match=camera.pairing_code):  # the admin types what the camera shows
        registry.approve("cam-mitm", camera.pairing_code)
    assert registry.get("cam-mitm").state == "PENDING" and not registry.get("cam-mitm").link_key


def test_the_camera_reveals_its_key_to_one_box_key_only(capture_node) -> None:
    camera = CameraLink("cam-once", os.urandom(16), Memory())
    first_box, second_box = PairingExchanges(), PairingExchanges()
    answer_as(first_box, camera)
    revealed = answer_as(first_box, camera)
    assert revealed.pairing_public_key and camera.pairing_code
    answer_as(second_box, camera)  # another box key after the reveal: start over
    fresh = camera.hello("1.0")
    assert camera.pairing_code == "" and not fresh.pairing_public_key
    assert fresh.pairing_commitment != revealed.pairing_commitment


def test_the_box_takes_no_key_revealed_before_its_own_was_sent_nor_one_that_breaks_the_commitment(capture_node) -> None:
    store = capture_node.node.store
    registry = CameraRegistry(store.tables, store.clock)
    keys = KeyPair()
    early = CameraLink("cam-early-reveal", os.urandom(16), Memory())
    request = early.hello("1.0")
    request.pairing_public_key = keys.public
    request.pairing_commitment = commitment(keys.public)
    outcome = registry.hello(HelloIn(request.camera_id, "1.0", request.device_nonce, request.hello_nonce,
                                     pairing_commitment=request.pairing_commitment,
                                     pairing_public_key=request.pairing_public_key), "lan")
    assert outcome.pairing_code == "" and registry.get("cam-early-reveal") is None
    with pytest.raises(InvalidArgument, match="does not hash to pairing_commitment"):
        registry.hello(HelloIn(request.camera_id, "1.0", request.device_nonce, request.hello_nonce,
                               pairing_commitment=request.pairing_commitment,
                               pairing_public_key=KeyPair().public), "lan")
    assert ask(registry, early).state == "PENDING"
