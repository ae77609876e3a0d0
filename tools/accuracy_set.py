"""The people, enrolment and decision tally the accuracy benchmarks share.

Enrolment takes the first ``N_ENROL`` press photos of each person through the service's own
``FacePipeline.enrollment_from`` and batch checks (crowded photos vouched for, same person); probes
are decided by ``vision.decision.decide``. ``observe(path, condition)`` gives the primary face's
observations of one image under a condition ("clean": the photo itself; ``ENROL``: the photo as
``Enroll`` sees it, ``FacePipeline.observe_enrolment``).
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from edge_node.vision import FacePipeline, VisionConfig
from edge_node.vision.decision import Observation, decide
from edge_node.vision.enrolment_checks import odd_one_out, vouch_for_crowded
from edge_node.vision.gallery import Gallery
from edge_node.vision.types import Decision

N_ENROL = 3
# An enrolment photo as Enroll sees it: the largest face, measured against the others ("2": with
# ``Measures.centred``, a cache key of its own).
ENROL = "enrol2"

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
    """Enrol the first N_ENROL press photos of each person as the service's Enroll would: a batch
    with an image already matching another enrolled person is refused as a duplicate."""
    gallery = new_gallery(pipe)
    enrol_pipe = FacePipeline(pipe.detector, pipe.liveness, pipe.recognisers, gallery, config)
    stats: Counter = Counter()
    for person, paths in people.items():
        verdicts = []
        for p in paths[:N_ENROL]:
            obs = observe(p, ENROL)
            verdicts.append(enrol_pipe.enrollment_from(obs[0]) if obs else None)
        stats["images"] += len(verdicts)
        verdicts = vouch_for_crowded([v for v in verdicts if v is not None], config.match.same_person_threshold)
        accepted = [v.embedding for v in verdicts if v.accepted]
        stats["refused_images"] += len(paths[:N_ENROL]) - len(accepted)
        if accepted and odd_one_out(accepted, config.match.same_person_threshold) is not None:
            stats["refused_batches"] += 1
            continue
        if any(v.accepted and v.duplicate_of is not None and v.duplicate_of.person_id != person for v in verdicts):
            stats["refused_duplicates"] += 1
            continue
        for i, emb in enumerate(accepted):
            gallery.add(f"{person}#{i}", person, emb)
        stats["people"] += bool(accepted)
    assert len(gallery), "nobody could be enrolled"
    return gallery, stats


def new_gallery(pipe: FacePipeline) -> Gallery:
    """An empty gallery in the layout the pipeline matches in."""
    return Gallery(pipe.recognisers.matching, known_dims=pipe.recognisers.known_dims)


def tally(probes: list[tuple[str | None, list[Observation] | None]], gallery: Gallery, config: VisionConfig,
          frames: int) -> Tally:
    """Decide each probe from its first ``frames`` observations; person None = stranger, observations
    None = a probe of a person whose enrolment was refused."""
    counts: Counter = Counter()
    for person, obs in probes:
        if obs is None:
            counts["NOT_ENROLLED"] += 1
            continue
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
