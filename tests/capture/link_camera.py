"""A hand-driven push camera for tests: says Hello, keeps its link key and session, signs its frames."""
from __future__ import annotations

import os

from edge_node.camera_sim.connect import ConnectClient
from edge_node.common.frame_mac import frame_mac, session_key
from edge_node.gen.edge.capture.v1 import capture_pb2 as pb


class LinkCamera:
    def __init__(self, client: ConnectClient, camera_id: str, nonce: bytes | None = None) -> None:
        self.client = client
        self.camera_id = camera_id
        self.nonce = nonce or os.urandom(16)
        self.link_key = b""
        self.session_id = b""
        self.sequence = 0

    def hello(self) -> pb.HelloResponse:
        reply = self.client.call("Hello", pb.HelloRequest(camera_id=self.camera_id, device_nonce=self.nonce,
                                                          has_link_key=bool(self.link_key)), pb.HelloResponse)
        if reply.link_key:
            self.link_key = reply.link_key
        if reply.session_id:
            self.session_id, self.sequence = reply.session_id, 0
        return reply

    def frame(self, jpeg: bytes, high_quality: bool = False, command_id: int = 0) -> pb.PushFrameRequest:
        """The next frame of the session, signed (not sent)."""
        self.sequence += 1
        key = session_key(self.link_key, self.session_id)
        request = pb.PushFrameRequest(camera_id=self.camera_id, session_id=self.session_id, sequence=self.sequence,
                                      captured_at_ms=1000 + self.sequence, frame_size=pb.FRAME_SIZE_QVGA,
                                      high_quality=high_quality, command_id=command_id, jpeg=jpeg)
        request.mac = frame_mac(key, self.camera_id, request.sequence, request.captured_at_ms, request.frame_size,
                                request.high_quality, request.command_id, request.jpeg)
        return request

    def send(self, request: pb.PushFrameRequest) -> pb.PushFrameResponse:
        return self.client.call("PushFrame", request, pb.PushFrameResponse)

    def push(self, jpeg: bytes) -> pb.PushFrameResponse:
        return self.send(self.frame(jpeg))
