"""The live pipeline of one camera: a thread taking the latest frame, detecting faces, triggering the
HQ capture and turning the HQ frame into an attendance result (model work stays off the asyncio loop)."""
from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from typing import Callable

from edge_node.common.bus import Broadcaster
from edge_node.capture import live_types as kinds
from edge_node.capture.camera import LiveCamera
from edge_node.capture.config import CaptureConfig
from edge_node.capture.detection import DetectorPool
from edge_node.capture.frames import Frame
from edge_node.capture.live_types import LiveResult
from edge_node.capture.results import live_result, logged, signal
from edge_node.capture.snapshots import SnapshotStore
from edge_node.capture.trigger import Action, FaceTrigger
from edge_node.common.clock import Clock
from edge_node.common.errors import DomainError
from edge_node.recognition.engine import RecognitionEngine
from edge_node.vision.errors import VisionError
from edge_node.vision.image_io import ImageLimits, decode_image
from edge_node.vision.timing import StageObserver

log = logging.getLogger(__name__)
_STREAM_LIMITS = ImageLimits(max_bytes=16 * 1024 * 1024, max_pixels=4096 * 4096)


@dataclass
class LiveContext:
    """What every camera worker shares."""

    config: CaptureConfig
    detectors: DetectorPool
    engine: RecognitionEngine
    clock: Clock
    results: Broadcaster[LiveResult]
    snapshots: SnapshotStore
    latency: StageObserver
    request_hq: Callable[[LiveCamera], None]
    show_result: Callable[[LiveCamera, int], None]


class CameraWorker:
    def __init__(self, camera: LiveCamera, context: LiveContext) -> None:
        self.camera = camera
        self._ctx = context
        self._trigger = FaceTrigger(context.config)
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
            try:
                if frame.high_quality:
                    self._hq_frame(frame)
                else:
                    self._stream_frame(frame)
            except Exception:  # noqa: BLE001 - a camera's pipeline must survive any single frame
                log.exception("camera %s: frame processing failed", self.camera.camera_id)

    def _stream_frame(self, frame: Frame) -> None:
        start = time.perf_counter()
        try:
            image = decode_image(frame.jpeg, _STREAM_LIMITS)
        except VisionError:
            self.camera.counters.corrupt += 1
            return
        faces = self._ctx.detectors.detect(image)
        self._ctx.latency("stream_detect", (time.perf_counter() - start) * 1000)
        height, width = image.shape[:2]
        self.camera.set_faces([((round(f.box.x), round(f.box.y), round(f.box.width), round(f.box.height)), width, height)
                               for f in faces])
        action = self._trigger.observe(faces[0].box if faces else None, width, height, time.monotonic())
        if action is Action.CAPTURE:
            self._ctx.request_hq(self.camera)
        elif action is Action.LOOK_AT_CAMERA:
            small = faces[0].box.width < self._ctx.config.min_face_fraction * width
            self._publish(LiveResult(self.camera.camera_id, self._ctx.clock.now(), kinds.LOOK_AT_CAMERA,
                                     message="Step closer" if small else "Look at the camera"))

    def _hq_frame(self, frame: Frame) -> None:
        if not self.camera.hq_wanted.pop(frame.command_id, False):
            return  # an admin's RequestCapture: kept as the latest frame only
        try:
            outcome = self._ctx.engine.recognize(frame.jpeg, record=True, camera_id=self.camera.camera_id)
        except DomainError as exc:
            log.info("camera %s: HQ frame refused: %s", self.camera.camera_id, exc)
            self.camera.counters.corrupt += 1
            self._trigger.result(False, time.monotonic())
            return
        result = live_result(outcome, self.camera.camera_id, self._ctx.clock.now())
        self._trigger.result(logged(result), time.monotonic())
        self._ctx.show_result(self.camera, signal(result))
        self._publish(result)
        self._ctx.latency("hq_to_event", (time.monotonic() - frame.received) * 1000)
        anomalous = outcome.scan is not None and (outcome.scan.event.anomalies or result.event_type == "REJECTED")
        if result.kind in self._ctx.config.snapshot_kinds or anomalous:
            self._ctx.snapshots.save(frame.jpeg, result.at, self.camera.camera_id, result.kind, result.person_id)

    def _publish(self, result: LiveResult) -> None:
        try:
            self._ctx.results.publish(result)
        except Exception:  # noqa: BLE001 - a broken subscriber must not stop the camera
            log.exception("a live-result subscriber failed")
