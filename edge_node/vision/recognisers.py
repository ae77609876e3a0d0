"""The recognisers a face is embedded with: SFace always, the second one (score fusion) when installed."""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor
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


class PendingEmbedding:
    """A face whose second-recogniser embedding is being computed; ``finish`` adds SFace's."""

    def __init__(self, recognisers: Recognisers, reid: Future[np.ndarray] | None) -> None:
        self._recognisers = recognisers
        self._reid = reid

    def finish(self, aligned: np.ndarray) -> FaceEmbedding:
        """SFace on this thread, then the second recogniser's result; one probe and template."""
        r = self._recognisers
        sface, norm = r.sface.embed_with_norm(aligned)
        if self._reid is None:
            probe = r.matching.join([sface])
            return FaceEmbedding(probe, probe, norm)
        template = r.stored.join([sface, self._reid.result()])
        probe = template if r.fused else r.matching.join([sface])
        return FaceEmbedding(probe, template, norm)


class Recognisers:
    """Embeds faces with SFace and, when given, the second recogniser.

    ``stored`` is the layout a new template carries (every recogniser here), ``matching`` the
    one probes are compared in: both recognisers with ``fusion``, else SFace alone. Templates
    always carry every installed recogniser, so switching fusion needs no re-enrolment. The
    second recogniser runs on its own thread while the caller runs liveness and SFace (both
    runtimes release the GIL), so fusion adds little latency where a second core is free.
    """

    def __init__(self, sface: SFaceEmbedder, reid: ReidEmbedder | None = None, fusion: bool = True) -> None:
        self.sface = sface
        self.reid = reid
        parts = [(sface.model_id, EMBEDDING_DIM)] + ([(reid.model_id, REID_DIM)] if reid else [])
        self.stored = EmbeddingLayout.of(*parts)
        self.matching = self.stored if fusion else EmbeddingLayout.of(parts[0])
        self.known_dims = dict(parts)
        self._worker = ThreadPoolExecutor(1, thread_name_prefix="reid") if reid is not None else None

    @property
    def fused(self) -> bool:
        return len(self.matching.parts) > 1

    def begin(self, frame: np.ndarray, landmarks: np.ndarray, for_template: bool = False) -> PendingEmbedding:
        """Start embedding one face (``frame`` must not change until ``finish``); ``for_template``
        also runs the recognisers only templates carry."""
        if self.reid is None or self._worker is None or not (self.fused or for_template):
            return PendingEmbedding(self, None)
        return PendingEmbedding(self, self._worker.submit(self.reid.embed, frame, landmarks))
