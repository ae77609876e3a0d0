"""One camera's check-in state: the walk-up trigger, the burst, the faces last seen and who is lingering
(seen again within the linger window of their last sighting, so a person who stays is punched once)."""
from __future__ import annotations

import threading
import time

from edge_node.capture.config import CaptureConfig
from edge_node.capture.exposure import ExposureController
from edge_node.checkin.burst import BurstBuffer
from edge_node.checkin.results import LiveFace, LiveResult
from edge_node.checkin.trigger import FaceTrigger

# Faces older than this are not shown any more.
FACES_TTL_SECONDS = 1.0


class CameraSession:
    """Used by the camera's worker thread; `faces()` may be read from any thread."""

    def __init__(self, camera_id: str, config: CaptureConfig) -> None:
        self.camera_id = camera_id
        self.trigger = FaceTrigger(config)
        self.burst = BurstBuffer(config.burst_frames, config.burst_max_age_seconds)
        self.exposure = ExposureController() if config.exposure_control else None
        self._linger_s = config.linger_seconds
        self._recent: dict[str, tuple[float, LiveResult]] = {}
        self._faces: tuple[float, list[LiveFace]] = (0.0, [])
        self._lock = threading.Lock()

    def set_faces(self, faces: list[LiveFace]) -> None:
        with self._lock:
            self._faces = (time.monotonic(), faces)

    def faces(self) -> list[LiveFace]:
        with self._lock:
            at, faces = self._faces
        return list(faces) if time.monotonic() - at <= FACES_TTL_SECONDS else []

    def lingering(self, person_id: str, now: float) -> LiveResult | None:
        """The punch this person made here, when they were last seen here within the linger window.

        A sighting within the window refreshes it (the window runs from the last sighting, not from the
        punch), so a person who stays in view keeps their one punch however long they stay. `now` is in
        seconds on the node's clock."""
        entry = self._recent.get(person_id)
        if entry is None or not 0 <= now - entry[0] <= self._linger_s:
            return None
        self._recent[person_id] = (now, entry[1])
        return entry[1]

    def remember_punch(self, result: LiveResult, now: float) -> None:
        """A punch here at `now`: its linger window starts (entries whose window has closed are dropped)."""
        self._recent = {pid: e for pid, e in self._recent.items() if 0 <= now - e[0] <= self._linger_s}
        self._recent[result.person_id] = (now, result)
