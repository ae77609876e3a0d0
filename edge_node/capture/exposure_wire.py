"""ExposureSettings to and from the capture protocol's CameraControls message."""
from __future__ import annotations

from edge_node.capture.exposure import ExposureSettings
from edge_node.gen.edge.capture.v1 import capture_pb2 as pb


def to_camera_controls(settings: ExposureSettings) -> pb.CameraControls:
    """The message the box puts in a Command for the camera."""
    return pb.CameraControls(ae_level=settings.ae_level, aec_value=settings.aec_value,
                             gain_ceiling=settings.gain_ceiling, brightness=settings.brightness)


def from_camera_controls(message: pb.CameraControls) -> ExposureSettings:
    """Settings from a received message, clamped to the sensor's ranges as the firmware does."""
    def clamp(value: int, low: int, high: int) -> int:
        return min(max(value, low), high)

    return ExposureSettings(ae_level=clamp(message.ae_level, -2, 2), aec_value=clamp(message.aec_value, 0, 1200),
                            gain_ceiling=clamp(message.gain_ceiling, 0, 6),
                            brightness=clamp(message.brightness, -2, 2))
