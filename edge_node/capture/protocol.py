"""The camera protocol (Hello, PushFrame) as protobuf in and out; the HTTP ingest and the gRPC
CaptureService both answer cameras through it. Replies to a signed Hello and to every accepted frame carry a
MAC; protobuf encodes fields in number order, so `mac` (field 15) is the last bytes of the reply it covers."""
from __future__ import annotations

from edge_node.capture import registry as reg
from edge_node.capture.config import CaptureConfig
from edge_node.capture.fleet import CameraFleet
from edge_node.capture.link_sessions import SignedFrame
from edge_node.capture.stream_settings import effective_settings
from edge_node.common.frame_mac import sign_frame_reply, sign_hello_reply, signed_part
from edge_node.gen.edge.capture.v1 import capture_pb2 as pb


class CameraProtocol:
    """Thread-safe: pairing through the registry, frames into the fleet, queued commands back out."""

    def __init__(self, config: CaptureConfig, registry: reg.CameraRegistry, fleet: CameraFleet) -> None:
        self._config = config
        self._registry = registry
        self._fleet = fleet

    def hello(self, request: pb.HelloRequest, address: str) -> pb.HelloResponse:
        outcome = self._registry.hello(reg.HelloIn(
            request.camera_id, request.firmware_version, request.device_nonce, request.hello_nonce,
            request.hello_mac, request.pairing_commitment, request.pairing_public_key, request.pairing_mac), address)
        rec = self._registry.get(request.camera_id)
        settings = effective_settings(rec.stream_settings if rec else None, self._config).to_pb()
        reply = pb.HelloResponse(state=pb.CameraState.Value(f"CAMERA_STATE_{outcome.state}"),
                                 session_id=outcome.session_id, settings=settings, pairing_code=outcome.pairing_code,
                                 box_public_key=outcome.box_public_key,
                                 retry_after_ms=self._config.pending_retry_ms if outcome.state != reg.PAIRED else 0)
        if outcome.sign_key:
            reply.mac = signed_part(sign_hello_reply(outcome.sign_key, request.hello_nonce,
                                                     reply.SerializeToString()))[1]
        return reply

    def push_frame(self, request: pb.PushFrameRequest) -> pb.PushFrameResponse:
        _, key = self._registry.authenticate(SignedFrame(
            request.camera_id, request.session_id, request.sequence, request.captured_at_ms, request.frame_size,
            request.high_quality, request.command_id, request.jpeg, request.mac))
        camera = self._fleet.camera(request.camera_id)
        self._fleet.accept(camera, request.jpeg, request.high_quality, request.command_id)
        reply = pb.PushFrameResponse(state=pb.CAMERA_STATE_PAIRED, commands=camera.take_commands())
        reply.mac = signed_part(sign_frame_reply(key, request.sequence, reply.SerializeToString()))[1]
        return reply
