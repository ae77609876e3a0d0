"""Steering an OV2640's exposure for the face, not the scene (pure: no I/O, no gRPC).

An ESP32-CAM's automatic exposure (AEC) meters the whole picture, so a face in front of a bright
window comes out dark and one under a spotlight comes out washed out. :class:`ExposureController`
turns the mean luminance of the face in successive stream frames into camera settings, per camera:
a ladder of steps from darkest to brightest built from the esp32-camera ``sensor_t`` controls
``set_ae_level`` (-2..2, AEC bias), ``set_aec_value`` (0..1200, manual exposure when AEC is off),
``set_gainceiling`` (0..6 = 2x..128x) and ``set_brightness`` (-2..2). It steps only when the face is
outside the target band for ``confirm_frames`` frames in a row (hysteresis), waits ``settle_frames``
frames after each change for the sensor to apply it, never goes past the ladder's ends (limits), and
returns to the neutral step after ``reset_after_frames`` frames without a face.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

AE_LEVEL_RANGE = (-2, 2)
AEC_VALUE_RANGE = (0, 1200)
GAIN_CEILING_RANGE = (0, 6)
BRIGHTNESS_RANGE = (-2, 2)


@dataclass(frozen=True)
class ExposureSettings:
    """OV2640 controls; ``aec_value`` 0 keeps automatic exposure on, 1-1200 sets it by hand."""

    ae_level: int = 0
    aec_value: int = 0
    gain_ceiling: int = 0
    brightness: int = 0

    def __post_init__(self) -> None:
        for name, (low, high) in (("ae_level", AE_LEVEL_RANGE), ("aec_value", AEC_VALUE_RANGE),
                                  ("gain_ceiling", GAIN_CEILING_RANGE), ("brightness", BRIGHTNESS_RANGE)):
            if not low <= getattr(self, name) <= high:
                raise ValueError(f"{name} must be between {low} and {high} (got {getattr(self, name)})")

    @property
    def manual_exposure(self) -> bool:
        return self.aec_value > 0


# Darkest to brightest. Bias the AEC first (it keeps adapting to the light), then allow more gain,
# then lift brightness; only the brightest steps fix the exposure by hand, for a face against a
# window that the AEC would keep dark whatever the bias.
LADDER: tuple[ExposureSettings, ...] = (
    ExposureSettings(ae_level=-2, brightness=-1),
    ExposureSettings(ae_level=-2),
    ExposureSettings(ae_level=-1),
    ExposureSettings(),  # neutral: the driver's defaults
    ExposureSettings(ae_level=1, gain_ceiling=2),
    ExposureSettings(ae_level=2, gain_ceiling=3),
    ExposureSettings(ae_level=2, gain_ceiling=4, brightness=1),
    ExposureSettings(aec_value=800, gain_ceiling=5, brightness=1),
    ExposureSettings(aec_value=1200, gain_ceiling=6, brightness=2),
)
NEUTRAL = LADDER.index(ExposureSettings())


@dataclass(frozen=True)
class ExposureConfig:
    """Target band of the face's mean luma (0-255, BT.601 Y) and the controller's pacing.

    The band is wide on purpose: recognition and liveness tolerate a face anywhere from about 90 to
    170, and a wide band keeps the camera from hunting.
    """

    low: float = 95.0
    high: float = 170.0
    # Frames outside the band, in a row, before a step; frames ignored after a step.
    confirm_frames: int = 2
    settle_frames: int = 2
    # Frames without a face before going back to neutral (about 1 s at 15 fps).
    reset_after_frames: int = 15
    # Two steps at once when the face is this far outside the band.
    far_margin: float = 50.0

    def __post_init__(self) -> None:
        if not 0 <= self.low < self.high <= 255:
            raise ValueError("exposure band must satisfy 0 <= low < high <= 255")
        if min(self.confirm_frames, self.reset_after_frames) < 1 or self.settle_frames < 0:
            raise ValueError("confirm_frames and reset_after_frames must be >= 1, settle_frames >= 0")


class ExposureController:
    """One camera's exposure loop; call :meth:`observe` once per stream frame."""

    def __init__(self, config: ExposureConfig = ExposureConfig()) -> None:
        self.config = config
        self.step = NEUTRAL
        self._outside = 0  # signed: frames in a row below (< 0) or above (> 0) the band
        self._settling = 0
        self._no_face = 0

    @property
    def settings(self) -> ExposureSettings:
        """The settings the camera was last told (neutral at start)."""
        return LADDER[self.step]

    def observe(self, face_luma: float | None) -> ExposureSettings | None:
        """Mean luma of the largest face in this frame, or None without a face.

        Returns the settings to send to the camera when they change, else None.
        """
        cfg = self.config
        if face_luma is None:
            self._outside = 0
            self._no_face += 1
            if self._no_face >= cfg.reset_after_frames and self.step != NEUTRAL:
                return self._move_to(NEUTRAL)
            return None
        self._no_face = 0
        if self._settling > 0:
            self._settling -= 1
            return None
        if face_luma < cfg.low:
            self._outside = min(self._outside, 0) - 1
        elif face_luma > cfg.high:
            self._outside = max(self._outside, 0) + 1
        else:
            self._outside = 0
            return None
        if abs(self._outside) < cfg.confirm_frames:
            return None
        far = face_luma < cfg.low - cfg.far_margin or face_luma > cfg.high + cfg.far_margin
        direction = 1 if self._outside < 0 else -1
        target = min(max(self.step + direction * (2 if far else 1), 0), len(LADDER) - 1)
        self._outside = 0
        return self._move_to(target) if target != self.step else None

    def _move_to(self, step: int) -> ExposureSettings:
        self.step = step
        self._settling = self.config.settle_frames
        return LADDER[step]


def face_luma(bgr_frame: np.ndarray, box: tuple[float, float, float, float]) -> float | None:
    """Mean BT.601 luma of the central part of a face box (x, y, w, h) in a BGR uint8 frame."""
    frame = np.asarray(bgr_frame)
    x, y, w, h = box
    # The inner 60 % of the box: skin, not hair or background.
    x0, y0 = int(max(0, x + 0.2 * w)), int(max(0, y + 0.2 * h))
    x1, y1 = int(min(frame.shape[1], x + 0.8 * w)), int(min(frame.shape[0], y + 0.8 * h))
    if x1 <= x0 or y1 <= y0:
        return None
    patch = frame[y0:y1, x0:x1].astype(np.float32)
    return float((patch[..., 0] * 0.114 + patch[..., 1] * 0.587 + patch[..., 2] * 0.299).mean())
