"""Plain result dataclasses of the recognition pipeline (no protobuf types)."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

import numpy as np


class Decision(enum.Enum):
    """Outcome for one face, or for the whole image (primary face)."""

    MATCH = "MATCH"
    UNKNOWN = "UNKNOWN"
    SPOOF = "SPOOF"
    LOW_QUALITY = "LOW_QUALITY"
    NO_FACE = "NO_FACE"


class QualityIssue(enum.Enum):
    """Why a face is not good enough to enrol or identify."""

    TOO_SMALL = "TOO_SMALL"
    TOO_BLURRY = "TOO_BLURRY"
    CUT_OFF = "CUT_OFF"
    POSE = "POSE"
    MULTIPLE_FACES = "MULTIPLE_FACES"
    NO_FACE = "NO_FACE"


@dataclass(frozen=True)
class Box:
    """Axis-aligned box in image pixels."""

    x: float
    y: float
    width: float
    height: float

    @property
    def area(self) -> float:
        return self.width * self.height

    @property
    def center(self) -> tuple[float, float]:
        return (self.x + self.width / 2, self.y + self.height / 2)


@dataclass(frozen=True)
class Detection:
    """One YuNet detection.

    ``landmarks`` is a (5, 2) float32 array: right eye, left eye, nose tip, right and left
    mouth corner (subject's sides; the right eye appears on the image's left).
    """

    box: Box
    landmarks: np.ndarray
    score: float

    def as_row(self) -> np.ndarray:
        """Return the 15-column ``cv2.FaceDetectorYN`` row layout."""
        b = self.box
        return np.concatenate(
            [[b.x, b.y, b.width, b.height], self.landmarks.reshape(-1), [self.score]]
        ).astype(np.float32)


@dataclass(frozen=True)
class Quality:
    """Quality measurements of one face and the gates it failed."""

    issues: tuple[QualityIssue, ...]
    eye_distance: float
    sharpness: float
    yaw_degrees: float
    reason: str = ""
    brightness: float = 0.0  # mean grey level of the aligned face crop, 0-255

    @property
    def ok(self) -> bool:
        return not self.issues


@dataclass(frozen=True)
class Liveness:
    """Liveness verdict; ``checked`` is False when the check was not run."""

    checked: bool
    live: bool
    score: float
    frames: int = 0


@dataclass(frozen=True)
class Match:
    """A candidate identity with its cosine similarity (max over the person's templates)."""

    person_id: str
    score: float
    template_id: str


@dataclass
class FaceResult:
    """One detected face with everything the pipeline found out about it."""

    detection: Detection
    quality: Quality
    liveness: Liveness
    decision: Decision
    matches: list[Match] = field(default_factory=list)
    embedding: np.ndarray | None = None


@dataclass
class RecognitionResult:
    """Result for one image: the primary (largest) face first."""

    decision: Decision
    faces: list[FaceResult]
    image_width: int
    image_height: int
    timings_ms: dict[str, float] = field(default_factory=dict)
