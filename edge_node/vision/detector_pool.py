"""A small pool of YuNet detectors for stream frames (a detector reuses buffers, so one per caller)."""
from __future__ import annotations

import queue
from pathlib import Path

import numpy as np

from edge_node.modelstore import require
from edge_node.modelstore.manifest import DEFAULT_MANIFEST, load_manifest
from edge_node.vision.backend import BackendConfig, make_backend
from edge_node.vision.detector import DetectorConfig, YuNetDetector
from edge_node.vision.types import Detection

DETECTOR_MODEL = "yunet_dynamic"


class DetectorPool:
    """`size` detectors on the verified YuNet model; `detect` is thread-safe."""

    def __init__(self, models_dir: Path, size: int, runtime: BackendConfig) -> None:
        manifest = load_manifest(DEFAULT_MANIFEST)
        path = require(models_dir, [DETECTOR_MODEL], manifest)[DETECTOR_MODEL]
        backend = make_backend("onnxruntime", runtime)
        self._pool: queue.Queue[YuNetDetector] = queue.Queue()
        for _ in range(size):
            self._pool.put(YuNetDetector(backend.load(path), DetectorConfig()))

    def detect(self, frame: np.ndarray) -> list[Detection]:
        """Faces in a BGR frame, largest first."""
        detector = self._pool.get()
        try:
            faces = detector.detect(frame)
        finally:
            self._pool.put(detector)
        return sorted(faces, key=lambda d: d.box.area, reverse=True)
