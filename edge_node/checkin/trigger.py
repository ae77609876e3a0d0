"""When to ask for a high-quality frame: a centred, large enough face, stable for N frames (fewer for a
face that is already close: it will be sharp in the HQ frame); then not again for the same person
until the face left the frame or the cooldown passed."""
from __future__ import annotations

import enum

from edge_node.capture.config import CaptureConfig
from edge_node.vision.types import Box

# Between two LOOK_AT_CAMERA hints of one camera.
LOOK_HINT_SECONDS = 2.0


class Action(enum.Enum):
    NONE = "NONE"
    LOOK_AT_CAMERA = "LOOK_AT_CAMERA"
    CAPTURE = "CAPTURE"


def well_placed(box: Box, width: int, height: int, config: CaptureConfig) -> bool:
    """The face is large enough and its centre lies in the central guide region."""
    cx, cy = box.center
    half = config.guide_fraction / 2
    return (box.width >= config.min_face_fraction * width
            and abs(cx - width / 2) <= half * width and abs(cy - height / 2) <= half * height)


class FaceTrigger:
    """Per-camera state machine fed with each stream frame's largest face; not thread-safe."""

    def __init__(self, config: CaptureConfig) -> None:
        self._config = config
        self._last: Box | None = None
        self._stable = 0
        self._absent = 0
        self._armed = True
        self._rearm_at = 0.0
        self._waiting_until = 0.0
        self._last_hint = -LOOK_HINT_SECONDS

    def observe(self, face: Box | None, width: int, height: int, now: float) -> Action:
        """`now` is time.monotonic(); returns what the camera worker should do for this frame."""
        if now < self._waiting_until:
            return Action.NONE
        if face is None:
            self._absent += 1
            self._stable, self._last = 0, None
            if self._absent >= self._config.leave_frames:
                self._armed = True
            return Action.NONE
        self._absent = 0
        if not self._armed and now < self._rearm_at:
            return Action.NONE
        self._armed = True
        if not well_placed(face, width, height, self._config):
            self._stable, self._last = 0, None
            if now - self._last_hint >= LOOK_HINT_SECONDS:
                self._last_hint = now
                return Action.LOOK_AT_CAMERA
            return Action.NONE
        moved = self._last is None or _shift(face, self._last) > self._config.stable_shift
        self._stable = 1 if moved else self._stable + 1
        self._last = face
        if self._stable < self._needed(face, width):
            return Action.NONE
        self._waiting_until = now + self._config.hq_timeout_seconds
        self._stable = 0
        return Action.CAPTURE

    def _needed(self, face: Box, width: int) -> int:
        """Stable frames before a capture: quick_stable_frames for a close face, else stable_frames."""
        close = face.width >= self._config.quick_face_fraction * width
        return min(self._config.quick_stable_frames, self._config.stable_frames) if close else self._config.stable_frames

    def result(self, logged: bool, now: float) -> None:
        """An HQ result arrived: wait for the face to leave, or the cooldown (short when nothing was logged)."""
        self._waiting_until = 0.0
        self._armed = False
        self._absent = 0
        self._rearm_at = now + (self._config.cooldown_seconds if logged else self._config.retry_seconds)


def _shift(a: Box, b: Box) -> float:
    """Centre displacement relative to the box width."""
    (ax, ay), (bx, by) = a.center, b.center
    return max(abs(ax - bx), abs(ay - by)) / max(b.width, 1.0)
