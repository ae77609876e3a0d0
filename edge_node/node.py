"""The node: the domain parts of one appliance, wired from the configuration (no gRPC here)."""
from __future__ import annotations

import logging
import os
from typing import Callable

from edge_node.attendance.store import AttendanceStore
from edge_node.capture.system import CaptureSystem
from edge_node.capture.camera_worker import FrameSink
from edge_node.checkin.flow import CheckInFlow
from edge_node.checkin.punch_corrections import PunchCorrections
from edge_node.checkin.results import LiveFace, LiveResult
from edge_node.checkin.snapshots import SnapshotStore
from edge_node.common.bus import Broadcaster
from edge_node.common.clock import Clock, SystemClock
from edge_node.config import Config
from edge_node.modelstore import ModelsUnavailable
from edge_node.recognition.engine import RecognitionEngine
from edge_node.recognition.factory import build_engine, vision_config
from edge_node.settings import RuntimeSettings, SettingsManager
from edge_node.recognition.templates import TemplateStore
from edge_node.sync.worker import SyncWorker
from edge_node.common.tokens import TokenFile, check_strength, load_or_create_token
from edge_node.vision.detector_pool import DetectorPool
from edge_node.vision.errors import BackendUnavailable
from edge_node.vision.timing import LatencyRecorder

log = logging.getLogger(__name__)


class Node:
    """Opens the data directory and the database, loads recognition, owns the admin token and settings."""

    def __init__(self, config: Config, clock: Clock | None = None) -> None:
        self.config = config
        self.data_dir = config.storage.data_path
        self.data_dir.mkdir(parents=True, exist_ok=True)
        os.chmod(self.data_dir, 0o700)
        self.store = AttendanceStore.open(config.storage.database_path, config.attendance, clock or SystemClock(),
                                          config.storage.synchronous.upper())
        self.store.integrity.check()  # a log edited while the node was stopped is named at start (a warning)
        self.store.review_config = config.review
        self.store.reviews.prune()  # crops past the retention go at start too, not only after the next punch
        self.settings = SettingsManager(self.store, config)
        self.admin_token, self.admin_token_created = self._admin_token()
        self.stage_latency = LatencyRecorder()
        self.templates = TemplateStore(self.store.tables, self.store.clock, self.store.journal)
        self.recognition, self.recognition_error = self._recognition()
        self.punch_corrections = PunchCorrections(self.store, self.templates, self.recognition)
        self.sync = self._sync_worker()
        self.capture = CaptureSystem(config.capture, self.store.tables, self.store.clock)
        self.snapshots = SnapshotStore(self.data_dir / "snapshots", config.capture.snapshot_retention_days)
        self.store.persons.on_delete(self.snapshots.delete_person)
        self.checkin = (CheckInFlow(config.capture, self.recognition, self.store, self.snapshots, self.stage_latency)
                        if self.recognition is not None else None)
        self.live_results: Broadcaster[LiveResult] = self.checkin.results if self.checkin else Broadcaster()

    def _admin_token(self) -> tuple[str, bool]:
        if self.config.server.admin_token:
            check_strength(self.config.server.admin_token, "server.admin_token")
            return self.config.server.admin_token, False
        return load_or_create_token(self.data_dir / "admin.token")

    def admin_token_source(self) -> Callable[[], str]:
        """The admin token as it is now: the configured one, or admin.token re-read when it changes."""
        if self.config.server.admin_token:
            return lambda: self.admin_token
        return TokenFile(self.data_dir / "admin.token", self.admin_token)

    def _recognition(self) -> tuple[RecognitionEngine | None, str]:
        """The engine, or None and the reason; recognition fails closed, attendance keeps working."""
        settings = self.config.recognition
        if not settings.enabled:
            return None, "recognition is disabled in the configuration ([recognition] enabled = false)"
        models_dir = settings.models_path(self.data_dir)
        try:
            engine = build_engine(settings, models_dir, self.store.persons, self.templates,
                                  self.store.corrections, self.stage_latency)
        except (ModelsUnavailable, BackendUnavailable) as exc:
            log.error("recognition not started: %s", exc)
            return None, str(exc)
        self.settings.on_change(lambda s: _apply_thresholds(engine, s))
        log.info("recognition ready: model %s, %d templates of %d persons from %s",
                 engine.model_id, len(engine.gallery), engine.gallery.persons(), models_dir)
        return engine, ""

    def _sync_worker(self) -> SyncWorker | None:
        """The hub sync worker wired to the gallery (started by start_workers); None when sync is disabled."""
        if not self.config.sync.enabled:
            return None
        worker = SyncWorker(self.store, self.config.sync, str(self.config.sync.token_path(self.data_dir)),
                            self.templates)
        if self.recognition is not None:
            worker.roster.require_model(self.recognition.can_use, self.recognition.model_id)
            worker.roster.on_template_added(self.recognition.template_added)
            worker.roster.on_templates_removed(self.recognition.templates_removed)
        return worker

    def start_workers(self) -> None:
        """Start background work (hub sync, camera ingest and live pipeline) once the node is fully wired."""
        if self.sync is not None:
            self.sync.start()
        self.capture.start(self._live_sink())

    def _live_sink(self) -> FrameSink | None:
        """The check-in flow with its stream detector, or None: frames are kept but not recognised."""
        if self.checkin is None:
            log.warning("capture: recognition is not running; frames are kept but not recognised")
            return None
        settings = self.config.recognition
        try:
            detectors = DetectorPool(settings.models_path(self.data_dir), self.config.capture.detect_workers,
                                     vision_config(settings).runtime)
        except ModelsUnavailable as exc:
            log.error("capture: no live pipeline: %s", exc)
            return None
        self.checkin.attach(detectors, self.capture.commands)
        return self.checkin.on_frame

    def live_faces(self, camera_id: str) -> list[LiveFace]:
        """The faces of the camera's latest analysed frame: ((x, y, w, h), frame_width, frame_height) each."""
        return self.checkin.live_faces(camera_id) if self.checkin else []

    def close(self) -> None:
        self.capture.stop()
        if self.sync is not None:
            self.sync.stop()
        self.store.close()


def _apply_thresholds(engine: RecognitionEngine, settings: RuntimeSettings) -> None:
    engine.set_thresholds(settings.match_threshold, settings.liveness_threshold)
