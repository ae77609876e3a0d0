"""Study of score fusion with a second recogniser (Intel face-reidentification-retail-0095).

Not wired into the service: ``scripts/bench_accuracy --second-opinion`` uses it to measure
whether averaging its cosine with SFace's pays on our own calibration data, through the same
decision code (the fused probe is the concatenation of the two normalised embeddings, whose
cosine is the mean of the two cosines). The model file is read from the shared models
directory and checked against its sha256; it is never copied into the repository.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import cv2
import numpy as np

from edge_node.vision.align import similarity_transform
from edge_node.vision.backend import InferenceSession

FILE = "extra/face_reidentification_retail_0095_fp32.onnx"
SHA256 = "a02db2f53fe3e0d8d50cbd2b3f4e4139a42dbc0a68c3c5d404a5e18fe95fac52"
_SIZE = 128
# Image-left eye, image-right eye, nose tip, image-left and image-right mouth corner (x 128).
_TEMPLATE = np.array([(0.31556875, 0.46157411), (0.68262292, 0.46157411), (0.50026250, 0.64050536),
                      (0.34947188, 0.82469196), (0.65343646, 0.82469196)]) * _SIZE


def verified_path(models_dir: Path) -> Path:
    """The model file, after checking its sha256 (raises ValueError when it differs)."""
    path = models_dir / FILE
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if digest != SHA256:
        raise ValueError(f"{path}: sha256 {digest} is not the expected {SHA256}")
    return path


class ReidEmbedder:
    """256-d normalised embedding of a face from its YuNet landmarks (BGR 0-255 input)."""

    def __init__(self, session: InferenceSession) -> None:
        self._session = session
        self._input = session.input_names[0]

    def embed(self, frame_bgr: np.ndarray, landmarks: np.ndarray) -> np.ndarray:
        crop = cv2.warpAffine(frame_bgr, similarity_transform(landmarks, _TEMPLATE), (_SIZE, _SIZE),
                              flags=cv2.INTER_LINEAR)
        blob = crop.transpose(2, 0, 1)[None].astype(np.float32)
        feature = self._session.run({self._input: blob})[0].reshape(-1).astype(np.float32)
        return feature / max(float(np.linalg.norm(feature)), 1e-12)


def fused(sface: np.ndarray, reid: np.ndarray) -> np.ndarray:
    """Concatenation of the two normalised embeddings, normalised (cosine = mean of the two)."""
    both = np.concatenate([sface, reid]).astype(np.float32)
    return both / float(np.linalg.norm(both))
