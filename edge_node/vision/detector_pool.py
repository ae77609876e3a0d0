"""A small pool of YuNet detectors for stream frames (a detector reuses buffers, so one per caller)."""
from __future__ import annotations

import queue
from pathlib import Path

import numpy as np

from edge_node.modelstore import ModelsUnavailable, require
from edge_node.modelstore.manifest import DEFAULT_MANIFEST, load_manifest
from edge_node.vision.backend import LITERT, ONNXRUNTIME, BackendConfig, make_backend
from edge_node.vision.detector import DetectorConfig, YuNetDetector
from edge_node.vision.errors import BackendUnavailable
from edge_node.vision.types import Detection

DETECTOR_MODEL = "yunet_dynamic"
# LiteRT models have fixed inputs; the 320x320 canvas holds a QVGA stream frame unscaled.
LITERT_DETECTOR_MODEL = "yunet_320"


class DetectorPool:
    """`size` detectors on the verified YuNet model, on the runtime `runtime.detector` picks;
    `detect` is thread-safe. Raises ModelsUnavailable when the model or its runtime is not usable."""

    def __init__(self, models_dir: Path, size: int, runtime: BackendConfig) -> None:
        manifest = load_manifest(DEFAULT_MANIFEST)
        backend = make_backend(ONNXRUNTIME, runtime)
        name = DETECTOR_MODEL
        if backend.runtime_for(Path(models_dir) / manifest.get(name).file) == LITERT:
            name = LITERT_DETECTOR_MODEL
        path = require(models_dir, [name], manifest)[name]
        height, width = manifest.get(name).input_shape[2:]
        fixed = (width, height) if width > 0 and height > 0 else None
        self.runtime = backend.runtime_for(path)
        self._pool: queue.Queue[YuNetDetector] = queue.Queue()
        try:
            for _ in range(size):
                self._pool.put(YuNetDetector(backend.load(path), DetectorConfig(), fixed_size=fixed))
        except BackendUnavailable as exc:  # e.g. the litert extra or the 320x320 conversion missing
            raise ModelsUnavailable(f"stream detector: {exc}") from exc

    def detect(self, frame: np.ndarray) -> list[Detection]:
        """Faces in a BGR frame, largest first."""
        detector = self._pool.get()
        try:
            faces = detector.detect(frame)
        finally:
            self._pool.put(detector)
        return sorted(faces, key=lambda d: d.box.area, reverse=True)
