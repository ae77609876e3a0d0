"""YuNet decoding against cv2.FaceDetectorYN (oracle) on the fp32 2023mar file."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from edge_node.modelstore import load_manifest
from edge_node.vision import FacePipeline
from edge_node.vision.backend import OrtBackend
from edge_node.vision.detector import DetectorConfig, YuNetDetector, nms

from .conftest import read


def _oracle(models_dir: Path, image: np.ndarray, threshold: float) -> np.ndarray:
    h, w = image.shape[:2]
    model = str(models_dir / load_manifest().get("yunet_2023mar").file)
    yn = cv2.FaceDetectorYN.create(model, "", (w, h), threshold, 0.3, 5000)
    rows = yn.detect(image)[1]
    return np.zeros((0, 15), np.float32) if rows is None else rows


def _images(data_dir: Path) -> list[Path]:
    lfw = sorted((data_dir / "faces").glob("*/*.jpg"))[::5] + sorted((data_dir / "faces_singletons").glob("*/*.jpg"))
    spoof_vga = [p for p in sorted((data_dir / "spoof").glob("*/*.jpg")) if max(read(p).shape) <= 640]
    return lfw + spoof_vga + [data_dir / "misc" / "astronaut.png", *sorted((data_dir / "noface").iterdir())]


def test_matches_opencv_within_one_pixel(pipeline: FacePipeline, models_dir: Path, data_dir: Path) -> None:
    threshold = pipeline.detector.config.score_threshold
    compared = 0
    for path in _images(data_dir):
        image = read(path)
        ours = np.array([d.as_row() for d in pipeline.detector.detect(image)]).reshape(-1, 15)
        ref = _oracle(models_dir, image, threshold)
        # Faces within 0.005 of the threshold may flip; compare the confident ones.
        ours = ours[ours[:, 14] > threshold + 0.005]
        ref = ref[ref[:, 14] > threshold + 0.005]
        assert len(ours) == len(ref), path
        ours, ref = ours[np.argsort(-ours[:, 14])], ref[np.argsort(-ref[:, 14])]
        assert np.abs(ours[:, :14] - ref[:, :14]).max(initial=0.0) <= 1.0, path
        assert np.abs(ours[:, 14] - ref[:, 14]).max(initial=0.0) < 1e-3, path
        compared += len(ref)
    assert compared >= 90


def test_fixed_model_letterbox_matches_opencv_on_same_canvas(models_dir: Path, data_dir: Path) -> None:
    session = OrtBackend().load(models_dir / load_manifest().get("yunet_2023mar").file)
    fixed = YuNetDetector(session, DetectorConfig(max_side=None), fixed_size=(640, 640))
    big = read(data_dir / "spoof" / "real" / "sf_real_03.jpg")  # 1617x2160: scaled into 640x640
    ours = fixed.detect(big)
    assert len(ours) == 1
    scale = 640 / max(big.shape[:2])
    small = cv2.resize(big, (round(big.shape[1] * scale), round(big.shape[0] * scale)), interpolation=cv2.INTER_AREA)
    canvas = cv2.copyMakeBorder(small, 0, 640 - small.shape[0], 0, 640 - small.shape[1], cv2.BORDER_CONSTANT, 0)
    ref = _oracle(models_dir, canvas, 0.6)
    assert len(ref) == 1
    assert np.abs(ours[0].as_row()[:14] * scale - ref[0, :14]).max() <= 1.0


def test_no_face_images_give_no_detections(pipeline: FacePipeline, data_dir: Path) -> None:
    for path in sorted((data_dir / "noface").iterdir()):
        assert pipeline.detector.detect(read(path)) == [], path


def test_large_frames_are_scaled_for_detection(pipeline: FacePipeline, data_dir: Path) -> None:
    image = read(data_dir / "spoof" / "real" / "sf_real_02.jpg")  # 1560x2166, face ~1000 px
    faces = pipeline.detector.detect(image)
    assert len(faces) == 1
    box = faces[0].box
    assert 0 <= box.x and box.x + box.width <= image.shape[1] + 5 and box.width > 500


@pytest.mark.parametrize(
    ("boxes", "scores", "kept"),
    [
        ([[0, 0, 10, 10], [1, 1, 10, 10], [20, 20, 5, 5]], [0.9, 0.95, 0.8], [1, 2]),
        ([[0, 0, 10, 10], [6, 0, 10, 10]], [0.9, 0.8], [0, 1]),  # IoU 0.25 <= 0.3: both kept
    ],
)
def test_nms(boxes: list[list[float]], scores: list[float], kept: list[int]) -> None:
    assert nms(np.array(boxes, float), np.array(scores), 0.3, 5000).tolist() == kept
