"""What the check-in flow needs from the cameras, as an interface, so it imports nothing of their wiring."""
from __future__ import annotations

from typing import Protocol

from edge_node.capture.exposure import ExposureSettings


class CameraControl(Protocol):
    def request_hq(self, camera_id: str) -> int:
        """Ask the camera for one high-quality frame; returns the command id it will carry."""

    def show_result(self, camera_id: str, accepted: bool) -> None:
        """Light the camera's result LED."""

    def set_exposure(self, camera_id: str, settings: ExposureSettings) -> None:
        """Send the camera exposure controls (ignored where the box cannot set them)."""

    def check_ready(self, camera_id: str) -> None:
        """FailedPrecondition unless the camera is paired (or a configured pull source)."""
