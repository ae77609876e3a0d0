"""Camera-condition transforms: what a small OV2640 kiosk camera in a dim lobby does to a face.

Used by ``scripts/bench_accuracy`` to make "camera-grade" copies of press photos. Every render is
seeded (same image, severity, seed and frame -> same pixels), so benchmark figures reproduce.

What we assume about the OV2640 (ESP32-CAM class module) and why:

* **Distance.** The module has a 1/4" 2 MP sensor behind a short fixed lens (about 65 deg
  horizontal field of view) and the kiosk streams SVGA/VGA. At 1-1.5 m a face then spans about
  60-110 px, against about 100-120 px in a 250x250 LFW photo, so the face is *downscaled* by
  0.4-0.85 and later upscaled back to the original geometry (the detector sees the lost detail,
  not a smaller canvas).
* **Soft focus.** A fixed-focus plastic lens set at infinity and a plastic window in front of it
  give a Gaussian-like blur of about 0.5-1.6 sensor pixels.
* **Under-exposure and gain.** 2.2 um pixels collect little light in a 100-200 lux lobby; the
  auto-exposure runs out of exposure time (frame rate) and raises analogue gain up to a cap,
  leaving the face under-exposed by 1-2.5 stops at the darker severities.
* **Sensor noise grows with gain.** Photon (shot) noise from a small full well (about 4000 e-)
  plus read noise (about 6 e-), both multiplied by the gain; per-channel (Bayer) noise, slightly
  smoothed as demosaicing does.
* **White balance.** Auto white balance under mixed warm/fluorescent light leaves a colour cast
  of up to +-30 % between red and blue gains.
* **Tone curve.** The ISP applies a gamma near sRGB (1/2.0 to 1/2.4).
* **JPEG.** ESP32-CAM firmware typically runs ``jpeg_quality`` 10-15 on its 0-63 scale, about
  IJG quality 30-55, with 4:2:0 chroma subsampling, encoded at sensor resolution.

These are assumptions from the sensor's data sheet class and common ESP32-CAM settings, not
measurements of our own camera: the bench reports clean and camera-grade figures side by side so
a site can check with its own captures.

:func:`under_controls` re-exposes a scene for explicit OV2640 exposure controls (the box's
exposure loop, ``edge_node.capture.exposure``), with the auto exposure modelled as follows:

* ``scene_light`` is the light the longest exposure time at the stream's frame rate (``aec_value``
  1200) collects, relative to a correct exposure of the scene the AEC meters; ``face_light`` is the
  light on the face relative to that scene (0.25: against a bright window, 2: under a spotlight).
* The AEC aims at ``2 ** (ae_level / 2)`` times a correct scene exposure: exposure time first (up to
  the longest), then the AGC's analogue gain, up to ``2 ** (gain_ceiling + 1)`` (2x-128x) and never
  below 1x. With ``aec_value`` set the exposure time is fixed (``aec_value / 1200`` of the longest)
  and the AGC alone aims at a correct scene exposure.
* ``brightness`` is a DSP offset of 12 output levels per step.
* A :class:`Scene` of :func:`draw_scene` is the neutral controls in its lobby: ``exposure`` is the
  ``scene_light`` (AEC at the longest time when it is below 1) and ``gain`` ``min(max_gain, 1 /
  exposure)``, the default ceiling's 2x for "moderate".
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import cv2
import numpy as np

from edge_node.capture.exposure import ExposureSettings

_FULL_WELL = 4000.0  # electrons at a full-scale pixel
_READ_NOISE = 6.0  # electrons rms
AEC_VALUE_MAX = 1200  # the longest exposure time at the stream's frame rate
BRIGHTNESS_STEP = 12.0  # output levels per brightness step


@dataclass(frozen=True)
class Severity:
    """Ranges the per-scene parameters are drawn from (uniformly)."""

    name: str
    scale: tuple[float, float]  # face size relative to the press photo
    blur_sigma: tuple[float, float]  # optical blur in sensor pixels
    exposure: tuple[float, float]  # light on the sensor relative to a correct exposure
    max_gain: float  # the auto-exposure's analogue gain cap
    wb_error: float  # max relative error of the red and blue gains
    jpeg_quality: tuple[int, int]


SEVERITIES: dict[str, Severity] = {
    s.name: s
    for s in (
        Severity("mild", (0.70, 0.85), (0.4, 0.7), (0.55, 0.80), 1.2, 0.10, (45, 55)),
        Severity("moderate", (0.50, 0.70), (0.6, 1.1), (0.25, 0.45), 2.0, 0.20, (35, 50)),
        Severity("severe", (0.40, 0.50), (0.8, 1.3), (0.10, 0.25), 3.0, 0.30, (30, 40)),
    )
}


@dataclass(frozen=True)
class Scene:
    """One person in front of the camera: parameters shared by every frame of a burst."""

    scale: float
    blur_sigma: float
    exposure: float
    gain: float
    wb_gains: tuple[float, float, float]  # B, G, R
    gamma: float
    jpeg_quality: int
    offset: float = 0.0  # DSP brightness offset in output levels


def draw_scene(severity: str, seed: int) -> Scene:
    """Scene parameters for one (severity, seed)."""
    s = SEVERITIES[severity]
    rng = np.random.default_rng([seed, 1])
    exposure = rng.uniform(*s.exposure)
    gain = min(s.max_gain, 1.0 / exposure)
    red, blue = 1 + rng.uniform(-s.wb_error, s.wb_error, size=2)
    return Scene(
        scale=float(rng.uniform(*s.scale)),
        blur_sigma=float(rng.uniform(*s.blur_sigma)),
        exposure=float(exposure),
        gain=float(gain),
        wb_gains=(float(blue), 1.0, float(red)),
        gamma=float(rng.uniform(2.0, 2.4)),
        jpeg_quality=int(rng.integers(s.jpeg_quality[0], s.jpeg_quality[1] + 1)),
    )


def sensor_exposure(controls: ExposureSettings, scene_light: float) -> tuple[float, float]:
    """(exposure time as a fraction of the longest, analogue gain) the OV2640 settles on."""
    cap = 2.0 ** (controls.gain_ceiling + 1)
    if controls.manual_exposure:
        time_fraction, target = min(1.0, controls.aec_value / AEC_VALUE_MAX), 1.0
    else:
        target = 2.0 ** (controls.ae_level / 2.0)
        time_fraction = min(1.0, target / scene_light)
    return time_fraction, min(cap, max(1.0, target / (scene_light * time_fraction)))


def under_controls(scene: Scene, controls: ExposureSettings, scene_light: float, face_light: float) -> Scene:
    """``scene`` with its face exposed as these controls expose it (see the module notes)."""
    time_fraction, gain = sensor_exposure(controls, scene_light)
    return replace(scene, exposure=face_light * scene_light * time_fraction, gain=gain,
                   offset=BRIGHTNESS_STEP * controls.brightness)


def _to_linear(bgr: np.ndarray) -> np.ndarray:
    x = bgr.astype(np.float32) / 255.0
    return np.where(x <= 0.04045, x / 12.92, ((x + 0.055) / 1.055) ** 2.4)


def render(image_bgr: np.ndarray, scene: Scene, seed: int, frame: int = 0, upscale: bool = True,
           size: float = 1.0) -> np.ndarray:
    """The camera's view of ``image_bgr`` (uint8 BGR, same size) for one frame of a scene.

    Frames of one scene share exposure, white balance and distance; they differ in sensor noise,
    JPEG rounding and a small head movement (about +-3 % scale, +-2 px shift). Without
    ``upscale`` the small image is centred on a grey canvas of the original size instead, so
    the face really is smaller in pixels (a person standing too far away). ``size`` below 1 is a
    smaller frame of the same view (a QVGA stream frame beside a VGA HQ one: 0.5): the frame is
    ``size`` times the original and holds at most that much detail.
    """
    rng = np.random.default_rng([seed, 2, frame])
    h, w = image_bgr.shape[:2]
    jitter = 1.0 + (rng.uniform(-0.03, 0.03) if frame else 0.0)
    shift = rng.uniform(-2, 2, size=2) if frame else np.zeros(2)
    detail = min(scene.scale, size)
    small_w = max(8, int(round(w * detail * jitter)))
    small_h = max(8, int(round(h * detail * jitter)))
    matrix = np.array([[small_w / w, 0, shift[0] * detail], [0, small_h / h, shift[1] * detail]])
    small = cv2.warpAffine(image_bgr, matrix, (small_w, small_h), flags=cv2.INTER_AREA,
                           borderMode=cv2.BORDER_REFLECT)
    if scene.blur_sigma > 0:
        small = cv2.GaussianBlur(small, (0, 0), scene.blur_sigma)
    linear = _to_linear(small) * np.array(scene.wb_gains, dtype=np.float32)
    electrons = np.clip(linear * scene.exposure, 0, 1) * _FULL_WELL
    noise_std = np.sqrt(electrons + _READ_NOISE**2)
    noisy = electrons + rng.standard_normal(electrons.shape).astype(np.float32) * noise_std
    noisy = cv2.GaussianBlur(noisy, (0, 0), 0.5)  # demosaicing correlates neighbouring noise
    signal = np.clip(noisy / _FULL_WELL * scene.gain, 0, 1)
    toned = np.clip(signal ** (1.0 / scene.gamma) * 255.0 + 0.5 + scene.offset, 0, 255).astype(np.uint8)
    ok, jpeg = cv2.imencode(".jpg", toned, [cv2.IMWRITE_JPEG_QUALITY, scene.jpeg_quality,
                                            cv2.IMWRITE_JPEG_SAMPLING_FACTOR, cv2.IMWRITE_JPEG_SAMPLING_FACTOR_420])
    if not ok:
        raise RuntimeError("JPEG encoding failed")
    decoded = cv2.imdecode(jpeg, cv2.IMREAD_COLOR)
    if upscale:
        out = (max(8, int(round(w * size))), max(8, int(round(h * size))))
        return cv2.resize(decoded, out, interpolation=cv2.INTER_LINEAR)
    canvas = np.full_like(image_bgr, 110)
    top, left = (h - decoded.shape[0]) // 2, (w - decoded.shape[1]) // 2
    canvas[top : top + decoded.shape[0], left : left + decoded.shape[1]] = decoded
    return canvas


def camera_grade(image_bgr: np.ndarray, severity: str, seed: int, frames: int = 1,
                 stream_size: float = 1.0) -> list[np.ndarray]:
    """``frames`` camera frames of one scene drawn for (severity, seed); the frames after the first
    are ``stream_size`` times its size (stream frames beside an HQ frame)."""
    scene = draw_scene(severity, seed)
    return [render(image_bgr, scene, seed, i, size=1.0 if i == 0 else stream_size) for i in range(frames)]


def far_away(image_bgr: np.ndarray, scale: float, seed: int) -> np.ndarray:
    """A moderate camera frame of the person standing farther away: the face ``scale`` times its size."""
    scene = draw_scene("moderate", seed)
    return render(image_bgr, replace(scene, scale=scale), seed, 0, upscale=False)
