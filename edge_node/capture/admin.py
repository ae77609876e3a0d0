"""What an admin does with cameras: list and inspect them, approve, remove, add pull sources, request a
capture and change a push camera's stream settings."""
from __future__ import annotations

import logging
import time

from edge_node.capture import registry as reg
from edge_node.capture.commands import CameraCommands
from edge_node.capture.config import CaptureConfig
from edge_node.capture.fleet import CameraFleet
from edge_node.capture.records import CameraStatus, LatestFrame
from edge_node.capture.sources import source_kind
from edge_node.capture.stream_settings import StreamSettings, effective_settings
from edge_node.common.errors import NotFound
from edge_node.gen.edge.capture.v1 import capture_pb2 as pb

log = logging.getLogger(__name__)


class CameraAdmin:
    def __init__(self, config: CaptureConfig, registry: reg.CameraRegistry, fleet: CameraFleet,
                 commands: CameraCommands) -> None:
        self._config = config
        self._registry = registry
        self._fleet = fleet
        self._commands = commands

    def cameras(self) -> list[CameraStatus]:
        return [self._status(rec) for rec in self._registry.all()]

    def camera(self, camera_id: str) -> CameraStatus:
        rec = self._registry.get(camera_id)
        if rec is None:
            raise NotFound(f"camera {camera_id!r} is not known; ListCameras shows the known ones")
        return self._status(rec)

    def latest_frame(self, camera_id: str) -> LatestFrame | None:
        camera = self._fleet.find(camera_id)
        latest = camera.latest if camera else None
        return LatestFrame(latest.jpeg, latest.captured_at, latest.width, latest.height) if latest else None

    def approve(self, camera_id: str, pairing_code: str = "") -> CameraStatus:
        return self._status(self._registry.approve(camera_id, pairing_code))

    def remove(self, camera_id: str) -> None:
        self._registry.remove(camera_id)
        self._fleet.drop(camera_id)

    def request_capture(self, camera_id: str, frame_size: int = 0) -> int:
        rec = self._registry.get(camera_id)
        if rec is None or rec.state != reg.PAIRED:
            raise NotFound(f"camera {camera_id!r} is not a paired camera; ListCameras shows the known ones")
        return self._commands.request_hq(camera_id, frame_size or pb.FRAME_SIZE_VGA, for_live=False)

    def update_stream_settings(self, camera_id: str, settings: StreamSettings) -> tuple[CameraStatus, int]:
        """Keep the settings for the camera's Hellos and, if it is paired, queue them as a command; (status,
        command id, 0 when the camera gets them with the Hello that pairs it)."""
        rec = self._registry.set_stream_settings(camera_id, settings.validate())
        command_id = self._commands.send_stream_settings(camera_id, settings) if rec.state == reg.PAIRED else 0
        log.info("camera %s: stream settings %s", camera_id, settings)
        return self._status(rec), command_id

    def add_source(self, camera_id: str, url: str) -> CameraStatus:
        rec = self._registry.add_source(camera_id, source_kind(url), url, stored=True)
        self._fleet.start_source(camera_id, url)
        return self._status(rec)

    def _status(self, rec: reg.CameraRecord) -> CameraStatus:
        camera = self._fleet.find(rec.camera_id)
        now = time.monotonic()
        latest = camera.latest if camera else None
        counters = camera.counters if camera else None
        return CameraStatus(
            camera_id=rec.camera_id, state=rec.state, source_kind=rec.source_kind, address=rec.address,
            fps=round(camera.fps(now), 2) if camera else 0.0,
            last_frame_age_ms=int((now - latest.received) * 1000) if latest else -1,
            frames_received=counters.received if counters else 0,
            frames_dropped=camera.slot.dropped if camera else 0,
            frames_corrupt=counters.corrupt if counters else 0,
            frames_oversized=counters.oversized if counters else 0,
            firmware_version=rec.firmware_version, pairing_code=rec.pairing_code,
            repair_code=rec.repair_code,
            last_seen_at=latest.captured_at if latest else None,
            stream_settings=effective_settings(rec.stream_settings, self._config)
            if rec.source_kind == reg.PUSH else None)
