"""Enrolment batch checks: every image of one Enroll call must show the same person."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from edge_node.vision.pipeline import Enrollment
from edge_node.vision.types import QualityIssue


def vouch_for_crowded(items: Sequence[Enrollment], threshold: float) -> list[Enrollment]:
    """Accept an image refused only because other faces are in it when the batch vouches for its
    largest face: its cosine to the normalised mean of the batch's clear images (or, in a batch
    with none, of the other crowded images) is at least ``threshold``.

    Press photos often show other people; which face is meant is then settled by the other
    images of the same call. A crowded image alone (nothing to vouch for it) is accepted only when
    its largest face is the photo's subject at a glance: the one face on the photo's vertical
    centre line (``Measures.centred``), as in a press or ID photo cropped around its person.
    """
    crowded = [i for i, e in enumerate(items) if _crowded(e)]
    clear = [e.embedding for e in items if e.accepted and e.embedding is not None]
    verdicts = list(items)
    for i in crowded:
        witnesses = clear or [items[j].embedding for j in crowded if j != i]
        if witnesses and float(items[i].embedding @ _unit_mean(witnesses)) >= threshold:
            verdicts[i] = _accepted(items[i], "several faces in the image: the largest is enrolled, as the other "
                                              "images confirm it")
        elif not witnesses and items[i].centred:
            verdicts[i] = _accepted(items[i], "several faces in the image: the largest face, in the middle of the "
                                              "photo, is enrolled")
    return verdicts


def _accepted(item: Enrollment, reason: str) -> Enrollment:
    return replace(item, accepted=True, reason=reason, quality=replace(item.quality, issues=(), reason=""))


def _crowded(e: Enrollment) -> bool:
    return not e.accepted and e.embedding is not None and e.quality.issues == (QualityIssue.MULTIPLE_FACES,)


def _unit_mean(vectors: Sequence[np.ndarray]) -> np.ndarray:
    total = np.sum(vectors, axis=0)
    return total / max(float(np.linalg.norm(total)), 1e-12)


def odd_one_out(embeddings: Sequence[np.ndarray], threshold: float) -> tuple[int, float] | None:
    """The image least like the rest of the batch, when it falls below ``threshold``.

    Each normalised embedding is compared with the normalised mean of the *other* images
    (leave-one-out), so one stranger in a batch of three cannot drag the reference towards
    itself. Returns (index, cosine) of the worst image, or None when all agree (or < 2 images).
    """
    if len(embeddings) < 2:
        return None
    matrix = np.asarray(embeddings, dtype=np.float32)
    total = matrix.sum(axis=0)
    worst: tuple[int, float] | None = None
    for i, vec in enumerate(matrix):
        rest = total - vec
        norm = float(np.linalg.norm(rest))
        score = float(vec @ rest / norm) if norm > 0 else -1.0
        if worst is None or score < worst[1]:
            worst = (i, score)
    return worst if worst is not None and worst[1] < threshold else None
