"""Which kiosk captures may become a person's "learned" template (haircuts, glasses, the kiosk's own light).

A pure rule on one decision; the recognition engine stores what it accepts, capped per person.
"""

from __future__ import annotations

from dataclasses import dataclass

from edge_node.vision.types import Decision, FaceResult


@dataclass(frozen=True)
class LearningConfig:
    """A MATCH is learned when it is clearly that person, live and well lit.

    ``above_threshold`` and ``min_margin``: the best score at least this far over the gallery's match
    threshold and over the runner-up (docs/recognition.md: at 1,341 people, 0 wrong persons among
    the captures this admits). ``min_brightness``: the face crop's mean grey level (below 60 the
    kiosk asks for more light). ``max_yaw_degrees``: a near-frontal face. ``per_person``: learned
    templates kept per person (the oldest is replaced); 0 turns learning off.

    ``penalty``: camera-grade templates also bring camera-grade strangers closer, so a match through
    a learned template (or a mean that includes one) scores this much lower. The smallest 0.01 step
    that keeps at most 1 stranger in 1,000 accepted at 355 and at 1,341 people when each person's
    bursts are replayed in order as punches (``bench_accuracy --gallery-size N --learn-penalty X``:
    0.03 lets 2 of 1,040 through at 355 people; docs/recognition.md "Learned templates").
    """

    above_threshold: float = 0.05
    min_margin: float = 0.10
    min_brightness: float = 60.0
    max_yaw_degrees: float = 20.0
    per_person: int = 2
    penalty: float = 0.04


def worth_learning(face: FaceResult, threshold: float, config: LearningConfig) -> bool:
    """Whether this decision's fused probe may be kept as a learned template of its best person."""
    if config.per_person <= 0 or face.decision is not Decision.MATCH or face.embedding is None or not face.matches:
        return False
    best = face.matches[0].score
    runner_up = face.matches[1].score if len(face.matches) > 1 else -1.0
    return (face.liveness.checked and face.liveness.live and face.quality.ok
            and best >= threshold + config.above_threshold and best - runner_up >= config.min_margin
            and face.quality.brightness >= config.min_brightness
            and abs(face.quality.yaw_degrees) <= config.max_yaw_degrees)
