"""The enrolment desk: enrolments running at kiosk cameras, one per camera at most. While a camera
is enrolling, its stream frames ask for HQ frames whenever a face is well placed, and its HQ frames
are offered to the enrolment instead of being recognised; the person is guided on the kiosk."""
from __future__ import annotations

import logging
import threading
import time
from dataclasses import replace
from typing import Callable

from edge_node.capture.config import CaptureConfig
from edge_node.checkin import camera_enrolment as enrol
from edge_node.checkin import results as kinds
from edge_node.checkin.camera_enrolment import CameraEnrolment, EnrolmentProgress
from edge_node.checkin.ports import CameraControl
from edge_node.checkin.results import LiveResult
from edge_node.common.clock import Clock
from edge_node.common.errors import DomainError, FailedPrecondition, InvalidArgument
from edge_node.recognition.engine import EnrollRequest, RecognitionEngine, check_override
from edge_node.recognition.templates import CAMERA

log = logging.getLogger(__name__)
# Between two enrolment frames: time for the person to change pose.
ENROL_FRAME_GAP_S = 0.4


class EnrolmentDesk:
    """Thread-safe: started and followed from RPC threads, fed from the cameras' worker threads."""

    def __init__(self, config: CaptureConfig, engine: RecognitionEngine, clock: Clock,
                 publish: Callable[[LiveResult], None]) -> None:
        self._config = config
        self._engine = engine
        self._clock = clock
        self._publish = publish
        self._cameras: CameraControl | None = None
        self._enrolments: dict[str, CameraEnrolment] = {}
        self._lock = threading.Lock()

    def attach(self, cameras: CameraControl) -> None:
        self._cameras = cameras

    def start(self, camera_id: str, person_id: str, frames: int = 0, timeout_s: int = 0,
              allow_duplicate: bool = False, override_reason: str = "", actor: str = "") -> CameraEnrolment:
        """Start enrolling `person_id` from `camera_id`'s frames; follow it with `updates`. The frames must
        match the person's enrolled faces unless `override_reason` (with `actor`) says why not (audited)."""
        needed = frames or enrol.DEFAULT_FRAMES
        timeout = timeout_s or enrol.DEFAULT_TIMEOUT_S
        if not enrol.MIN_FRAMES <= needed <= enrol.MAX_FRAMES:
            raise InvalidArgument(f"frames must be between {enrol.MIN_FRAMES} and {enrol.MAX_FRAMES}, or 0 for "
                                  f"{enrol.DEFAULT_FRAMES} (got {frames})")
        if not enrol.MIN_TIMEOUT_S <= timeout <= enrol.MAX_TIMEOUT_S:
            raise InvalidArgument(f"timeout_seconds must be between {enrol.MIN_TIMEOUT_S} and {enrol.MAX_TIMEOUT_S}, "
                                  f"or 0 for {enrol.DEFAULT_TIMEOUT_S} (got {timeout_s})")
        self._engine.require_person(person_id)
        check_override(override_reason, actor)
        if self._cameras is None:
            raise FailedPrecondition("the live camera pipeline is not running on this node; see its log")
        self._cameras.check_ready(camera_id)
        now = time.monotonic()
        enrolment = CameraEnrolment(camera_id, person_id, needed, now + timeout, self._engine.same_person_threshold,
                                    EnrollRequest(CAMERA, (), allow_duplicate, override_reason, actor),
                                    [] if override_reason else self._engine.enrolled_faces(person_id))
        with self._lock:
            running = self._enrolments.get(camera_id)
            if running is not None:
                raise FailedPrecondition(f"camera {camera_id!r} is already enrolling {running.person_id!r}; "
                                         "cancel that enrolment first")
            self._enrolments[camera_id] = enrolment
        self._announce(enrolment, enrolment.start(now))
        return enrolment

    def running(self, camera_id: str) -> tuple[str, EnrolmentProgress] | None:
        """(the person's name, the latest progress) of the enrolment at `camera_id`, if one runs."""
        enrolment = self._enrolments.get(camera_id)
        progress = enrolment.latest if enrolment is not None else None
        if enrolment is None or progress is None:
            return None
        return self._engine.display_name(enrolment.person_id) or enrolment.person_id, progress

    def updates(self, enrolment: CameraEnrolment, seen: int, timeout: float) -> list[EnrolmentProgress]:
        """Progress after the first `seen` updates (waits up to `timeout` s); ends it when its time is up."""
        if time.monotonic() > enrolment.deadline and self._release(enrolment):
            self._announce(enrolment, enrolment.finish(enrol.TIMED_OUT, enrolment.shortfall()))
        return enrolment.next_update(seen, timeout)

    def cancel(self, enrolment: CameraEnrolment) -> None:
        """End the enrolment unless it already ended (the admin cancelled, or went away)."""
        if self._release(enrolment):
            self._announce(enrolment, enrolment.finish(enrol.CANCELLED, "cancelled by the admin"))

    def _release(self, enrolment: CameraEnrolment) -> bool:
        """Unregister the enrolment; False if it had already ended."""
        with self._lock:
            if self._enrolments.get(enrolment.camera_id) is not enrolment:
                return False
            del self._enrolments[enrolment.camera_id]
            return True

    def take_frame(self, camera_id: str, jpeg: bytes) -> bool:
        """An HQ frame of a camera that is enrolling goes to its enrolment (True); else False."""
        enrolment = self._enrolments.get(camera_id)
        if enrolment is None:
            return False
        self._offer(enrolment, jpeg)
        return True

    def _offer(self, enrolment: CameraEnrolment, jpeg: bytes) -> None:
        assert self._cameras is not None
        now = time.monotonic()
        enrolment.hq_pending_until = now + ENROL_FRAME_GAP_S
        try:
            assessed = self._engine.assess(jpeg)
        except DomainError as exc:
            log.info("camera %s: enrolment frame refused: %s", enrolment.camera_id, exc)
            enrolment.refused(str(exc))
            return
        progress = enrolment.offer(jpeg, assessed, now)
        if not enrolment.complete:
            self._announce(enrolment, progress)
            return
        if not self._release(enrolment):
            return  # cancelled or timed out while this frame was assessed
        try:
            frames = enrolment.frames
            how = replace(enrolment.request, sources=[enrolment.camera_id] * len(frames))
            stored = self._engine.enroll(enrolment.person_id, frames, how)
        except DomainError as exc:
            final = enrolment.finish(enrol.FAILED, str(exc))
        else:
            taken = sum(1 for item in stored.items if item.template_id)
            final = (enrolment.finish(enrol.DONE, template_count=stored.template_count) if taken
                     else enrolment.finish(enrol.FAILED, "no frame passed the enrolment checks"))
        self._cameras.show_result(enrolment.camera_id, final.state == enrol.DONE)
        self._announce(enrolment, final)

    def _announce(self, enrolment: CameraEnrolment, progress: EnrolmentProgress) -> None:
        """Show the person at the camera what to do (the kiosk page and the monitor)."""
        name = self._engine.display_name(enrolment.person_id) or enrolment.person_id
        counted = f" ({progress.accepted} of {progress.needed})" if not progress.final else ""
        self._publish(LiveResult(enrolment.camera_id, self._clock.now(), kinds.ENROLLING,
                                 enrolment.person_id, name, message=f"{progress.guidance}{counted}"))

    def guide(self, camera_id: str, face_placed: bool, now: float) -> bool:
        """A stream frame of a camera that is enrolling (True): ask for an HQ frame whenever a well-placed
        face is there. False when the camera is not enrolling."""
        enrolment = self._enrolments.get(camera_id)
        if enrolment is None:
            return False
        assert self._cameras is not None
        if face_placed and now >= enrolment.hq_pending_until and not enrolment.over:
            enrolment.hq_pending_until = now + self._config.hq_timeout_seconds
            self._cameras.request_hq(enrolment.camera_id)
        return True
