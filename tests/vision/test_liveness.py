"""MiniFASNet liveness on the labelled spoof samples and the upstream crop rule."""

from __future__ import annotations

import csv
from dataclasses import replace
from pathlib import Path

import pytest

from edge_node.vision import FacePipeline
from edge_node.vision.liveness import crop_box, squared
from edge_node.vision.types import Box

from .conftest import read


def test_crop_grows_about_centre_and_shifts_inside() -> None:
    assert crop_box(640, 480, Box(300, 200, 40, 40), 2.0) == (280, 180, 360, 260)
    x1, y1, x2, y2 = crop_box(640, 480, Box(0, 0, 100, 100), 2.7)
    assert (x1, y1) == (0, 0) and x2 - x1 == 270 and y2 - y1 == 270
    assert crop_box(640, 480, Box(560, 400, 80, 80), 4.0) == (319, 159, 639, 479)  # shifted inside
    assert crop_box(640, 480, Box(0, 0, 200, 200), 4.0) == (0, 0, 479, 479)  # scale lowered to 479/200


def test_squared_box_keeps_centre_and_width() -> None:
    sq = squared(Box(10, 20, 100, 140))
    assert (sq.width, sq.height, sq.center) == (100, 100, (60, 90))


@pytest.fixture(scope="module")
def samples(pipeline: FacePipeline, data_dir: Path) -> list[tuple[str, object, Box]]:
    rows = []
    with open(data_dir / "spoof_labels.csv", newline="") as fh:
        for rec in csv.DictReader(fh):
            frame = read(data_dir / rec["path"])
            det = max(pipeline.detector.detect(frame), key=lambda d: d.box.area)
            rows.append((rec["label"], frame, det.box))
    return rows


def test_spoof_set_verdicts(pipeline: FacePipeline, samples: list) -> None:
    threshold = pipeline.liveness.config.threshold
    verdicts = [(label, pipeline.liveness.score(frame, box) >= threshold) for label, frame, box in samples]
    assert all(live for label, live in verdicts if label == "real")
    assert sum(live == (label == "real") for label, live in verdicts) >= 9


def test_a_checker_with_another_config_shares_the_models(pipeline: FacePipeline, samples: list) -> None:
    _, frame, box = samples[-1]
    strict = pipeline.liveness.with_config(replace(pipeline.liveness.config, threshold=1.01))
    assert strict.config.threshold == 1.01
    assert strict.score(frame, box) == pytest.approx(pipeline.liveness.score(frame, box))
