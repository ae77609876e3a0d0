"""How the simulated OV2640's picture follows its exposure controls and the light on the face.

A simple photometric model, enough to close the box's exposure loop in tests and benchmarks:

* ``face_light`` is the light on the face relative to what the sensor's automatic exposure (AEC)
  meters for the whole scene: 1.0 for even light, about 0.35 for a face against a bright window.
* With AEC on, ``ae_level`` biases the target by half a stop per level (2 ** (level / 2)).
* With AEC off, ``aec_value`` sets the exposure by hand; 300 is the value the AEC would pick for
  the scene (the esp32-camera default), so the face gets ``face_light * aec_value / 300``.
* ``brightness`` adds an offset of 12 luma levels per step (the OV2640's brightness is a DSP offset).
* ``gain_ceiling`` only limits how far the AEC may boost in the dark; the model keeps the AEC
  within its ceiling, so it has no separate effect here.
"""
from __future__ import annotations

import cv2
import numpy as np

from edge_node.gen.edge.capture.v1 import capture_pb2 as pb

AUTO_AEC_VALUE = 300.0
BRIGHTNESS_STEP = 12.0


def applied(message: pb.CameraControls) -> pb.CameraControls:
    """The controls as the sensor takes them: clamped to its ranges, as the firmware does."""
    def clamp(value: int, low: int, high: int) -> int:
        return min(max(value, low), high)

    return pb.CameraControls(ae_level=clamp(message.ae_level, -2, 2), aec_value=clamp(message.aec_value, 0, 1200),
                             gain_ceiling=clamp(message.gain_ceiling, 0, 6),
                             brightness=clamp(message.brightness, -2, 2))


def exposure_factor(settings: pb.CameraControls, face_light: float) -> float:
    """Multiplier on the face's pixel values for these controls and this light (aec_value 0: AEC on)."""
    if settings.aec_value > 0:
        return face_light * settings.aec_value / AUTO_AEC_VALUE
    return face_light * 2.0 ** (settings.ae_level / 2.0)


def expose(image: np.ndarray, settings: pb.CameraControls, face_light: float) -> np.ndarray:
    """The BGR image as this sensor would deliver it."""
    factor = exposure_factor(settings, face_light)
    offset = BRIGHTNESS_STEP * settings.brightness
    if factor == 1.0 and offset == 0.0:
        return image
    return cv2.convertScaleAbs(image, alpha=factor, beta=offset)


def expose_jpeg(jpeg: bytes, settings: pb.CameraControls, face_light: float, quality: int = 90) -> bytes:
    """``expose`` on a JPEG; the bytes are returned unchanged when the model changes nothing."""
    if exposure_factor(settings, face_light) == 1.0 and settings.brightness == 0:
        return jpeg
    image = cv2.imdecode(np.frombuffer(jpeg, np.uint8), cv2.IMREAD_COLOR)
    ok, out = cv2.imencode(".jpg", expose(image, settings, face_light), [cv2.IMWRITE_JPEG_QUALITY, quality])
    return out.tobytes() if ok else jpeg
