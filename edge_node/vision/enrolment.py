"""Enrolment batch checks: every image of one Enroll call must show the same person."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from edge_node.vision.pipeline import Enrollment
from edge_node.vision.types import QualityIssue


def vouch_for_crowded(items: Sequence[Enrollment], threshold: float) -> list[Enrollment]:
    """Accept an image refused only because other faces are in it when the batch's clear images
    vouch for its largest face (cosine to their normalised mean at least ``threshold``).

    Press photos often show other people; which face is meant is then settled by the images that
    show one face. Without a clear image in the batch a crowded image stays refused.
    """
    clear = [e.embedding for e in items if e.accepted and e.embedding is not None]
    if not clear:
        return list(items)
    mean = np.sum(clear, axis=0)
    mean = mean / max(float(np.linalg.norm(mean)), 1e-12)
    verdicts = []
    for e in items:
        crowded = not e.accepted and e.embedding is not None and e.quality.issues == (QualityIssue.MULTIPLE_FACES,)
        if crowded and float(e.embedding @ mean) >= threshold:
            e = replace(e, accepted=True, reason="several faces in the image: the largest is enrolled, as the "
                        "other images confirm it", quality=replace(e.quality, issues=(), reason=""))
        verdicts.append(e)
    return verdicts


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
