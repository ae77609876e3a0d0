"""YuNet face detector: canvas preparation, output decoding and NMS in our own code."""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from edge_node.vision.backend import InferenceSession
from edge_node.vision.types import Box, Detection

_STRIDES = (8, 16, 32)
_DIVISOR = 32


@dataclass(frozen=True)
class DetectorConfig:
    """YuNet parameters (OpenCV's post-processing defaults except the score threshold).

    ``max_side``: larger frames are scaled down to it before detection (YuNet is trained for
    faces of about 10-300 px and misses close-up faces in multi-megapixel frames); None = never.
    """

    score_threshold: float = 0.6
    nms_threshold: float = 0.3
    top_k: int = 5000
    max_side: int | None = 640


def _padded(n: int) -> int:
    return (n + _DIVISOR - 1) // _DIVISOR * _DIVISOR


def nms(boxes: np.ndarray, scores: np.ndarray, iou_threshold: float, top_k: int) -> np.ndarray:
    """Greedy NMS like ``cv2.dnn.NMSBoxes`` on integer ``(x, y, w, h)`` boxes; returns kept indices.

    The pairwise IoUs of the (few) candidates are computed at once; the greedy pass then keeps
    a box unless a kept, higher-scoring one overlaps it by more than ``iou_threshold``.
    """
    order = np.argsort(-scores, kind="stable")[:top_k]
    b = boxes[order]
    x1, y1 = b[:, 0], b[:, 1]
    x2, y2 = x1 + b[:, 2], y1 + b[:, 3]
    areas = b[:, 2] * b[:, 3]
    iw = np.clip(np.minimum(x2[:, None], x2) - np.maximum(x1[:, None], x1), 0, None)
    ih = np.clip(np.minimum(y2[:, None], y2) - np.maximum(y1[:, None], y1), 0, None)
    inter = iw * ih
    overlaps = inter / np.maximum(areas[:, None] + areas - inter, 1e-9) > iou_threshold
    suppressed = np.zeros(len(order), dtype=bool)
    keep: list[int] = []
    for i in range(len(order)):
        if not suppressed[i]:
            keep.append(i)
            suppressed |= overlaps[i]
    return order[np.asarray(keep, dtype=np.int64)]


class YuNetDetector:
    """Runs a YuNet ONNX export on frames of any size.

    Frames above ``config.max_side`` are first scaled down. With a dynamic-input model the
    frame is then zero-padded (bottom/right) to a multiple of 32,
    exactly as ``cv2.FaceDetectorYN`` does. With a fixed-input model the frame is scaled down
    to fit (never up) and padded into the fixed canvas (letterbox); coordinates are mapped back.
    """

    def __init__(self, session: InferenceSession, config: DetectorConfig = DetectorConfig(),
                 fixed_size: tuple[int, int] | None = None) -> None:
        """``fixed_size`` is the model's (width, height) input, or None for a dynamic model."""
        self._session = session
        self._input = session.input_names[0]
        names = session.output_names
        self._out_index = {
            (kind, s): names.index(f"{kind}_{s}") for kind in ("cls", "obj", "bbox", "kps") for s in _STRIDES
        }
        self.config = config
        self.fixed_size = fixed_size
        self._grids: dict[tuple[int, int], list[np.ndarray]] = {}
        self._canvas: dict[tuple[int, int], np.ndarray] = {}
        # The uint8 planes of the last frame size (a stream keeps one size).
        self._planes: tuple[np.ndarray, ...] = (np.empty((0, 0), dtype=np.uint8),)

    def canvas_size(self, width: int, height: int) -> tuple[int, int, float]:
        """Return (canvas width, canvas height, scale applied to the frame) for a frame size."""
        max_side = self.config.max_side
        scale = min(1.0, max_side / max(width, height)) if max_side else 1.0
        if self.fixed_size is None:
            return _padded(round(width * scale)), _padded(round(height * scale)), scale
        cw, ch = self.fixed_size
        return cw, ch, min(scale, cw / width, ch / height)

    def _grid(self, cw: int, ch: int) -> list[np.ndarray]:
        """Anchor (col, row) grids per stride for a canvas size, row-major."""
        key = (cw, ch)
        if key not in self._grids:
            grids = []
            for s in _STRIDES:
                cols, rows = cw // s, ch // s
                r, c = np.divmod(np.arange(rows * cols, dtype=np.float32), np.float32(cols))
                grids.append(np.stack([c, r], axis=1))
            self._grids[key] = grids
        return self._grids[key]

    def _blob(self, image: np.ndarray, cw: int, ch: int) -> np.ndarray:
        """Zero-padded float32 NCHW canvas holding the (already scaled) BGR frame.

        ``cv2.split`` into reused uint8 planes, then one widening copy per plane: about 3x
        faster than a strided transpose into float32.
        """
        blob = self._canvas.get((cw, ch))
        if blob is None:
            blob = np.zeros((1, 3, ch, cw), dtype=np.float32)
            self._canvas[(cw, ch)] = blob
        h, w = image.shape[:2]
        if self._planes[0].shape != (h, w):
            self._planes = tuple(np.empty((h, w), dtype=np.uint8) for _ in range(3))
        cv2.split(image, self._planes)
        for c, plane in enumerate(self._planes):
            np.copyto(blob[0, c, :h, :w], plane)
        blob[0, :, h:, :] = 0.0
        blob[0, :, :h, w:] = 0.0
        return blob

    def detect(self, image: np.ndarray) -> list[Detection]:
        """Detect faces in a BGR ``uint8`` frame; highest score first."""
        height, width = image.shape[:2]
        cw, ch, scale = self.canvas_size(width, height)
        if scale < 1.0:
            size = (max(1, round(width * scale)), max(1, round(height * scale)))
            image = cv2.resize(image, size, interpolation=cv2.INTER_AREA)
        outputs = self._session.run({self._input: self._blob(image, cw, ch)})
        rows = self._decode(outputs, cw, ch)
        if scale < 1.0:
            rows[:, :14] /= scale
        return [
            Detection(box=Box(*map(float, r[:4])), landmarks=r[4:14].reshape(5, 2).copy(), score=float(r[14]))
            for r in rows
        ]

    def _decode(self, outputs: list[np.ndarray], cw: int, ch: int) -> np.ndarray:
        """Decode the 12 head outputs into NMS-filtered ``(n, 15)`` FaceDetectorYN rows."""
        cfg = self.config
        t = cfg.score_threshold
        # score = sqrt(clip(cls) * clip(obj)) > t. The raw product over-estimates the clipped one
        # wherever that is positive, so "raw product > 0.99 t^2" is a cheap superset of the anchors
        # above the threshold; the exact score is then computed on those few only.
        bound = np.float32(0.99 * t * t) if t > 0 else np.float32(-np.inf)
        found = []
        for grid, s in zip(self._grid(cw, ch), _STRIDES):
            cls = outputs[self._out_index[("cls", s)]].reshape(-1)
            obj = outputs[self._out_index[("obj", s)]].reshape(-1)
            idx = np.flatnonzero(cls * obj > bound)
            if idx.size == 0:
                continue
            score = np.sqrt(np.clip(cls[idx], 0.0, 1.0) * np.clip(obj[idx], 0.0, 1.0))
            above = score > t
            idx, score = idx[above], score[above]
            if idx.size == 0:
                continue
            bbox = outputs[self._out_index[("bbox", s)]].reshape(-1, 4)[idx]
            kps = outputs[self._out_index[("kps", s)]].reshape(-1, 5, 2)[idx]
            cell = grid[idx]
            centre = (cell + bbox[:, :2]) * s
            size = np.exp(bbox[:, 2:]) * s
            points = (cell[:, None, :] + kps) * s
            found.append(
                np.concatenate([centre - size / 2, size, points.reshape(-1, 10), score[:, None]], axis=1
                               ).astype(np.float32)
            )
        if not found:
            return np.zeros((0, 15), dtype=np.float32)
        rows = np.concatenate(found)
        keep = nms(rows[:, :4].astype(np.int32).astype(np.float64), rows[:, 14], cfg.nms_threshold, cfg.top_k)
        return rows[keep]
