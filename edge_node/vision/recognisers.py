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
    """SFace and, when given, the second recogniser, and how their embeddings join.

    ``stored`` is the layout a new template carries (every recogniser here), ``matching`` the
    one probes are compared in: both recognisers with ``fusion``, else SFace alone. Templates
    always carry every installed recogniser, so switching fusion needs no re-enrolment. The
    caller decides where each recogniser runs (``FacePipeline`` runs the second one beside SFace).
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

    def wants_second(self, for_template: bool = False) -> bool:
        """Whether a face needs the second recogniser: to match with, or for a template."""
        return self.reid is not None and (self.fused or for_template)

    def join(self, sface: np.ndarray, feature_norm: float, second: np.ndarray | None) -> FaceEmbedding:
        """One probe and template from SFace's embedding and the second recogniser's (if computed)."""
        if second is None:
            probe = self.matching.join([sface])
            return FaceEmbedding(probe, probe, feature_norm)
        template = self.stored.join([sface, second])
        probe = template if self.fused else self.matching.join([sface])
        return FaceEmbedding(probe, template, feature_norm)
