"""The pipeline's fast paths give the results of the plain code they replaced (kept here as references).

Detector canvas (cv2.split), output decoding (score pre-filter), NMS (pairwise IoU matrix) and
alignment (closed-form similarity) are compared on the shared face photos.
"""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from edge_node.vision import FacePipeline
from edge_node.vision.align import ALIGNED_SIZE, ARCFACE_TEMPLATE, align_face, similarity_transform
from edge_node.vision.detector import YuNetDetector, nms

from .conftest import read


def _photos(data_dir: Path) -> list[Path]:
    return sorted((data_dir / "faces").glob("*/*.jpg"))[::7] + [data_dir / "misc" / "astronaut.png"]


def _nms_reference(boxes: np.ndarray, scores: np.ndarray, iou_threshold: float, top_k: int) -> np.ndarray:
    order = np.argsort(-scores, kind="stable")[:top_k]
    x1, y1 = boxes[:, 0], boxes[:, 1]
    x2, y2 = x1 + boxes[:, 2], y1 + boxes[:, 3]
    areas = boxes[:, 2] * boxes[:, 3]
    keep: list[int] = []
    for i in order:
        if keep:
            k = np.asarray(keep)
            iw = np.clip(np.minimum(x2[k], x2[i]) - np.maximum(x1[k], x1[i]), 0, None)
            ih = np.clip(np.minimum(y2[k], y2[i]) - np.maximum(y1[k], y1[i]), 0, None)
            inter = iw * ih
            if np.any(inter / np.maximum(areas[k] + areas[i] - inter, 1e-9) > iou_threshold):
                continue
        keep.append(int(i))
    return np.asarray(keep, dtype=np.int64)


def _decode_reference(det: YuNetDetector, outputs: list[np.ndarray], cw: int, ch: int) -> np.ndarray:
    """Every anchor scored, then thresholded, then NMS (the former ``_decode``)."""
    cfg, found = det.config, []
    for grid, s in zip(det._grid(cw, ch), (8, 16, 32)):
        cls = np.clip(outputs[det._out_index[("cls", s)]].reshape(-1), 0.0, 1.0)
        obj = np.clip(outputs[det._out_index[("obj", s)]].reshape(-1), 0.0, 1.0)
        score = np.sqrt(cls * obj)
        idx = np.nonzero(score > cfg.score_threshold)[0]
        bbox = outputs[det._out_index[("bbox", s)]].reshape(-1, 4)[idx]
        kps = outputs[det._out_index[("kps", s)]].reshape(-1, 5, 2)[idx]
        cell = grid[idx]
        centre, size = (cell + bbox[:, :2]) * s, np.exp(bbox[:, 2:]) * s
        points = (cell[:, None, :] + kps) * s
        found.append(np.concatenate([centre - size / 2, size, points.reshape(-1, 10), score[idx, None]],
                                    axis=1).astype(np.float32))
    rows = np.concatenate(found)
    keep = _nms_reference(rows[:, :4].astype(np.int32).astype(np.float64), rows[:, 14], cfg.nms_threshold, cfg.top_k)
    return rows[keep]


def _umeyama(src: np.ndarray, dst: np.ndarray) -> np.ndarray:
    src_mean, dst_mean = src.mean(axis=0), dst.mean(axis=0)
    src_c, dst_c = src - src_mean, dst - dst_mean
    u, s, vt = np.linalg.svd(dst_c.T @ src_c / len(src))
    d = np.array([1.0, -1.0 if np.linalg.det(u) * np.linalg.det(vt) < 0 else 1.0])
    rot = u @ np.diag(d) @ vt
    scale = (s * d).sum() / ((src_c**2).sum() / len(src))
    return np.hstack([scale * rot, (dst_mean - scale * rot @ src_mean)[:, None]])


@pytest.mark.parametrize("seed", range(20))
def test_nms_keeps_what_the_greedy_loop_keeps(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 60))
    boxes = np.round(np.column_stack([rng.uniform(0, 100, (n, 2)), rng.uniform(5, 60, (n, 2))]))
    scores = rng.choice(np.linspace(0.6, 1.0, 9), n)  # ties keep the stable order
    for threshold in (0.1, 0.3, 0.6):
        assert nms(boxes, scores, threshold, 5000).tolist() == _nms_reference(boxes, scores, threshold, 5000).tolist()
    assert nms(boxes, scores, 0.3, 3).tolist() == _nms_reference(boxes, scores, 0.3, 3).tolist()


def test_detector_canvas_decoding_and_nms_match_the_plain_code(pipeline: FacePipeline, data_dir: Path) -> None:
    det = pipeline.detector
    for path in _photos(data_dir):
        image = read(path)
        for frame in (image, image[3:-2, 1:-4]):  # a frame whose canvas needs padding
            h, w = frame.shape[:2]
            cw, ch, scale = det.canvas_size(w, h)
            assert scale == 1.0
            blob = det._blob(frame, cw, ch).copy()
            reference = np.zeros((1, 3, ch, cw), np.float32)
            reference[0, :, :h, :w] = frame.transpose(2, 0, 1)
            assert np.array_equal(blob, reference), path
            outputs = det._session.run({det._input: blob})
            assert np.array_equal(det._decode(outputs, cw, ch), _decode_reference(det, outputs, cw, ch)), path


def test_alignment_matches_the_svd_solution(pipeline: FacePipeline, data_dir: Path) -> None:
    rng = np.random.default_rng(0)
    for _ in range(200):
        angle = rng.uniform(-np.pi, np.pi)
        rot = rng.uniform(0.2, 5) * np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
        src = ARCFACE_TEMPLATE @ rot.T + rng.normal(0, 3, (5, 2)) + rng.uniform(0, 600, 2)
        np.testing.assert_allclose(similarity_transform(src, ARCFACE_TEMPLATE), _umeyama(src, ARCFACE_TEMPLATE),
                                   rtol=0, atol=1e-9)
    for path in _photos(data_dir):
        image = read(path)
        for face in pipeline.detector.detect(image):
            matrix = _umeyama(face.landmarks.astype(np.float64), ARCFACE_TEMPLATE)
            reference = cv2.warpAffine(image, matrix, (ALIGNED_SIZE, ALIGNED_SIZE), flags=cv2.INTER_LINEAR)
            assert np.array_equal(align_face(image, face.landmarks), reference), path
