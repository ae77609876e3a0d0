"""The people, enrolment and decision tally the accuracy benchmarks share.

Enrolment takes the first ``N_ENROL`` press photos of each person through the service's own
``FacePipeline.enrollment_from`` and same-person batch check; probes are decided by
``vision.decision.decide``. ``observe(path, condition)`` gives the primary face's observations of
one image under a condition ("clean": the photo itself).
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from edge_node.vision import FacePipeline, VisionConfig
from edge_node.vision.decision import Observation, decide
from edge_node.vision.enrolment import odd_one_out
from edge_node.vision.gallery import Gallery
from edge_node.vision.types import Decision

N_ENROL = 3

Observe = Callable[[Path, str], list[Observation]]


def identities(root: Path) -> dict[str, list[Path]]:
    return {d.name: sorted(d.glob("*.jpg")) for d in sorted(root.iterdir()) if d.is_dir()}


def seed_of(path: Path) -> int:
    return int(hashlib.sha256(f"{path.parent.name}/{path.name}".encode()).hexdigest()[:8], 16)


@dataclass
class Tally:
    """Decisions of genuine probes (or strangers) under one configuration."""

    counts: Counter
    n: int

    def rate(self, *keys: str) -> float:
        return sum(self.counts[k] for k in keys) / self.n if self.n else 0.0


def build_gallery(pipe: FacePipeline, config: VisionConfig, people: dict[str, list[Path]],
                  observe: Observe) -> tuple[Gallery, Counter]:
    """Enrol the first N_ENROL press photos of each person as the service's Enroll would."""
    enrol_pipe = replace_config(pipe, config)
    gallery: Gallery | None = None
    stats: Counter = Counter()
    for person, paths in people.items():
        accepted = []
        for p in paths[:N_ENROL]:
            obs = observe(p, "clean")
            outcome = enrol_pipe.enrollment_from(obs[0]) if obs else None
            stats["images"] += 1
            if outcome is None or not outcome.accepted:
                stats["refused_images"] += 1
            else:
                accepted.append(outcome.embedding)
        if accepted and odd_one_out(accepted, config.match.same_person_threshold) is not None:
            stats["refused_batches"] += 1
            continue
        for i, emb in enumerate(accepted):
            gallery = gallery or Gallery(pipe.model_id, dim=emb.shape[0])
            gallery.add(f"{person}#{i}", person, emb)
        stats["people"] += bool(accepted)
    assert gallery is not None, "nobody could be enrolled"
    return gallery, stats


def replace_config(pipe: FacePipeline, config: VisionConfig) -> FacePipeline:
    return FacePipeline(pipe.detector, pipe.liveness, pipe.embedder, Gallery(pipe.model_id), config)


def tally(probes: list[tuple[str | None, list[Observation]]], gallery: Gallery, config: VisionConfig,
          frames: int) -> Tally:
    """Decide each probe from its first ``frames`` observations; person None = stranger."""
    counts: Counter = Counter()
    for person, obs in probes:
        if not obs:
            counts["NO_FACE"] += 1
            continue
        face = decide(obs[:frames], gallery, config, 3)
        counts[outcome(face.decision.value, face.matches[0].person_id if face.matches else "", person)] += 1
    return Tally(counts, len(probes))


def outcome(decision: str, best: str, person: str | None) -> str:
    """A decision as counted: a MATCH is "correct" or "wrong"; anything else keeps its name."""
    if decision == Decision.MATCH.value:
        return "correct" if best == person else "wrong"
    return decision
