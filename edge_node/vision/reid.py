"""Second recogniser for score fusion: Intel's face-reidentification-retail-0095 (Apache-2.0).

256-d embeddings from a 128x128 BGR crop aligned onto the model's own five-point template;
about as accurate as SFace alone at about half its compute. Averaged with SFace's cosine
(``vision.layout``), it recognises camera-grade faces better than either (README
"Recognition accuracy"). Only an ONNX file exists, so it always runs on ONNX Runtime.
"""

from __future__ import annotations

import cv2
import numpy as np

from edge_node.vision.align import similarity_transform
from edge_node.vision.backend import InferenceSession

REID_SIZE = 128
REID_DIM = 256
# Image-left eye, image-right eye, nose tip, image-left and image-right mouth corner (x 128).
REID_TEMPLATE = np.array([(0.31556875, 0.46157411), (0.68262292, 0.46157411), (0.50026250, 0.64050536),
                          (0.34947188, 0.82469196), (0.65343646, 0.82469196)]) * REID_SIZE


class ReidEmbedder:
    """Normalised 256-d embedding of a face from its frame and YuNet landmarks."""

    def __init__(self, session: InferenceSession, model_id: str) -> None:
        self._session = session
        self._input = session.input_names[0]
        self.model_id = model_id
        self._blob = np.empty((1, 3, REID_SIZE, REID_SIZE), dtype=np.float32)

    def embed(self, frame_bgr: np.ndarray, landmarks: np.ndarray) -> np.ndarray:
        crop = cv2.warpAffine(frame_bgr, similarity_transform(landmarks, REID_TEMPLATE), (REID_SIZE, REID_SIZE),
                              flags=cv2.INTER_LINEAR)
        self._blob[0] = crop.transpose(2, 0, 1)  # the model takes BGR 0-255 as is
        feature = self._session.run({self._input: self._blob})[0].reshape(-1).astype(np.float32)
        norm = float(np.linalg.norm(feature))
        return feature / norm if norm > 0 else feature
