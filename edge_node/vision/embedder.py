"""SFace embedding of an aligned face crop."""

from __future__ import annotations

import numpy as np

from edge_node.vision.backend import InferenceSession

EMBEDDING_DIM = 128


class SFaceEmbedder:
    """Produces L2-normalised 128-d float32 embeddings from 112x112 BGR aligned crops.

    ``model_id`` identifies the network that produced a template; templates with another
    id are not comparable.
    """

    def __init__(self, session: InferenceSession, model_id: str) -> None:
        self._session = session
        self._input = session.input_names[0]
        self.model_id = model_id
        self._blob = np.empty((1, 3, 112, 112), dtype=np.float32)

    def embed_with_norm(self, aligned_bgr: np.ndarray) -> tuple[np.ndarray, float]:
        """The normalised embedding of one aligned crop and the raw feature's L2 norm.

        The norm grows with how much identity evidence the network found in the crop
        (SFace, like other margin-loss recognisers, gives low-norm features for poor faces).
        """
        self._blob[0] = aligned_bgr[:, :, ::-1].transpose(2, 0, 1)  # the model expects RGB
        feature = self._session.run({self._input: self._blob})[0].reshape(-1).astype(np.float32)
        norm = float(np.linalg.norm(feature))
        return (feature / norm if norm > 0 else feature), norm

    def embed(self, aligned_bgr: np.ndarray) -> np.ndarray:
        """Return the normalised embedding of one aligned crop."""
        return self.embed_with_norm(aligned_bgr)[0]
