"""The recognisers a face is embedded with: SFace always, the second one (score fusion) when installed."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from edge_node.vision.embedder import EMBEDDING_DIM, SFaceEmbedder
from edge_node.vision.layout import EmbeddingLayout
from edge_node.vision.reid import REID_DIM, ReidEmbedder


@dataclass(frozen=True)
class FaceEmbedding:
    """A face's probe (the layout matched with), its template (every recogniser installed; the
    probe itself unless asked for) and SFace's raw feature norm (the recogniser's quality signal)."""

    probe: np.ndarray
    template: np.ndarray
    feature_norm: float


class Recognisers:
    """Embeds aligned faces with SFace and, when given, the second recogniser.

    ``stored`` is the layout a new template carries (every recogniser here), ``matching`` the
    one probes are compared in: both recognisers with ``fusion``, else SFace alone. Templates
    always carry every installed recogniser, so switching fusion needs no re-enrolment.
    """

    def __init__(self, sface: SFaceEmbedder, reid: ReidEmbedder | None = None, fusion: bool = True) -> None:
        self.sface = sface
        self.reid = reid
        parts = [(sface.model_id, EMBEDDING_DIM)] + ([(reid.model_id, REID_DIM)] if reid else [])
        self.stored = EmbeddingLayout.of(*parts)
        self.matching = self.stored if fusion else EmbeddingLayout.of(parts[0])
        self.known_dims = dict(parts)

    @property
    def fused(self) -> bool:
        return len(self.matching.parts) > 1

    def embed(self, frame: np.ndarray, landmarks: np.ndarray, aligned: np.ndarray,
              for_template: bool = False) -> FaceEmbedding:
        """Embed one face; ``for_template`` also runs the recognisers only templates carry."""
        sface, norm = self.sface.embed_with_norm(aligned)
        if self.reid is None or not (self.fused or for_template):
            probe = self.matching.join([sface])
            return FaceEmbedding(probe, probe, norm)
        template = self.stored.join([sface, self.reid.embed(frame, landmarks)])
        probe = template if self.fused else self.matching.join([sface])
        return FaceEmbedding(probe, template, norm)
