"""node.capture: the cameras (push and pull), their frames and the live pipeline behind them."""
from __future__ import annotations

import itertools
import logging
import threading
import time
from datetime import datetime, timezone
from pathlib import Path

from edge_node.common.bus import Broadcaster
from edge_node.attendance.store import AttendanceStore
from edge_node.capture import registry as reg
from edge_node.capture.camera import LiveCamera
from edge_node.capture.config import CaptureConfig
from edge_node.capture.detection import DetectorPool
from edge_node.capture.frames import Frame, jpeg_size
from edge_node.capture.http_ingest import IngestServer
from edge_node.capture.live_types import CameraStatus, LatestFrame, LiveFace, LiveResult
from edge_node.capture.mdns import Advertisement, advertise
from edge_node.capture.snapshots import SnapshotStore
from edge_node.capture.sources import PullSource, source_kind
from edge_node.capture.stream_settings import StreamSettings
from edge_node.capture.worker import CameraWorker, LiveContext
from edge_node.common.errors import InvalidArgument, NotFound, ResourceExhausted
from edge_node.gen.edge.capture.v1 import capture_pb2 as pb
from edge_node.modelstore import ModelsUnavailable
from edge_node.recognition.engine import RecognitionEngine
from edge_node.vision.backend import BackendConfig
from edge_node.vision.timing import StageObserver

log = logging.getLogger(__name__)
_MAX_HQ_OUTSTANDING = 8


class CaptureHub:
    """Thread-safe; `start()` begins pulling sources and the live pipeline, `stop()` ends them."""

    def __init__(self, config: CaptureConfig, store: AttendanceStore, engine: RecognitionEngine | None,
                 data_dir: Path, models_dir: Path, runtime: BackendConfig, latency: StageObserver) -> None:
        self.config = config
        self.live_results: Broadcaster[LiveResult] = Broadcaster()
        self.registry = reg.CameraRegistry(store.tables, store.clock)
        self.snapshots = SnapshotStore(data_dir / "snapshots", config.snapshot_retention_days)
        store.persons.on_delete(self.snapshots.delete_person)
        self._store = store
        self._clock = store.clock
        self._engine = engine
        self._models_dir = models_dir
        self._runtime = runtime
        self._latency = latency
        self._lock = threading.Lock()
        self._live: dict[str, LiveCamera] = {}
        self._workers: dict[str, CameraWorker] = {}
        self._sources: dict[str, PullSource] = {}
        self._ids = itertools.count(1)
        self._context: LiveContext | None = None
        self._started = False
        self._http: IngestServer | None = None
        self._mdns: Advertisement | None = None
        # The ingest's bound port once started (0 before, or when capture is disabled).
        self.http_port = 0
        for spec in config.sources:
            camera_id, _, url = spec.partition("=")
            self.registry.add_source(camera_id.strip(), source_kind(url.strip()), url.strip(), stored=False)

    # --- lifecycle -------------------------------------------------------------------------------

    def start(self) -> None:
        """Load the stream detector (if recognition runs), start the HTTP ingest and the pull sources."""
        if not self.config.enabled:
            log.info("capture is disabled in the configuration ([capture] enabled = false)")
            return
        self._context = self._live_context()
        try:
            self._http = IngestServer(self, self.config.listen)
        except OSError as exc:
            log.error("camera ingest not started: cannot listen on %s: %s; set [capture] listen "
                      "(EDGE_NODE_CAPTURE_LISTEN) to a free HOST:PORT", self.config.listen, exc)
        else:
            self._http.start()
            self.http_port = self._http.port
            log.info("camera ingest on %s:%d", self.config.listen.rpartition(":")[0], self.http_port)
            if self.config.mdns:
                self._mdns = advertise(self.http_port)
        with self._lock:
            self._started = True
            for rec in self.registry.all():
                if rec.source_kind != reg.PUSH:
                    self._start_source(rec.camera_id, rec.address)

    def stop(self) -> None:
        if self._mdns is not None:
            self._mdns.close()
        if self._http is not None:
            self._http.stop()
        with self._lock:
            self._started = False
            sources, workers = list(self._sources.values()), list(self._workers.values())
            self._sources.clear()
            self._workers.clear()
        for source in sources:
            source.stop()
        for worker in workers:
            worker.stop()

    def _live_context(self) -> LiveContext | None:
        if self._engine is None:
            log.warning("capture: recognition is not running; frames are kept but not recognised")
            return None
        try:
            detectors = DetectorPool(self._models_dir, self.config.detect_workers, self._runtime)
        except ModelsUnavailable as exc:
            log.error("capture: no live pipeline: %s", exc)
            return None
        return LiveContext(self.config, detectors, self._engine, self._clock, self.live_results, self.snapshots,
                           self._latency, self.request_hq, self._show_result)

    # --- the camera protocol ---------------------------------------------------------------------

    def hello(self, request: pb.HelloRequest, address: str) -> pb.HelloResponse:
        outcome = self.registry.hello(request.camera_id, request.firmware_version, request.device_nonce,
                                      request.pairing_token, address)
        settings = self._stream_settings(self.registry.get(request.camera_id)).to_pb()
        return pb.HelloResponse(state=pb.CameraState.Value(f"CAMERA_STATE_{outcome.state}"),
                                pairing_token=outcome.token, settings=settings, pairing_code=outcome.pairing_code,
                                retry_after_ms=self.config.pending_retry_ms if outcome.state != reg.PAIRED else 0)

    def push_frame(self, request: pb.PushFrameRequest) -> pb.PushFrameResponse:
        self.registry.authenticate(request.camera_id, request.pairing_token)
        camera = self._camera(request.camera_id)
        self._accept(camera, request.jpeg, request.high_quality, request.command_id)
        return pb.PushFrameResponse(state=pb.CAMERA_STATE_PAIRED, commands=camera.take_commands())

    def deliver_pulled(self, camera_id: str, jpeg: bytes | None) -> None:
        """A pull source's frame (None: refused as oversized); bad frames are counted, never raised."""
        camera = self._camera(camera_id)
        if jpeg is None:
            camera.counters.oversized += 1
            return
        hq_command = camera.pull_hq_command
        try:
            self._accept(camera, jpeg, hq_command != 0, hq_command)
        except (InvalidArgument, ResourceExhausted):
            return
        if hq_command and camera.pull_hq_command == hq_command:
            camera.pull_hq_command = 0

    def _accept(self, camera: LiveCamera, jpeg: bytes, high_quality: bool, command_id: int) -> None:
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

    def _camera(self, camera_id: str) -> LiveCamera:
        with self._lock:
            camera = self._live.get(camera_id)
            if camera is None:
                camera = self._live[camera_id] = LiveCamera(camera_id)
            if self._started and self._context is not None and camera_id not in self._workers:
                worker = self._workers[camera_id] = CameraWorker(camera, self._context)
                worker.start()
            return camera

    # --- commands to cameras ---------------------------------------------------------------------

    def request_hq(self, camera: LiveCamera, frame_size: int = 0, for_live: bool = True) -> int:
        """Ask for one HQ frame (push: CaptureHighQuality; pull: the next frame); returns the command id."""
        command_id = next(self._ids)
        if len(camera.hq_wanted) >= _MAX_HQ_OUTSTANDING:
            camera.hq_wanted.pop(next(iter(camera.hq_wanted)))
        camera.hq_wanted[command_id] = for_live
        rec = self.registry.get(camera.camera_id)
        if rec is not None and rec.source_kind != reg.PUSH:
            camera.pull_hq_command = command_id
        else:
            size = frame_size or pb.FrameSize.Value(f"FRAME_SIZE_{self.config.hq_frame_size.upper()}")
            camera.queue_command(pb.Command(command_id=command_id, capture_high_quality=pb.CaptureHighQuality(
                frame_size=size, jpeg_quality=self.config.hq_jpeg_quality)))
        return command_id

    def _stream_settings(self, rec: reg.CameraRecord | None) -> StreamSettings:
        """The camera's own settings, else the [capture] defaults."""
        if rec is not None and rec.stream_settings is not None:
            return rec.stream_settings
        return StreamSettings("QVGA", self.config.stream_fps, self.config.stream_jpeg_quality)

    def _show_result(self, camera: LiveCamera, signal: int) -> None:
        camera.queue_command(pb.Command(command_id=next(self._ids), show_result=pb.ShowResult(
            signal=signal, duration_ms=self.config.result_ms)))

    # --- admin -----------------------------------------------------------------------------------

    def cameras(self) -> list[CameraStatus]:
        return [self._status(rec) for rec in self.registry.all()]

    def camera(self, camera_id: str) -> CameraStatus:
        rec = self.registry.get(camera_id)
        if rec is None:
            raise NotFound(f"camera {camera_id!r} is not known; ListCameras shows the known ones")
        return self._status(rec)

    def _status(self, rec: reg.CameraRecord) -> CameraStatus:
        camera = self._live.get(rec.camera_id)
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
            last_seen_at=latest.captured_at if latest else None,
            stream_settings=self._stream_settings(rec) if rec.source_kind == reg.PUSH else None)

    def latest_frame(self, camera_id: str) -> LatestFrame | None:
        camera = self._live.get(camera_id)
        latest = camera.latest if camera else None
        return LatestFrame(latest.jpeg, latest.captured_at, latest.width, latest.height) if latest else None

    def live_faces(self, camera_id: str) -> list[LiveFace]:
        camera = self._live.get(camera_id)
        return camera.faces() if camera else []

    def approve(self, camera_id: str) -> CameraStatus:
        return self._status(self.registry.approve(camera_id))

    def remove(self, camera_id: str) -> None:
        self.registry.remove(camera_id)
        with self._lock:
            source = self._sources.pop(camera_id, None)
            worker = self._workers.pop(camera_id, None)
            self._live.pop(camera_id, None)
        if source is not None:
            source.stop()
        if worker is not None:
            worker.stop()

    def request_capture(self, camera_id: str, frame_size: int = 0) -> int:
        rec = self.registry.get(camera_id)
        if rec is None or rec.state != reg.PAIRED:
            raise NotFound(f"camera {camera_id!r} is not a paired camera; ListCameras shows the known ones")
        return self.request_hq(self._camera(camera_id), frame_size or pb.FRAME_SIZE_VGA, for_live=False)

    def update_stream_settings(self, camera_id: str, settings: StreamSettings) -> tuple[CameraStatus, int]:
        """Keep the settings for the camera's Hellos and, if it is paired, queue them as a command; (status,
        command id, 0 when the camera gets them with the Hello that pairs it)."""
        rec = self.registry.set_stream_settings(camera_id, settings.validate())
        command_id = 0
        if rec.state == reg.PAIRED:
            command_id = next(self._ids)
            self._camera(camera_id).queue_command(pb.Command(command_id=command_id, stream_settings=settings.to_pb()))
        log.info("camera %s: stream settings %s", camera_id, settings)
        return self._status(rec), command_id

    def add_source(self, camera_id: str, url: str) -> CameraStatus:
        rec = self.registry.add_source(camera_id, source_kind(url), url, stored=True)
        with self._lock:
            if self._started:
                self._start_source(camera_id, url)
        return self._status(rec)

    def _start_source(self, camera_id: str, url: str) -> None:
        source = PullSource(camera_id, url, lambda jpeg: self.deliver_pulled(camera_id, jpeg),
                            self.config.pull_fps, self.config.max_frame_bytes)
        self._sources[camera_id] = source
        source.start()
