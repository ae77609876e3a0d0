"""Quality measurements of a detected face, and the gates that turn them into reasons.

Measuring and judging are separate so that the benchmark can re-judge cached measurements
with other thresholds through the very function the service uses.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np

from edge_node.vision.types import Detection, Quality, QualityIssue

# Nose-tip depth in front of the eye centres, relative to half the inter-ocular distance
# (about 32 mm each on an adult face).
_NOSE_DEPTH = 1.0


@dataclass(frozen=True)
class QualityConfig:
    """Thresholds of the quality gates; a gate set to 0 (or, for yaw, 90) is off.

    Kept only where ``scripts/bench_accuracy --gates`` shows recognition failing beyond them
    (lfw_dev camera-grade and far-away frames, see the README): under 13.5 px between the eyes
    at most 11 % of faces are recognised (13.5-19.6 px: 47 %), so the gate is 14; under a raw
    SFace feature norm of 9 at most 11 % (over 12: 99 %), so faces the recogniser cannot read get
    a reason instead of a silent UNKNOWN; |yaw| showed no loss up to 40 deg and 67 % beyond, so
    only a really turned-away face (> 45 deg) is refused. The Laplacian blur gate is off: at the
    old 30 it refused faces 85 % of which were recognised, and low values only duplicate the
    size and feature-norm gates.
    """

    min_eye_distance: float = 14.0
    min_sharpness: float = 0.0
    max_yaw_degrees: float = 45.0
    # Fraction of the box area allowed outside the frame before the face counts as cut off.
    max_box_outside: float = 0.15
    # For enrolment: other faces at least this fraction of the primary face's area count.
    multi_face_area_ratio: float = 0.25
    # The recogniser's raw feature norm below which it found too little of a face to match.
    min_feature_norm: float = 9.0


@dataclass(frozen=True)
class Measures:
    """Everything the gates look at, measured once per face."""

    eye_distance: float
    sharpness: float
    yaw_degrees: float
    outside_fraction: float
    landmarks_outside: bool
    brightness: float  # mean grey level of the aligned crop, 0-255
    # Area of the largest other face relative to this one (0 when none were given).
    other_face_ratio: float = 0.0
    other_faces: int = 0
    # The face is the photo's subject at a glance: its box spans the frame's vertical centre line
    # and no other face's box does (only meaningful when other faces were given).
    centred: bool = True


def eye_distance(det: Detection) -> float:
    """Inter-ocular distance in pixels."""
    return float(np.linalg.norm(det.landmarks[0] - det.landmarks[1]))


def yaw_degrees(det: Detection) -> float:
    """Yaw estimated from the nose offset relative to the eyes (roll removed); 0 = frontal."""
    right_eye, left_eye, nose = det.landmarks[0], det.landmarks[1], det.landmarks[2]
    axis = left_eye - right_eye
    half = float(np.linalg.norm(axis)) / 2
    if half == 0:
        return 90.0
    offset = float(np.dot(nose - (right_eye + left_eye) / 2, axis / (2 * half))) / half
    return math.degrees(math.atan(offset / _NOSE_DEPTH))


def sharpness(aligned_bgr: np.ndarray) -> float:
    """Variance of the Laplacian of the aligned grey crop (higher is sharper)."""
    grey = cv2.cvtColor(aligned_bgr, cv2.COLOR_BGR2GRAY)
    return float(cv2.Laplacian(grey, cv2.CV_64F).var())


def _outside_fraction(det: Detection, width: int, height: int) -> float:
    b = det.box
    if b.area <= 0:
        return 1.0
    iw = max(0.0, min(b.x + b.width, width) - max(b.x, 0.0))
    ih = max(0.0, min(b.y + b.height, height) - max(b.y, 0.0))
    return 1.0 - iw * ih / b.area


def spans_centre_line(det: Detection, width: int) -> bool:
    """Whether the face's box crosses the vertical line through the middle of the frame."""
    return det.box.x <= width / 2 <= det.box.x + det.box.width


def measure(det: Detection, aligned_bgr: np.ndarray, frame_size: tuple[int, int],
            others: tuple[Detection, ...] = ()) -> Measures:
    """Measure one face; ``frame_size`` is (width, height), ``others`` the other faces (enrolment)."""
    width, height = frame_size
    lm = det.landmarks
    ratios = [o.box.area / det.box.area for o in others if det.box.area > 0]
    return Measures(
        eye_distance=eye_distance(det),
        sharpness=sharpness(aligned_bgr),
        yaw_degrees=yaw_degrees(det),
        outside_fraction=_outside_fraction(det, width, height),
        landmarks_outside=bool(np.any(lm < 0) or np.any(lm[:, 0] >= width) or np.any(lm[:, 1] >= height)),
        brightness=float(aligned_bgr.mean()),
        other_face_ratio=max(ratios, default=0.0),
        other_faces=len(others),
        centred=spans_centre_line(det, width) and not any(spans_centre_line(o, width) for o in others),
    )


def judge(m: Measures, config: QualityConfig) -> Quality:
    """Apply every gate; each failure carries a reason a kiosk can show."""
    issues: list[QualityIssue] = []
    reasons: list[str] = []
    if m.eye_distance < config.min_eye_distance:
        issues.append(QualityIssue.TOO_SMALL)
        reasons.append(f"face too small (eye distance {m.eye_distance:.0f} px < {config.min_eye_distance:.0f}); "
                       "step closer")
    if m.sharpness < config.min_sharpness:
        issues.append(QualityIssue.TOO_BLURRY)
        reasons.append(f"image too blurry (sharpness {m.sharpness:.0f} < {config.min_sharpness:.0f}); hold still")
    if m.landmarks_outside or m.outside_fraction > config.max_box_outside:
        issues.append(QualityIssue.CUT_OFF)
        reasons.append("face cut off by the frame edge; centre your face")
    if abs(m.yaw_degrees) > config.max_yaw_degrees:
        issues.append(QualityIssue.POSE)
        reasons.append(f"head turned too far (yaw {m.yaw_degrees:.0f} deg); face the camera")
    if m.other_faces and m.other_face_ratio >= config.multi_face_area_ratio:
        issues.append(QualityIssue.MULTIPLE_FACES)
        reasons.append("more than one face in the image; only the person to enrol may be visible")
    return Quality(issues=tuple(issues), eye_distance=m.eye_distance, sharpness=m.sharpness,
                   yaw_degrees=m.yaw_degrees, reason="; ".join(reasons), brightness=m.brightness)


def assess(det: Detection, aligned_bgr: np.ndarray, frame_size: tuple[int, int],
           config: QualityConfig, others: tuple[Detection, ...] = ()) -> Quality:
    """Measure and judge one face (``others`` only given at enrolment)."""
    return judge(measure(det, aligned_bgr, frame_size, others), config)
