"""Enrolment batch check: every image of one Enroll call must show the same person."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


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
