"""The cameras at run time: one LiveCamera and one worker thread each, the pull sources, and the checks
every arriving frame passes before it is handed on."""
from __future__ import annotations

import logging
import threading
import time
from datetime import datetime, timezone

from edge_node.capture.camera import LiveCamera
from edge_node.capture.config import CaptureConfig
from edge_node.capture.frames import Frame, jpeg_size
from edge_node.capture.sources import PullSource
from edge_node.capture.camera_worker import CameraWorker, FrameSink
from edge_node.common.errors import InvalidArgument, ResourceExhausted

log = logging.getLogger(__name__)


class CameraFleet:
    """Thread-safe. Frames reach `sink` (the check-in flow) on each camera's own worker thread."""

    def __init__(self, config: CaptureConfig) -> None:
        self.config = config
        self._sink: FrameSink | None = None
        self._lock = threading.Lock()
        self._live: dict[str, LiveCamera] = {}
        self._workers: dict[str, CameraWorker] = {}
        self._sources: dict[str, PullSource] = {}
        self._started = False

    def start(self, sink: FrameSink | None) -> None:
        """From now on every camera gets a worker handing its frames to `sink` (None: frames are kept only)."""
        with self._lock:
            self._sink = sink
            self._started = True

    def stop(self) -> None:
        with self._lock:
            self._started = False
            sources, workers = list(self._sources.values()), list(self._workers.values())
            self._sources.clear()
            self._workers.clear()
        for source in sources:
            source.stop()
        for worker in workers:
            worker.stop()

    def camera(self, camera_id: str) -> LiveCamera:
        """The camera's runtime record, created (with its worker, once started) on first use."""
        with self._lock:
            camera = self._live.get(camera_id)
            if camera is None:
                camera = self._live[camera_id] = LiveCamera(camera_id)
            if self._started and self._sink is not None and camera_id not in self._workers:
                worker = self._workers[camera_id] = CameraWorker(camera, self._sink)
                worker.start()
            return camera

    def find(self, camera_id: str) -> LiveCamera | None:
        return self._live.get(camera_id)

    def accept(self, camera: LiveCamera, jpeg: bytes, high_quality: bool, command_id: int) -> None:
        """Check size and JPEG framing (counting what fails), then hand the frame to the camera."""
        if len(jpeg) > self.config.max_frame_bytes:
            camera.counters.oversized += 1
            raise ResourceExhausted(f"frame is {len(jpeg)} bytes, above the box's limit of "
                                    f"{self.config.max_frame_bytes}; lower the JPEG quality or frame size")
        try:
            width, height = jpeg_size(jpeg)
        except InvalidArgument:
            camera.counters.corrupt += 1
            raise
        camera.accept(Frame(bytes(jpeg), time.monotonic(), datetime.now(timezone.utc), width, height, high_quality,
                            command_id))

    def start_source(self, camera_id: str, url: str) -> None:
        """Start pulling frames from `url` (once the fleet has started; before, start() of the system does it)."""
        with self._lock:
            if not self._started or camera_id in self._sources:
                return
            source = self._sources[camera_id] = PullSource(
                camera_id, url, lambda jpeg: self._deliver_pulled(camera_id, jpeg),
                self.config.pull_fps, self.config.max_frame_bytes)
        source.start()

    def _deliver_pulled(self, camera_id: str, jpeg: bytes | None) -> None:
        """A pull source's frame (None: refused as oversized); bad frames are counted, never raised."""
        camera = self.camera(camera_id)
        if jpeg is None:
            camera.counters.oversized += 1
            return
        hq_command = camera.pull_hq_command
        try:
            self.accept(camera, jpeg, hq_command != 0, hq_command)
        except (InvalidArgument, ResourceExhausted):
            return
        if hq_command and camera.pull_hq_command == hq_command:
            camera.pull_hq_command = 0

    def drop(self, camera_id: str) -> None:
        """Forget a removed camera: stop its source and worker."""
        with self._lock:
            source = self._sources.pop(camera_id, None)
            worker = self._workers.pop(camera_id, None)
            self._live.pop(camera_id, None)
        if source is not None:
            source.stop()
        if worker is not None:
            worker.stop()
