"""The camera-condition transforms are seeded, reproducible and get worse with severity."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from tools.camera_conditions import SEVERITIES, camera_grade, far_away

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
