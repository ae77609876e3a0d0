"""One decision for one face from one or more frames: gates, liveness, fusion, matching.

Pure functions of the per-frame observations, so the service and the benchmark (which replays
cached observations) decide through the same code.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from edge_node.vision.config import MatchConfig, VisionConfig
from edge_node.vision.gallery import Gallery
from edge_node.vision.liveness import FLAG
from edge_node.vision.quality import Measures, judge
from edge_node.vision.types import Decision, Detection, FaceResult, Liveness, Match, Quality, QualityIssue


@dataclass
class Observation:
    """One frame's view of a face. ``liveness``/``embedding`` are None when not computed."""

    detection: Detection
    measures: Measures
    liveness: float | None = None
    embedding: np.ndarray | None = None  # L2-normalised, in the layout probes are matched in
    feature_norm: float = 0.0  # norm of SFace's raw feature: the recogniser's own quality signal
    # What a template of this face stores (every installed recogniser); the embedding when the same.
    template: np.ndarray | None = None


def fuse(observations: Sequence[Observation]) -> np.ndarray:
    """Template fusion: mean of the frames' normalised embeddings, normalised again."""
    mean = np.mean([o.embedding for o in observations], axis=0)
    norm = float(np.linalg.norm(mean))
    return (mean / norm if norm > 0 else mean).astype(np.float32)


def identify(embedding: np.ndarray, gallery: Gallery, config: VisionConfig,
             top_k: int) -> tuple[bool, list[Match]]:
    """Top-k matches and whether the best is a MATCH: over the threshold and clear of the runner-up.

    The margin rule turns a face that two enrolled people explain about equally well into
    UNKNOWN rather than a coin toss between them.
    """
    matches = gallery.search(embedding, max(top_k, 2))
    if not matches:
        return False, []
    best = matches[0].score
    runner_up = matches[1].score if len(matches) > 1 else -1.0
    ok = best >= gallery_threshold(config.match, gallery.persons()) and best - runner_up >= config.match.margin
    return ok, matches[:top_k]


def gallery_threshold(match: MatchConfig, people: int) -> float:
    """The match threshold for a gallery of ``people`` persons: ``match.threshold`` up to
    ``match.reference_people``, then ``match.per_doubling`` higher for each doubling beyond.

    A stranger's best score is the maximum of their scores against every enrolled person, so the
    chance that it clears a fixed threshold grows about N-fold with N people. The stranger-to-person
    score tail near the threshold is exponential (scale b), so holding the false-accept rate per
    decision at its value at the reference size takes b * ln 2 more per doubling of the gallery
    (docs/recognition.md).
    """
    if people <= match.reference_people:
        return match.threshold
    return match.threshold + match.per_doubling * math.log2(people / match.reference_people)


def decide(observations: Sequence[Observation], gallery: Gallery, config: VisionConfig,
           top_k: int) -> FaceResult:
    """Decision for one face seen in ``observations`` (the primary frame first).

    Frames failing a quality gate (or too weak for the recogniser) are left out, and so is every
    frame whose face is not the same person as the primary face (:func:`one_person`). Liveness is
    the weakest usable frame's: a spoof frame is never averaged into a live one. The usable frames'
    embeddings are fused into one probe.
    """
    qualities = [_quality(o, config) for o in observations]
    usable = one_person([(o, q) for o, q in zip(observations, qualities) if q.ok and o.embedding is not None],
                        config.match.burst_same_person)
    if not usable:
        return FaceResult(observations[0].detection, qualities[0], Liveness(False, False, 0.0),
                          Decision.LOW_QUALITY)
    first, quality = usable[0]
    scores = [o.liveness for o, _ in usable if o.liveness is not None]
    weakest = min(scores) if scores else 0.0
    liveness = Liveness(checked=bool(scores), live=weakest >= config.liveness.threshold, score=weakest,
                        frames=len(scores))
    if not liveness.live:
        flagged = _flagged_match(usable, gallery, config, top_k, first.detection, quality, liveness)
        if flagged is not None:
            return flagged
        if weakest >= config.liveness.spoof_below:
            return FaceResult(first.detection, _unsure(quality), liveness, Decision.LOW_QUALITY)
        return FaceResult(first.detection, quality, liveness, Decision.SPOOF)
    probe = fuse([o for o, _ in usable])
    ok, matches = identify(probe, gallery, config, top_k)
    return FaceResult(first.detection, quality, liveness, Decision.MATCH if ok else Decision.UNKNOWN,
                      matches, probe)


def _flagged_match(usable: Sequence[tuple[Observation, Quality]], gallery: Gallery, config: VisionConfig, top_k: int,
                   detection: Detection, quality: Quality, liveness: Liveness) -> FaceResult | None:
    """Under the FLAG liveness policy, the MATCH a face not confirmed live would have had (its
    ``liveness.live`` stays False, so the punch is flagged); None otherwise."""
    if config.liveness.policy != FLAG:
        return None
    probe = fuse([o for o, _ in usable])
    ok, matches = identify(probe, gallery, config, top_k)
    return FaceResult(detection, quality, liveness, Decision.MATCH, matches, probe) if ok else None


def one_person(usable: Sequence[tuple[Observation, Quality]],
               threshold: float) -> list[tuple[Observation, Quality]]:
    """The usable frames whose face is the same person as the first usable one (the primary face
    when it passed the gates): cosine of their embeddings at least ``threshold``. Box overlap only
    says where a face is; this says whose it is, so a burst cannot mix two people's frames."""
    if not usable:
        return []
    anchor = usable[0][0].embedding
    return [usable[0], *(u for u in usable[1:] if float(anchor @ u[0].embedding) >= threshold)]


def _unsure(quality: Quality) -> Quality:
    """The face passed the gates but liveness could not decide: LOW_QUALITY, whose reason asks
    for another, steadier look (the gates' issues stay as measured)."""
    return replace(quality, reason="could not confirm a live face; look straight at the camera and hold still")


def _quality(o: Observation, config: VisionConfig) -> Quality:
    quality = judge(o.measures, config.quality)
    floor = config.quality.min_feature_norm
    if quality.ok and o.embedding is not None and o.feature_norm < floor:
        return Quality(issues=(QualityIssue.TOO_BLURRY,), eye_distance=quality.eye_distance,
                       sharpness=quality.sharpness, yaw_degrees=quality.yaw_degrees,
                       reason=_weak_face_reason(o.measures))
    return quality


def _weak_face_reason(m: Measures) -> str:
    """What a person at the kiosk can do about a face the recogniser cannot read."""
    if m.brightness < 60:
        return "face too dark to recognise; more light, or step into the light"
    return "face not clear enough to recognise; step closer and hold still"
