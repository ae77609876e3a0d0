"""One camera's worker thread: takes the latest frame from the camera's slot and hands it to the sink
(the check-in flow), so model work never runs on an ingest or gRPC thread."""
from __future__ import annotations

import logging
import threading
from typing import Callable

from edge_node.capture.camera import LiveCamera
from edge_node.capture.frames import Frame

log = logging.getLogger(__name__)

# sink(camera_id, frame): a stream frame, or an HQ frame the live pipeline asked for.
FrameSink = Callable[[str, Frame], None]


class CameraWorker:
    def __init__(self, camera: LiveCamera, sink: FrameSink) -> None:
        self.camera = camera
        self._sink = sink
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"camera-{camera.camera_id}", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self.camera.slot.wake()
        self._thread.join(5)

    def _run(self) -> None:
        while not self._stop.is_set():
            frame = self.camera.slot.take(0.5)
            if frame is None:
                continue
            if frame.high_quality and not self.camera.hq_wanted.pop(frame.command_id, False):
                continue  # an admin's RequestCapture: kept as the latest frame only
            try:
                self._sink(self.camera.camera_id, frame)
            except Exception:  # noqa: BLE001 - a camera's pipeline must survive any single frame
                log.exception("camera %s: frame processing failed", self.camera.camera_id)
