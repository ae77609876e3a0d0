"""What a camera punch leaves for review: why a manager should look at it, its margins, and a small
JPEG of the face when the site's crop policy keeps one (`[review]`, docs/admin-guide.md "Punch review")."""
from __future__ import annotations

import cv2
import numpy as np

from edge_node.attendance.punch_reviews import PunchEvidence, ReviewReason
from edge_node.attendance.review_config import ReviewConfig
from edge_node.checkin.review_flags import liveness_doubt
from edge_node.vision.image_io import ImageLimits, decode_image
from edge_node.vision.types import Box, FaceResult

# The face box widened by this much each way, so the crop shows the head, not just the inner face.
_CROP_WIDEN = 0.25
_LIMITS = ImageLimits(max_bytes=16 * 1024 * 1024, max_pixels=4096 * 4096)
_REDUCTIONS = (8, 4, 2, 1)
_REDUCED_FLAGS = {2: cv2.IMREAD_REDUCED_COLOR_2, 4: cv2.IMREAD_REDUCED_COLOR_4, 8: cv2.IMREAD_REDUCED_COLOR_8}


def review_reasons(face: FaceResult, match_threshold: float, liveness_threshold: float, config: ReviewConfig,
                   learned: bool) -> tuple[tuple[ReviewReason, ...], float, float, float]:
    """The reasons to review a MATCH punch and its (match, runner-up, liveness) margins.

    Match margin: best score minus the gallery's threshold; runner-up margin: best minus the next
    person's score (1.0 when there is none); liveness margin: score minus the threshold (0.0 when
    liveness was not checked, and then no liveness reason).
    """
    best = face.matches[0].score
    match_margin = best - match_threshold
    runner_up = best - face.matches[1].score if len(face.matches) > 1 else 1.0
    live_margin = face.liveness.score - liveness_threshold if face.liveness.checked else 0.0
    reasons: list[ReviewReason] = []
    if liveness_doubt(face):
        reasons.append(ReviewReason.LIVENESS_DOUBT)
    elif face.liveness.checked and live_margin < config.liveness_margin:
        reasons.append(ReviewReason.LOW_LIVENESS_MARGIN)
    if match_margin < config.match_margin or runner_up < config.runner_up_margin:
        reasons.append(ReviewReason.LOW_MATCH_MARGIN)
    if learned:
        reasons.append(ReviewReason.LEARNED_TEMPLATE)
    return tuple(reasons), match_margin, runner_up, live_margin


def face_crop(image: bytes, box: Box, size: int, quality: int) -> bytes:
    """A square JPEG of the face (the box widened, clipped to the frame), `size` pixels a side.

    The JPEG is decoded at 1/2, 1/4 or 1/8 scale when the face still has `size` pixels there (libjpeg
    skips the work): an HQ frame's face costs a few milliseconds, not a full decode's twenty.
    """
    side = max(box.width, box.height) * (1 + 2 * _CROP_WIDEN)
    factor = next(f for f in _REDUCTIONS if f == 1 or side / f >= size)
    pixels = decode_image(image, _LIMITS) if factor == 1 else _decode_reduced(image, factor)
    height, width = pixels.shape[:2]
    side /= factor
    cx, cy = (box.x + box.width / 2) / factor, (box.y + box.height / 2) / factor
    x0, y0 = max(0, int(cx - side / 2)), max(0, int(cy - side / 2))
    x1, y1 = min(width, int(cx + side / 2)), min(height, int(cy + side / 2))
    if x1 - x0 < 2 or y1 - y0 < 2:
        raise ValueError("the face box lies outside the frame")
    square = _pad_square(pixels[y0:y1, x0:x1])
    small = cv2.resize(square, (size, size), interpolation=cv2.INTER_AREA)
    ok, jpeg = cv2.imencode(".jpg", small, [cv2.IMWRITE_JPEG_QUALITY, quality])
    if not ok:
        raise ValueError("the crop could not be encoded")
    return jpeg.tobytes()


def punch_evidence(face: FaceResult, image: bytes, thresholds: tuple[float, float], config: ReviewConfig,
                   learned: bool) -> PunchEvidence:
    """The reasons, margins and (by the crop policy) the crop of one MATCH punch."""
    reasons, match_margin, runner_up, live_margin = review_reasons(face, *thresholds, config, learned)
    crop = (face_crop(image, face.detection.box, config.crop_size, config.crop_quality)
            if config.keeps_crop(bool(reasons)) else None)
    return PunchEvidence(reasons, match_margin, runner_up, live_margin, crop)


def _decode_reduced(image: bytes, factor: int) -> np.ndarray:
    """The JPEG at 1/`factor` scale (an image the pipeline decoded already: its limits were checked)."""
    pixels = cv2.imdecode(np.frombuffer(image, np.uint8), _REDUCED_FLAGS[factor])
    if pixels is None:
        raise ValueError("the frame could not be decoded for its crop")
    return pixels


def _pad_square(patch: np.ndarray) -> np.ndarray:
    """Pad a clipped crop to a square with black, so the face keeps its proportions."""
    h, w = patch.shape[:2]
    side = max(h, w)
    return cv2.copyMakeBorder(patch, 0, side - h, 0, side - w, cv2.BORDER_CONSTANT, value=(0, 0, 0))
