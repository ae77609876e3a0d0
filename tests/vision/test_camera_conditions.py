"""The camera-condition transforms are seeded, reproducible and get worse with severity."""

from __future__ import annotations

from pathlib import Path

from dataclasses import replace

import numpy as np
import pytest

from edge_node.capture.exposure import ExposureSettings
from tools.camera_conditions import (
    SEVERITIES,
    Scene,
    camera_grade,
    draw_scene,
    far_away,
    render,
    sensor_exposure,
    under_controls,
)

from .conftest import read


def test_same_seed_same_pixels_and_frames_differ(data_dir: Path) -> None:
    image = read(data_dir / "faces" / "Bill_Gates" / "Bill_Gates_0001.jpg")
    a = camera_grade(image, "moderate", 11, frames=2)
    b = camera_grade(image, "moderate", 11, frames=2)
    assert all(np.array_equal(x, y) for x, y in zip(a, b))
    assert a[0].shape == image.shape and not np.array_equal(a[0], a[1])
    assert not np.array_equal(a[0], camera_grade(image, "moderate", 12)[0])


def test_severity_darkens_and_softens(data_dir: Path) -> None:
    image = read(data_dir / "faces" / "Bill_Gates" / "Bill_Gates_0001.jpg")
    detail = {}
    for name in SEVERITIES:
        frames = [camera_grade(image, name, seed)[0] for seed in range(6)]
        # high-frequency energy of the clean-image structure: blur and downscaling remove it
        detail[name] = np.mean([np.abs(np.diff(f.astype(np.float32), axis=1)).mean() for f in frames])
    assert detail["mild"] > detail["moderate"] > detail["severe"]


def test_far_away_makes_the_face_smaller_in_pixels(pipeline, data_dir: Path) -> None:
    image = read(data_dir / "faces" / "Bill_Gates" / "Bill_Gates_0001.jpg")
    near = max(pipeline.detector.detect(image), key=lambda d: d.box.area)
    far = max(pipeline.detector.detect(far_away(image, 0.4, 3)), key=lambda d: d.box.area)
    assert far.box.width < 0.5 * near.box.width


def test_neutral_controls_reproduce_the_moderate_lobby(data_dir: Path) -> None:
    image = read(data_dir / "faces" / "Bill_Gates" / "Bill_Gates_0001.jpg")
    for seed in range(5):
        scene = draw_scene("moderate", seed)
        assert under_controls(scene, ExposureSettings(), scene.exposure, 1.0) == scene
        assert np.array_equal(render(image, under_controls(scene, ExposureSettings(), scene.exposure, 1.0), seed),
                              camera_grade(image, "moderate", seed)[0])


def test_exposure_controls_trade_time_gain_and_offset() -> None:
    dim, bright = 0.35, 4.0  # light at the longest exposure time, relative to a correct exposure
    # A dim lobby: the AEC is at the longest time and the default ceiling caps the gain at 2x.
    assert sensor_exposure(ExposureSettings(), dim) == (1.0, 2.0)
    # A higher AE target and ceiling buy brightness with gain only (and so with noise).
    time_fraction, gain = sensor_exposure(ExposureSettings(ae_level=2, gain_ceiling=3), dim)
    assert time_fraction == 1.0 and gain == pytest.approx(2 / dim)
    # A bright scene: the AEC shortens the time, gain stays 1x; a manual time collects more light.
    assert sensor_exposure(ExposureSettings(), bright) == (0.25, 1.0)
    assert sensor_exposure(ExposureSettings(aec_value=1200, gain_ceiling=6), bright) == (1.0, 1.0)
    scene = draw_scene("moderate", 1)
    lifted = under_controls(scene, ExposureSettings(ae_level=2, brightness=2), bright, 0.25)
    assert lifted.exposure == pytest.approx(0.25 * bright * 0.5) and lifted.offset == 24.0


def test_more_exposure_time_gives_a_cleaner_face_than_more_gain(data_dir: Path) -> None:
    image = read(data_dir / "faces" / "Bill_Gates" / "Bill_Gates_0001.jpg")
    scene = replace(draw_scene("moderate", 2), blur_sigma=0.0, jpeg_quality=95)
    # The same brightness (exposure x gain = 0.5) from light or from gain.
    by_time = replace(scene, exposure=0.5, gain=1.0)
    by_gain = replace(scene, exposure=0.125, gain=4.0)

    def noise(s: Scene) -> float:
        a, b = (render(image, s, seed).astype(np.float32) for seed in (7, 8))  # frame 0: only the noise differs
        return float(np.std(a - b))

    assert noise(by_gain) > 1.5 * noise(by_time)
