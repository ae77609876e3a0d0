"""The camera protocol (Hello, PushFrame) as protobuf in and out; the HTTP ingest and the gRPC
CaptureService both answer cameras through it."""
from __future__ import annotations

from edge_node.capture import registry as reg
from edge_node.capture.config import CaptureConfig
from edge_node.capture.fleet import CameraFleet
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
                                       request.pairing_token, address)
        rec = self._registry.get(request.camera_id)
        settings = effective_settings(rec.stream_settings if rec else None, self._config).to_pb()
        return pb.HelloResponse(state=pb.CameraState.Value(f"CAMERA_STATE_{outcome.state}"),
                                pairing_token=outcome.token, settings=settings, pairing_code=outcome.pairing_code,
                                retry_after_ms=self._config.pending_retry_ms if outcome.state != reg.PAIRED else 0)

    def push_frame(self, request: pb.PushFrameRequest) -> pb.PushFrameResponse:
        self._registry.authenticate(request.camera_id, request.pairing_token)
        camera = self._fleet.camera(request.camera_id)
        self._fleet.accept(camera, request.jpeg, request.high_quality, request.command_id)
        return pb.PushFrameResponse(state=pb.CAMERA_STATE_PAIRED, commands=camera.take_commands())
