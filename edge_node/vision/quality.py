"""Quality gates for a detected face, each failure with a reason."""

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
    """Thresholds of the quality gates.

    On the shared LFW images (250x250 news photos): eye distance p5 34 px, sharpness p5 53,
    |yaw| p95 about 32 deg; these defaults reject about 5 % of them.
    """

    min_eye_distance: float = 20.0
    min_sharpness: float = 30.0
    max_yaw_degrees: float = 35.0
    # Fraction of the box area allowed outside the frame before the face counts as cut off.
    max_box_outside: float = 0.15
    # For enrolment: other faces at least this fraction of the primary face's area count.
    multi_face_area_ratio: float = 0.25


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


def assess(det: Detection, aligned_bgr: np.ndarray, frame_size: tuple[int, int],
           config: QualityConfig, others: tuple[Detection, ...] = ()) -> Quality:
    """Apply every gate to one face.

    ``frame_size`` is (width, height); ``others`` are the other faces in the frame, checked
    only when given (enrolment).
    """
    width, height = frame_size
    eyes = eye_distance(det)
    sharp = sharpness(aligned_bgr)
    yaw = yaw_degrees(det)
    issues: list[QualityIssue] = []
    reasons: list[str] = []
    if eyes < config.min_eye_distance:
        issues.append(QualityIssue.TOO_SMALL)
        reasons.append(f"face too small (eye distance {eyes:.0f} px < {config.min_eye_distance:.0f}); come closer")
    if sharp < config.min_sharpness:
        issues.append(QualityIssue.TOO_BLURRY)
        reasons.append(f"image too blurry (sharpness {sharp:.0f} < {config.min_sharpness:.0f}); hold still")
    lm = det.landmarks
    landmarks_out = bool(np.any(lm < 0) or np.any(lm[:, 0] >= width) or np.any(lm[:, 1] >= height))
    if landmarks_out or _outside_fraction(det, width, height) > config.max_box_outside:
        issues.append(QualityIssue.CUT_OFF)
        reasons.append("face cut off by the frame edge; centre the face")
    if abs(yaw) > config.max_yaw_degrees:
        issues.append(QualityIssue.POSE)
        reasons.append(f"head turned too far (yaw {yaw:.0f} deg); look at the camera")
    large = [o for o in others if o.box.area >= config.multi_face_area_ratio * det.box.area]
    if large:
        issues.append(QualityIssue.MULTIPLE_FACES)
        reasons.append(f"{len(large) + 1} faces in the image; only the person to enrol may be visible")
    return Quality(issues=tuple(issues), eye_distance=eyes, sharpness=sharp, yaw_degrees=yaw,
                   reason="; ".join(reasons))
