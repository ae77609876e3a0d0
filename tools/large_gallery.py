"""A large site from one photo each: the gallery, probes and strangers of ``bench_accuracy --gallery-size``.

Enrolment takes each person's first photo alone through the service's own checks
(``FacePipeline.enrollment_from``: quality gates, the duplicate check against the people enrolled
before; ``vouch_for_crowded``: a crowded photo's centred subject), as ``Enroll`` does for one ID photo. The gallery is ``lfw_dev``'s and ``faces``'s people,
filled up to the requested size with ``lfw_distractors`` (one-photo people, never probes),
interleaved by name so that the duplicate check meets them in no particular order. Probes are the
enrolled people's other photos; strangers are the singletons of both sets.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from edge_node.vision import FacePipeline, VisionConfig
from edge_node.vision.decision import Observation, decide, gallery_threshold
from edge_node.vision.enrolment_checks import vouch_for_crowded
from edge_node.vision.gallery import Gallery
from edge_node.vision.learning import worth_learning
from tools.accuracy_set import ENROL, Observe, Tally, identities, new_gallery, outcome


@dataclass
class Refusal:
    """One enrolment photo ``Enroll`` refused, and why."""

    person: str
    path: Path
    reason: str


@dataclass
class OnePhotoGallery:
    """The enrolled gallery, who is in it, and the refused photos with their reasons."""

    gallery: Gallery
    enrolled: set[str] = field(default_factory=set)
    distractors: int = 0
    refusals: list[Refusal] = field(default_factory=list)
    templates: list[np.ndarray] = field(default_factory=list)  # the gallery's rows, for pair scores


def people_of(data: Path) -> dict[str, list[Path]]:
    """The people with several photos (probes after the first): ``lfw_dev`` and ``faces``."""
    return {**identities(data / "lfw_dev" / "faces"), **identities(data / "faces")}


def strangers_of(data: Path) -> list[Path]:
    """People never enrolled: the singletons of ``lfw_dev`` and ``faces``."""
    return sorted((data / "lfw_dev" / "faces_singletons").glob("*/*.jpg")) + sorted(
        (data / "faces_singletons").glob("*/*.jpg"))


def distractors_of(data: Path, n: int) -> dict[str, list[Path]]:
    """The first ``n`` one-photo people of ``lfw_distractors`` (by name)."""
    return dict(list(identities(data / "lfw_distractors").items())[:n])


def enrol_one_photo(pipe: FacePipeline, config: VisionConfig, people: dict[str, list[Path]],
                    fill: dict[str, list[Path]], observe: Observe) -> OnePhotoGallery:
    """Enrol each person's first photo alone, as ``Enroll`` would (a photo already matching another
    enrolled person is refused as a duplicate)."""
    result = OnePhotoGallery(new_gallery(pipe), distractors=len(fill))
    enrol_pipe = FacePipeline(pipe.detector, pipe.liveness, pipe.recognisers, result.gallery, config)
    for person, paths in sorted({**people, **fill}.items()):
        path = paths[0]
        obs = observe(path, ENROL)
        if not obs:
            result.refusals.append(Refusal(person, path, "no face found"))
            continue
        verdict = vouch_for_crowded([enrol_pipe.enrollment_from(obs[0])], config.match.same_person_threshold)[0]
        if not verdict.accepted or verdict.embedding is None:
            result.refusals.append(Refusal(person, path, verdict.reason))
            continue
        if verdict.duplicate_of is not None and verdict.duplicate_of.person_id != person:
            result.refusals.append(Refusal(person, path, f"looks like {verdict.duplicate_of.person_id} "
                                                         f"(cosine {verdict.duplicate_of.score:.2f})"))
            continue
        result.gallery.add(f"{person}#0", person, verdict.embedding)
        result.templates.append(verdict.embedding)
        if person in people:
            result.enrolled.add(person)
    return result


def tail_fit(pair_scores: np.ndarray, above: float = 0.9999) -> tuple[float, float, float]:
    """An exponential fit of the strangers' per-person score tail: (start t0, scale b, fraction p0
    of pairs above t0), so that P(score >= t) = p0 * exp(-(t - t0) / b) for t >= t0."""
    t0 = float(np.quantile(pair_scores, above))
    over = pair_scores[pair_scores > t0]
    return t0, float((over - t0).mean()), float(over.size / pair_scores.size)


def punches_with_learning(probes: list[tuple[str, list[Observation] | None]], gallery: Gallery,
                          config: VisionConfig, frames: int) -> tuple[Tally, int]:
    """Each person's probes decided in order as kiosk punches, a punch worth learning
    (``vision.learning``) adding its probe to the gallery as that person's learned template (the
    oldest replaced beyond the cap), as ``RecognitionEngine.learn`` does; the gallery keeps them.
    Returns the tally and how many templates were learned."""
    counts: Counter = Counter()
    kept: dict[str, list[str]] = {}
    learned = 0
    for person, obs in probes:
        if obs is None or not obs:
            counts["NOT_ENROLLED" if obs is None else "NO_FACE"] += 1
            continue
        face = decide(obs[:frames], gallery, config, 3)
        counts[outcome(face.decision.value, face.matches[0].person_id if face.matches else "", person)] += 1
        if worth_learning(face, gallery_threshold(config.match, gallery.persons()), config.learning):
            best = face.matches[0].person_id
            ids = kept.setdefault(best, [])
            while len(ids) >= config.learning.per_person:
                gallery.remove(ids.pop(0))
            ids.append(f"{best}#learned{learned}")
            gallery.add(ids[-1], best, face.embedding, config.learning.penalty)
            learned += 1
    return Tally(counts, len(probes)), learned
