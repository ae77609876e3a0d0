"""The camera's half of the link, as the firmware does it: the X25519 pairing exchange, Hellos signed with the
link key, and the checks of the box's signed replies (a camera acts on none that does not verify)."""
from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Protocol

from edge_node.common.frame_mac import HELLO_NONCE_BYTES, frame_reply_valid, hello_mac, hello_reply_valid
from edge_node.common.link_pairing import KeyPair, commitment, pairing_code
from edge_node.gen.edge.capture.v1 import capture_pb2 as pb


class KeyStore(Protocol):
    """Where the link key lives (the simulator's DeviceState, a test's memory)."""

    link_key: bytes

    def set_link_key(self, key: bytes) -> None: ...


@dataclass(frozen=True)
class HelloAnswer:
    """What a Hello reply means to the camera: PAIRED (verified, with a session), REVOKED (verified: the key
    is gone), AGAIN (the exchange moved on: say Hello again at once), or WAIT (pending, or a reply the camera
    could not verify)."""
    outcome: str
    reply: pb.HelloResponse


class CameraLink:
    """Holds the device's link key through `key_store` (get/set), never dropping it on an unsigned reply."""

    def __init__(self, camera_id: str, device_nonce: bytes, key_store: KeyStore) -> None:
        self.camera_id = camera_id
        self.device_nonce = device_nonce
        self.store = key_store
        self.pairing_code = ""
        self.unverified_replies = 0
        # Pairing runs beside a stored key once the box did not accept that key.
        self._pairing_too = not key_store.link_key
        self._keys: KeyPair | None = None
        self._box_public = b""
        self._candidate = b""

    def hello(self, firmware_version: str, max_frame_size: int = pb.FRAME_SIZE_UXGA) -> pb.HelloRequest:
        """The next Hello: signed with the stored key, and carrying the pairing exchange while pairing."""
        key = self.store.link_key
        request = pb.HelloRequest(camera_id=self.camera_id, firmware_version=firmware_version,
                                  device_nonce=self.device_nonce, max_frame_size=max_frame_size,
                                  has_link_key=bool(key), hello_nonce=os.urandom(HELLO_NONCE_BYTES))
        if key:
            request.hello_mac = self._mac(key, request)
        if self._pairing_too or not key:
            if self._keys is None:
                self._keys = KeyPair()
            request.pairing_commitment = commitment(self._keys.public)
            if self._box_public:
                request.pairing_public_key = self._keys.public
                request.pairing_mac = self._mac(self._candidate, request)
        return request

    def answer(self, request: pb.HelloRequest, body: bytes) -> HelloAnswer:
        """Act on the Hello reply `body` (its bytes: the MAC covers them)."""
        reply = pb.HelloResponse.FromString(body)
        key, nonce = self.store.link_key, request.hello_nonce
        if reply.state in (pb.CAMERA_STATE_PAIRED, pb.CAMERA_STATE_REVOKED) and key \
                and hello_reply_valid(key, nonce, body):
            self._pairing_too = False
            if reply.state == pb.CAMERA_STATE_REVOKED:
                self.store.set_link_key(b"")
                self._restart_pairing()
                return HelloAnswer("REVOKED", reply)
            return HelloAnswer("PAIRED", reply)
        if reply.state == pb.CAMERA_STATE_PAIRED and self._candidate and request.pairing_mac \
                and hello_reply_valid(self._candidate, nonce, body):
            self.store.set_link_key(self._candidate)
            self._pairing_too = False
            self._restart_pairing()
            return HelloAnswer("PAIRED", reply)
        if reply.state != pb.CAMERA_STATE_PENDING:
            self.unverified_replies += 1
        self._pairing_too = True
        return HelloAnswer("AGAIN" if self._take_box_key(request, reply.box_public_key) else "WAIT", reply)

    def refused(self) -> None:
        """The box refused the signed Hello (it does not hold this key): pair beside the key."""
        self._pairing_too = True

    def _take_box_key(self, request: pb.HelloRequest, box_public: bytes) -> bool:
        """True when the exchange moved on (the box's key learnt, or a fresh key pair after the box's changed)."""
        if self._keys is None or len(box_public) != 32 or request.pairing_commitment != commitment(self._keys.public):
            return False
        if self._box_public == box_public:
            return False
        if self._box_public:
            # The box answers with another key (it restarted, or someone else answers): never reveal this key
            # to a second box key; a fresh key pair starts over.
            self._restart_pairing()
            return True
        self._box_public = box_public
        self._candidate = self._keys.link_key(box_public, self._keys.public, box_public)
        self.pairing_code = pairing_code(self._keys.public, box_public)
        return True

    def _restart_pairing(self) -> None:
        self._keys, self._box_public, self._candidate, self.pairing_code = None, b"", b"", ""

    def _mac(self, key: bytes, request: pb.HelloRequest) -> bytes:
        return hello_mac(key, self.camera_id, self.device_nonce, request.hello_nonce)


def frame_reply(session_key: bytes, sequence: int, body: bytes) -> pb.PushFrameResponse | None:
    """The PushFrame reply if its MAC verifies for this frame, else None (act on nothing in it)."""
    return pb.PushFrameResponse.FromString(body) if frame_reply_valid(session_key, sequence, body) else None
