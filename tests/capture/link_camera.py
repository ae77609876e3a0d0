"""A hand-driven push camera for tests: pairs through the X25519 exchange, keeps its link key and session,
signs its Hellos and frames and checks the box's signed replies, as the firmware does."""
from __future__ import annotations

import os

from edge_node.camera_sim.connect import ConnectClient
from edge_node.camera_sim.camera_link import CameraLink, frame_reply
from edge_node.common.frame_mac import frame_mac, session_key
from edge_node.gen.edge.capture.v1 import capture_pb2 as pb


class Memory:
    """A camera's NVS, in memory: the link key a CameraLink keeps."""

    def __init__(self, key: bytes = b"") -> None:
        self.link_key = key

    def set_link_key(self, key: bytes) -> None:
        self.link_key = key


class LinkCamera:
    def __init__(self, client: ConnectClient, camera_id: str, nonce: bytes | None = None) -> None:
        self.client = client
        self.camera_id = camera_id
        self.nonce = nonce or os.urandom(16)
        self.memory = Memory()
        self.link = CameraLink(camera_id, self.nonce, self.memory)
        self.session_id = b""
        self.sequence = 0
        self.outcome = ""  # of the last Hello: PAIRED, REVOKED, AGAIN or WAIT
        self.wire: list[bytes] = []  # every request and reply body, both ways

    @property
    def link_key(self) -> bytes:
        return self.memory.link_key

    def hello(self) -> pb.HelloResponse:
        """One Hello, its reply acted on as the firmware does."""
        request = self.link.hello("1.0")
        self.wire.append(request.SerializeToString())
        body = self.client.post("Hello", self.wire[-1])
        self.wire.append(body)
        answer = self.link.answer(request, body)
        self.outcome = answer.outcome
        if answer.outcome == "PAIRED":
            self.session_id, self.sequence = answer.reply.session_id, 0
        return answer.reply

    def ask_to_pair(self) -> str:
        """Hellos until the exchange is complete; the pairing code the camera shows."""
        for _ in range(3):
            self.hello()
            if self.outcome != "AGAIN":
                break
        assert self.link.pairing_code, f"no pairing code after the exchange (outcome {self.outcome})"
        return self.link.pairing_code

    def frame(self, jpeg: bytes, high_quality: bool = False, command_id: int = 0) -> pb.PushFrameRequest:
        """The next frame of the session, signed (not sent)."""
        self.sequence += 1
        request = pb.PushFrameRequest(camera_id=self.camera_id, session_id=self.session_id, sequence=self.sequence,
                                      captured_at_ms=1000 + self.sequence, frame_size=pb.FRAME_SIZE_QVGA,
                                      high_quality=high_quality, command_id=command_id, jpeg=jpeg)
        request.mac = frame_mac(self.session_key, self.camera_id, request.sequence, request.captured_at_ms,
                                request.frame_size, request.high_quality, request.command_id, request.jpeg)
        return request

    @property
    def session_key(self) -> bytes:
        return session_key(self.link_key, self.session_id)

    def send(self, request: pb.PushFrameRequest) -> pb.PushFrameResponse:
        """Send a frame; the reply, which must carry a valid MAC for it."""
        self.wire.append(request.SerializeToString())
        body = self.client.post("PushFrame", self.wire[-1])
        self.wire.append(body)
        reply = frame_reply(self.session_key, request.sequence, body)
        assert reply is not None, "the box's reply does not carry a valid MAC"
        return reply

    def push(self, jpeg: bytes) -> pb.PushFrameResponse:
        return self.send(self.frame(jpeg))
