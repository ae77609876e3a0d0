"""Configuration of the recognition pipeline, with defaults calibrated by ``scripts/bench_accuracy``."""

from __future__ import annotations

from dataclasses import dataclass, field

from edge_node.vision.backend import BackendConfig
from edge_node.vision.detector import DetectorConfig
from edge_node.vision.image_io import ImageLimits
from edge_node.vision.liveness import LivenessConfig
from edge_node.vision.quality import QualityConfig


@dataclass(frozen=True)
class MatchConfig:
    """``threshold``: cosine at or above which the best person is a MATCH.

    0.45 gives 0 impostor accepts on the shared LFW singletons (max impostor 0.413) while
    keeping genuine accept >= 97 % with one enrolment image (opencv_zoo's 0.363 accepts 12.5 %).
    """

    threshold: float = 0.45
    # The best person must beat the runner-up by this much, else the face is UNKNOWN.
    margin: float = 0.0
    # Enrolment: an image whose cosine to the mean of the batch's other images is below this
    # is not the same person (see ``vision.enrolment``).
    same_person_threshold: float = 0.3
    top_k: int = 3


@dataclass(frozen=True)
class VisionConfig:
    """Everything the :class:`~edge_node.vision.pipeline.FacePipeline` needs to know."""

    backend: str = "onnxruntime"
    runtime: BackendConfig = field(default_factory=BackendConfig)
    detector_model: str = "yunet_dynamic"
    limits: ImageLimits = field(default_factory=ImageLimits)
    detector: DetectorConfig = field(default_factory=DetectorConfig)
    quality: QualityConfig = field(default_factory=QualityConfig)
    liveness: LivenessConfig = field(default_factory=LivenessConfig)
    match: MatchConfig = field(default_factory=MatchConfig)
    # Faces per image processed beyond detection (largest first).
    max_faces: int = 5
