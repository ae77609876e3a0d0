"""The check-in flow: the one path from a camera's frames to a punch.

Stream frames: detect faces, feed the walk-up trigger, keep a burst of well-placed faces, ask the
camera for an HQ frame. HQ frame: recognition decides on it together with the burst; a MATCH becomes
a punch in attendance (unless the person lingers: then the earlier punch is restated); UNKNOWN and
SPOOF are logged as attempts; the result goes to the kiosk, the monitor and the camera's LED.
While an admin enrols someone at a camera, that camera's frames go to the enrolment desk instead.
Recognition knows nothing of attendance, and attendance nothing of vision: this is where they meet.
"""
from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from typing import Sequence
from zoneinfo import ZoneInfo

import numpy as np

from edge_node.attendance.log import ScanResult
from edge_node.attendance.model import EventType
from edge_node.attendance.store import AttendanceStore
from edge_node.capture.config import CaptureConfig
from edge_node.capture.exposure import face_luma
from edge_node.capture.frames import Frame
from edge_node.checkin import results as kinds
from edge_node.checkin.enrolment_desk import EnrolmentDesk
from edge_node.checkin.live_feedback import accepted, live_result, logged, repeated
from edge_node.checkin.ports import CameraControl
from edge_node.checkin.punch_review import punch_evidence
from edge_node.checkin.results import LiveFace, LiveResult
from edge_node.checkin.review_flags import liveness_doubt
from edge_node.checkin.session import CameraSession
from edge_node.checkin.snapshots import SnapshotStore
from edge_node.checkin.trigger import Action, well_placed
from edge_node.common.bus import Broadcaster
from edge_node.common.errors import DomainError
from edge_node.recognition.engine import RecognitionEngine, RecognizeOutcome
from edge_node.vision.detector_pool import DetectorPool
from edge_node.vision.errors import VisionError
from edge_node.vision.image_io import ImageLimits, decode_image
from edge_node.vision.timing import StageObserver
from edge_node.vision.types import Box, Decision, FaceResult, RecognitionResult

log = logging.getLogger(__name__)
_STREAM_LIMITS = ImageLimits(max_bytes=16 * 1024 * 1024, max_pixels=4096 * 4096)


@dataclass(frozen=True)
class _Punch:
    """A MATCH's scan, its face, and whether the face became a learned template."""

    scan: ScanResult
    face: FaceResult
    learned: bool


@dataclass(frozen=True)
class CheckIn:
    """A recognition outcome and the punch it made (None: no MATCH, or not recorded)."""

    recognition: RecognizeOutcome
    scan: ScanResult | None


class CheckInFlow:
    """Thread-safe: `on_frame` runs on each camera's worker thread, `check_in` on RPC worker threads."""

    def __init__(self, config: CaptureConfig, engine: RecognitionEngine, attendance: AttendanceStore,
                 snapshots: SnapshotStore, latency: StageObserver) -> None:
        self.config = config
        self.results: Broadcaster[LiveResult] = Broadcaster()
        self.snapshots = snapshots
        self._engine = engine
        self._attendance = attendance
        self._latency = latency
        self._sessions: dict[str, CameraSession] = {}
        self._lock = threading.Lock()
        self._detectors: DetectorPool | None = None
        self._cameras: CameraControl | None = None
        self.enrolments = EnrolmentDesk(config, engine, attendance.clock, self._publish)

    def attach(self, detectors: DetectorPool, cameras: CameraControl) -> None:
        """Connect the live path: the stream detector and the cameras' command queue."""
        self._detectors = detectors
        self._cameras = cameras
        self.enrolments.attach(cameras)

    # --- any caller (RecognitionService.Recognize with record) ----------------------------------------

    def check_in(self, image: bytes, extra_frames: Sequence[bytes] = (), camera_id: str = "",
                 top_k: int = 0) -> CheckIn:
        """Recognise, then record: a MATCH is a scan, UNKNOWN and SPOOF are audit attempts."""
        outcome = self._engine.recognize(image, extra_frames, top_k)
        punch = self._record(outcome.result, camera_id)
        self._keep_for_review(punch, image)
        return CheckIn(outcome, punch.scan if punch else None)

    def _record(self, result: RecognitionResult, camera_id: str) -> _Punch | None:
        """The punch a MATCH made (with its face and whether it was learned); None for anything else."""
        if not result.faces:
            return None
        face = result.faces[0]
        if face.decision is Decision.MATCH:
            best = face.matches[0]
            scan = self._attendance.log.record_scan(best.person_id, min(1.0, max(0.0, best.score)), camera_id,
                                                    liveness=min(1.0, max(0.0, face.liveness.score)),
                                                    flags=liveness_doubt(face))
            learned = scan.event.event_type.counted and self._learn(face, camera_id, scan.event.event_id)
            return _Punch(scan, face, learned)
        if face.decision in (Decision.UNKNOWN, Decision.SPOOF):
            spoof = face.decision is Decision.SPOOF
            score = face.liveness.score if spoof else (face.matches[0].score if face.matches else 0.0)
            reason = (f"liveness score {face.liveness.score:.2f} below threshold" if spoof
                      else "face matched no enrolled person")
            self._attendance.log.log_attempt(EventType.SPOOF if spoof else EventType.UNKNOWN_FACE, "", reason,
                                             min(1.0, max(0.0, score)), camera_id)
        return None

    def _learn(self, face: FaceResult, camera_id: str, event_id: int) -> bool:
        """Whether the punch's face became a learned template. A failure (the template and its audit both rolled
        back) is logged; the punch stands."""
        try:
            return self._engine.learn(face, camera_id, event_id) is not None
        except Exception:  # noqa: BLE001 - the punch is recorded; learning from it must not undo it
            log.exception("event %d: the face could not be kept as a learned template", event_id)
            return False

    def _keep_for_review(self, punch: _Punch | None, image: bytes) -> None:
        """After the punch (and, at a camera, after the person's feedback): a counted punch's review reasons
        and, by the site's policy, its face crop. A failure here is logged; the punch stands."""
        if punch is None or not punch.scan.event.event_type.counted:
            return
        try:
            evidence = punch_evidence(punch.face, image, self._engine.thresholds_in_force(),
                                      self._attendance.review_config, punch.learned)
            self._attendance.reviews.keep(punch.scan.event, evidence)
        except Exception:  # noqa: BLE001 - the punch is recorded; its review evidence must not undo it
            log.exception("event %d: the review evidence could not be kept", punch.scan.event.event_id)

    # --- the live path: a camera's frames -------------------------------------------------------------

    def live_faces(self, camera_id: str) -> list[LiveFace]:
        session = self._sessions.get(camera_id)
        return session.faces() if session else []

    def on_frame(self, camera_id: str, frame: Frame) -> None:
        """The capture fleet's sink: a stream frame, or the HQ frame this flow asked for."""
        session = self._session(camera_id)
        if frame.high_quality:
            self._decide(session, frame)
        else:
            self._watch(session, frame)

    def _session(self, camera_id: str) -> CameraSession:
        with self._lock:
            session = self._sessions.get(camera_id)
            if session is None:
                session = self._sessions[camera_id] = CameraSession(camera_id, self.config)
            return session

    # --- the live path: stream frames ---------------------------------------------------------------

    def _watch(self, session: CameraSession, frame: Frame) -> None:
        if self._detectors is None or self._cameras is None:
            return
        start = time.perf_counter()
        try:
            image = decode_image(frame.jpeg, _STREAM_LIMITS)
        except VisionError:
            log.info("camera %s: undecodable stream frame skipped", session.camera_id)
            return
        faces = self._detectors.detect(image)
        self._latency("stream_detect", (time.perf_counter() - start) * 1000)
        height, width = image.shape[:2]
        session.set_faces([((round(f.box.x), round(f.box.y), round(f.box.width), round(f.box.height)), width, height)
                           for f in faces])
        face = faces[0].box if faces else None
        self._steer_exposure(session, image, face)
        placed = face is not None and well_placed(face, width, height, self.config)
        if self.enrolments.guide(session.camera_id, placed, time.monotonic()):
            return
        if placed:
            session.burst.add(frame.jpeg, frame.received)
        action = session.trigger.observe(face, width, height, time.monotonic())
        if action is Action.CAPTURE:
            self._cameras.request_hq(session.camera_id)
            session.burst.observe_ahead(self._engine.observe_ahead)  # while the camera switches to HQ
        elif action is Action.LOOK_AT_CAMERA and face is not None:
            small = face.width < self.config.min_face_fraction * width
            self._publish(LiveResult(session.camera_id, self._attendance.clock.now(), kinds.LOOK_AT_CAMERA,
                                     message="Step closer" if small else "Look at the camera"))

    def _steer_exposure(self, session: CameraSession, image: np.ndarray, face: Box | None) -> None:
        """Expose for the face, not the scene: the controller steps the camera toward a well-lit face."""
        if session.exposure is None or self._cameras is None:
            return
        luma = face_luma(image, (face.x, face.y, face.width, face.height)) if face is not None else None
        change = session.exposure.observe(luma)
        if change is not None:
            self._cameras.set_exposure(session.camera_id, change)

    def _decide(self, session: CameraSession, frame: Frame) -> None:
        assert self._cameras is not None
        if self.enrolments.take_frame(session.camera_id, frame.jpeg):
            return
        now = time.monotonic()
        burst = session.burst.take(now)
        try:
            outcome = self._engine.recognize(frame.jpeg, burst.frames, ahead=burst.ahead)
        except DomainError as exc:
            log.info("camera %s: HQ frame refused: %s", session.camera_id, exc)
            session.trigger.result(False, now)
            return
        at = self._attendance.clock.now()
        zone = ZoneInfo(self._attendance.get_rules().time_zone)
        earlier = self._lingering(session, outcome.result, at.timestamp())
        punch: _Punch | None = None
        if earlier is not None:
            result = repeated(earlier, at, zone)
        else:
            punch = self._record(outcome.result, session.camera_id)
            scan = punch.scan if punch else None
            result = live_result(outcome, scan, session.camera_id, at, zone)
            if result.kind == kinds.MATCH and result.event_type in ("ENTRY", "EXIT"):
                session.remember_punch(result, at.timestamp())
            if result.kind in self.config.snapshot_kinds:
                self.snapshots.save(frame.jpeg, result.at, session.camera_id, result.kind, result.person_id)
        session.trigger.result(logged(result), time.monotonic())
        self._cameras.show_result(session.camera_id, accepted(result))
        self._publish(result)
        self._latency("hq_to_event", (time.monotonic() - frame.received) * 1000)
        self._keep_for_review(punch, frame.jpeg)

    @staticmethod
    def _lingering(session: CameraSession, result: RecognitionResult, now: float) -> LiveResult | None:
        """The punch of the matched person if they are lingering here (this sighting refreshes the window)."""
        if result.decision is not Decision.MATCH or not result.faces or not result.faces[0].matches:
            return None
        return session.lingering(result.faces[0].matches[0].person_id, now)

    def _publish(self, result: LiveResult) -> None:
        try:
            self.results.publish(result)
        except Exception:  # noqa: BLE001 - a broken subscriber must not stop the camera
            log.exception("a live-result subscriber failed")
