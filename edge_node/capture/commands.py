"""Commands to cameras: HQ captures, result signals and stream settings, queued for the camera's next
PushFrame reply (a pull source takes its next frame as the HQ answer)."""
from __future__ import annotations

import itertools

from edge_node.capture import registry as reg
from edge_node.capture.config import CaptureConfig
from edge_node.capture.exposure import ExposureSettings
from edge_node.capture.fleet import CameraFleet
from edge_node.capture.stream_settings import StreamSettings
from edge_node.common.errors import FailedPrecondition
from edge_node.gen.edge.capture.v1 import capture_pb2 as pb

# HQ requests a camera may have outstanding; beyond, the oldest is forgotten.
MAX_HQ_OUTSTANDING = 8


class CameraCommands:
    """Thread-safe; command ids are unique per node run."""

    def __init__(self, config: CaptureConfig, registry: reg.CameraRegistry, fleet: CameraFleet) -> None:
        self._config = config
        self._registry = registry
        self._fleet = fleet
        self._ids = itertools.count(1)

    def request_hq(self, camera_id: str, frame_size: int = 0, for_live: bool = True) -> int:
        """Ask for one HQ frame; with `for_live` it goes to the check-in flow. Returns the command id."""
        camera = self._fleet.camera(camera_id)
        command_id = next(self._ids)
        if len(camera.hq_wanted) >= MAX_HQ_OUTSTANDING:
            camera.hq_wanted.pop(next(iter(camera.hq_wanted)))
        camera.hq_wanted[command_id] = for_live
        rec = self._registry.get(camera_id)
        if rec is not None and rec.source_kind != reg.PUSH:
            camera.pull_hq_command = command_id
        else:
            size = frame_size or pb.FrameSize.Value(f"FRAME_SIZE_{self._config.hq_frame_size.upper()}")
            camera.queue_command(pb.Command(command_id=command_id, capture_high_quality=pb.CaptureHighQuality(
                frame_size=size, jpeg_quality=self._config.hq_jpeg_quality)))
        return command_id

    def check_ready(self, camera_id: str) -> None:
        rec = self._registry.get(camera_id)
        if rec is None or rec.state != reg.PAIRED:
            raise FailedPrecondition(f"camera {camera_id!r} is not a paired camera; ListCameras shows the known ones")

    def show_result(self, camera_id: str, accepted: bool) -> None:
        """Light the camera's LED green (accepted) or red for `[capture] result_ms`."""
        signal = pb.RESULT_SIGNAL_ACCEPTED if accepted else pb.RESULT_SIGNAL_REJECTED
        self._fleet.camera(camera_id).queue_command(pb.Command(command_id=next(self._ids), show_result=pb.ShowResult(
            signal=signal, duration_ms=self._config.result_ms)))

    def set_exposure(self, camera_id: str, settings: ExposureSettings) -> None:
        """Send a push camera new exposure controls (a pull source's exposure is not ours to set)."""
        rec = self._registry.get(camera_id)
        if rec is None or rec.source_kind != reg.PUSH:
            return
        controls = pb.CameraControls(ae_level=settings.ae_level, aec_value=settings.aec_value,
                                     gain_ceiling=settings.gain_ceiling, brightness=settings.brightness)
        self._fleet.camera(camera_id).queue_command(pb.Command(command_id=next(self._ids), camera_controls=controls))

    def send_stream_settings(self, camera_id: str, settings: StreamSettings) -> int:
        command_id = next(self._ids)
        self._fleet.camera(camera_id).queue_command(pb.Command(command_id=command_id, stream_settings=settings.to_pb()))
        return command_id
