"""Enrolment at a kiosk camera: collect several good, varied HQ frames of one person's face, guiding
them through a few head poses, then store the frames as templates.

A frame is taken when the pipeline accepts it as an enrolment image (one clear face through the
quality gates), it is the same person as the frames already taken, it is not already someone else
(unless allowed), it is not a near copy of a frame already taken, and the head pose is the one asked
for (after `POSE_PATIENCE_S` on one pose any pose will do: the yaw estimate is rough, and a person
must never be stuck at the kiosk).
"""
from __future__ import annotations

import threading
from dataclasses import dataclass, field

import numpy as np

from edge_node.recognition.engine import EnrollRequest
from edge_node.recognition.same_person import strangers_to
from edge_node.recognition.templates import CAMERA
from edge_node.vision.pipeline import Enrollment

COLLECTING, DONE, FAILED, TIMED_OUT, CANCELLED = "COLLECTING", "DONE", "FAILED", "TIMED_OUT", "CANCELLED"
MIN_FRAMES, MAX_FRAMES, DEFAULT_FRAMES = 3, 10, 5
MIN_TIMEOUT_S, MAX_TIMEOUT_S, DEFAULT_TIMEOUT_S = 5, 600, 60
# Yaw (degrees; positive: turned to the person's own left) that counts as frontal, and as turned.
FRONTAL_YAW, TURNED_YAW = 8.0, 6.0
POSE_PATIENCE_S = 4.0
# Two frames closer than this (cosine of their embeddings) add nothing to each other.
NEAR_COPY_COSINE = 0.985

_POSES = (("frontal", "Look straight at the camera"),
          ("left", "Turn your head slightly to your left"),
          ("right", "Now slightly to your right"))


@dataclass(frozen=True)
class EnrolmentProgress:
    state: str
    guidance: str
    accepted: int
    needed: int
    reason: str = ""
    template_count: int = 0

    @property
    def final(self) -> bool:
        return self.state != COLLECTING


@dataclass
class _Taken:
    jpeg: bytes
    embedding: np.ndarray


@dataclass
class CameraEnrolment:
    """One enrolment at one camera. `offer` runs on the camera's worker; progress is read by any thread."""

    camera_id: str
    person_id: str
    needed: int
    deadline: float  # time.monotonic()
    same_person_threshold: float
    request: EnrollRequest = EnrollRequest(CAMERA)
    # The person's enrolled faces a frame must show (empty: none yet, or the admin overrides the check).
    enrolled: list[np.ndarray] = field(default_factory=list)
    hq_pending_until: float = 0.0
    _taken: list[_Taken] = field(default_factory=list)
    _pose_since: float = 0.0
    _offered: int = 0
    _last_refusal: str = ""
    _updates: list[EnrolmentProgress] = field(default_factory=list)
    _cond: threading.Condition = field(default_factory=threading.Condition)

    def start(self, now: float) -> EnrolmentProgress:
        self._pose_since = now
        return self._report(COLLECTING)

    @property
    def frames(self) -> list[bytes]:
        return [t.jpeg for t in self._taken]

    @property
    def complete(self) -> bool:
        return len(self._taken) >= self.needed

    def guidance(self) -> str:
        return _POSES[len(self._taken) % len(_POSES)][1] if not self.complete else "Thank you, hold on"

    def offer(self, jpeg: bytes, assessed: Enrollment, now: float) -> EnrolmentProgress:
        """Take the frame or say why not; the pose moves on with each frame taken."""
        self._offered += 1
        reason = self._refusal(assessed, now)
        if reason:
            self._last_refusal = reason
            return self._report(COLLECTING, reason)
        assert assessed.embedding is not None
        self._taken.append(_Taken(jpeg, _unit(assessed.embedding)))
        self._pose_since = now
        return self._report(COLLECTING)

    def _refusal(self, assessed: Enrollment, now: float) -> str:
        if not assessed.accepted or assessed.embedding is None:
            return assessed.reason or "no clear face"
        other = assessed.duplicate_of
        if other is not None and other.person_id != self.person_id and not self.request.allow_duplicate:
            return f"this face is already enrolled as {other.person_id!r}"
        if strangers_to(self.enrolled, [(0, assessed.embedding)], self.same_person_threshold):
            return "not the face enrolled for this person: the person themselves, please (or the admin overrides)"
        embedding = _unit(assessed.embedding)
        if self._taken:
            if float(embedding @ _unit(sum(t.embedding for t in self._taken))) < self.same_person_threshold:
                return "a different face from the first frames: one person at a time, please"
            if max(float(embedding @ t.embedding) for t in self._taken) >= NEAR_COPY_COSINE:
                return "the same as a frame already taken: " + self.guidance().lower()
        pose = _POSES[len(self._taken) % len(_POSES)][0]
        if not _pose_matches(pose, assessed.quality.yaw_degrees) and now - self._pose_since < POSE_PATIENCE_S:
            return self.guidance()
        return ""

    def refused(self, reason: str) -> None:
        """A frame that could not be assessed at all: counted for what a timeout says."""
        self._offered += 1
        self._last_refusal = reason

    def shortfall(self) -> str:
        """Why the time ran out, saying what the enrolment got."""
        taken = len(self._taken)
        last = f" (the last refused: {self._last_refusal})" if self._last_refusal else ""
        if not self._offered:
            return "no frame with a well-placed face came from the camera: is the person in front of it, facing it?"
        if not taken:
            return f"none of the {self._offered} frame(s) from the camera was usable{last}"
        return (f"{taken} of {self.needed} frames taken ({self._offered} came){last}; give the person more time "
                f"(--timeout) or ask for fewer frames (--frames, at least {MIN_FRAMES})")

    def finish(self, state: str, reason: str = "", template_count: int = 0) -> EnrolmentProgress:
        return self._report(state, reason, template_count)

    def _report(self, state: str, reason: str = "", template_count: int = 0) -> EnrolmentProgress:
        guidance = {DONE: "Enrolled", FAILED: "Enrolment failed", TIMED_OUT: "Enrolment timed out",
                    CANCELLED: "Enrolment cancelled"}.get(state, self.guidance())
        progress = EnrolmentProgress(state, guidance, len(self._taken), self.needed, reason, template_count)
        with self._cond:
            self._updates.append(progress)
            self._cond.notify_all()
        return progress

    def next_update(self, seen: int, timeout: float) -> list[EnrolmentProgress]:
        """The updates after the first `seen`, waiting up to `timeout` seconds for one."""
        with self._cond:
            self._cond.wait_for(lambda: len(self._updates) > seen, timeout)
            return self._updates[seen:]

    @property
    def latest(self) -> EnrolmentProgress | None:
        with self._cond:
            return self._updates[-1] if self._updates else None

    @property
    def over(self) -> bool:
        with self._cond:
            return bool(self._updates) and self._updates[-1].final


def _pose_matches(pose: str, yaw: float) -> bool:
    if pose == "frontal":
        return abs(yaw) <= FRONTAL_YAW
    return yaw >= TURNED_YAW if pose == "left" else yaw <= -TURNED_YAW


def _unit(vector: np.ndarray) -> np.ndarray:
    flat = np.asarray(vector, dtype=np.float32).ravel()
    return flat / max(float(np.linalg.norm(flat)), 1e-12)
