"""The camera protocol (Hello, PushFrame) as protobuf in and out; the HTTP ingest and the gRPC
CaptureService both answer cameras through it."""
from __future__ import annotations

from edge_node.capture import registry as reg
from edge_node.capture.config import CaptureConfig
from edge_node.capture.fleet import CameraFleet
from edge_node.capture.link import SignedFrame
from edge_node.capture.stream_settings import effective_settings
from edge_node.gen.edge.capture.v1 import capture_pb2 as pb


class CameraProtocol:
    """Thread-safe: pairing through the registry, frames into the fleet, queued commands back out."""

    def __init__(self, config: CaptureConfig, registry: reg.CameraRegistry, fleet: CameraFleet) -> None:
        self._config = config
        self._registry = registry
        self._fleet = fleet

    def hello(self, request: pb.HelloRequest, address: str) -> pb.HelloResponse:
        outcome = self._registry.hello(request.camera_id, request.firmware_version, request.device_nonce,
                                       request.has_link_key, address)
        rec = self._registry.get(request.camera_id)
        settings = effective_settings(rec.stream_settings if rec else None, self._config).to_pb()
        return pb.HelloResponse(state=pb.CameraState.Value(f"CAMERA_STATE_{outcome.state}"),
                                link_key=outcome.link_key, session_id=outcome.session_id, settings=settings,
                                pairing_code=outcome.pairing_code,
                                retry_after_ms=self._config.pending_retry_ms if outcome.state != reg.PAIRED else 0)

    def push_frame(self, request: pb.PushFrameRequest) -> pb.PushFrameResponse:
        self._registry.authenticate(SignedFrame(
            request.camera_id, request.session_id, request.sequence, request.captured_at_ms, request.frame_size,
            request.high_quality, request.command_id, request.jpeg, request.mac))
        camera = self._fleet.camera(request.camera_id)
        self._fleet.accept(camera, request.jpeg, request.high_quality, request.command_id)
        return pb.PushFrameResponse(state=pb.CAMERA_STATE_PAIRED, commands=camera.take_commands())
