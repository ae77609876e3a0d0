"""Configuration of the recognition pipeline, with defaults calibrated by ``scripts/bench_accuracy``."""

from __future__ import annotations

from dataclasses import dataclass, field

from edge_node.vision.backend import BackendConfig
from edge_node.vision.detector import DetectorConfig
from edge_node.vision.image_io import ImageLimits
from edge_node.vision.learning import LearningConfig
from edge_node.vision.liveness import LivenessConfig
from edge_node.vision.quality import QualityConfig


@dataclass(frozen=True)
class MatchConfig:
    """``threshold``: cosine at or above which the best person is a MATCH (these defaults: SFace alone).

    Calibrated by ``scripts/bench_accuracy --sface-only`` on ``lfw_dev`` (354 people enrolled with 3
    photos, with their mean templates; 1000 strangers probed as press photos, camera-grade frames
    and bursts: 2917 decisions): the lowest 0.01 step at which at most 1 stranger decision in 1000
    is accepted (0.51: none; 0.50 accepts 3).
    """

    threshold: float = 0.51
    # The best person must beat the runner-up by this much, else the face is UNKNOWN: a guard
    # against a wrong-person MATCH between two similar enrolled people (it costs no genuine
    # accepts at this threshold on lfw_dev).
    margin: float = 0.03
    # Enrolment: an image whose cosine to the mean of the batch's other images is below this
    # is not the same person (see ``vision.enrolment_checks``). On lfw_dev it refuses 5 of 358 genuine
    # 3-photo batches and passes 5 of 358 batches with a stranger's photo in them.
    same_person_threshold: float = 0.3
    # Enrolment: an image at least this close to another enrolled person is refused as that person
    # (unless allowed). ``scripts/bench_accuracy --duplicates``: a new photo of an enrolled person
    # reaches 0.55 97-98 % of the time and no other person's face of 1800 does (the match threshold
    # refused 6-12 of them: look-alikes).
    duplicate_threshold: float = 0.55
    # A burst frame joins the HQ frame's decision only when its face is this close to the HQ face
    # (``vision.decision.one_person``). ``scripts/bench_accuracy --burst``: see docs/enrolment.md.
    burst_same_person: float = 0.55
    top_k: int = 3
    # A larger gallery raises the threshold (``vision.decision.gallery_threshold``): ``threshold``
    # holds up to ``reference_people`` (the gallery size it was calibrated at) and rises by
    # ``per_doubling`` for each doubling beyond. ``scripts/bench_accuracy --gallery-size 1360``:
    # strangers' scores against one person fall off exponentially above 0.38 with scale 0.025
    # (fused scores: 0.0173 per doubling fitted on 3.5 M stranger-person pairs at 1,161 people; the
    # bench prints 0.0176 on 4.1 M pairs at 1,341 people, docs/recognition.md).
    reference_people: int = 360
    per_doubling: float = 0.0173


# Score fusion (SFace + face-reidentification-retail-0095, the mean of their cosines) has its own
# cosine scale: calibrated by the same rule on the same lfw_dev decisions (0.48 accepts 2 of 2917,
# 0.47 accepts 7; README "Recognition accuracy").
FUSED_MATCH = MatchConfig(threshold=0.48, margin=0.03, same_person_threshold=0.3, duplicate_threshold=0.55)
# (SFace alone keeps the fused slope: its own tail was not fitted, and a single cosine spreads
# wider than the mean of two, so its true slope is, if anything, steeper.)


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
    # Match with SFace and the second recogniser together when its model is installed.
    fusion: bool = True
    fused_match: MatchConfig = FUSED_MATCH
    # Faces per image processed beyond detection (largest first).
    max_faces: int = 5
    # Which kiosk punches become a person's learned template (``vision.learning``).
    learning: LearningConfig = field(default_factory=LearningConfig)

    def calibrated_match(self, fused: bool) -> MatchConfig:
        """The match settings calibrated for the recognisers in use."""
        return self.fused_match if fused else self.match
