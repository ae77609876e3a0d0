"""Whether new enrolment images show the person already enrolled."""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def strangers_to(enrolled: Sequence[np.ndarray], new: Sequence[tuple[int, np.ndarray]],
                 threshold: float) -> list[tuple[int, float]]:
    """(index, cosine) of each new embedding below ``threshold`` against the normalised mean of the
    person's enrolled ones (none without enrolled faces).

    The same statistic and threshold as the batch check (``vision.enrolment_checks.odd_one_out``: an image
    against the mean of the others), so a new photo must fit the faces already enrolled as well as
    an image of one call must fit the rest of its call.
    """
    if not enrolled:
        return []
    total = np.sum([np.asarray(v, dtype=np.float32).ravel() / max(float(np.linalg.norm(v)), 1e-12) for v in enrolled],
                   axis=0)
    mean = total / max(float(np.linalg.norm(total)), 1e-12)
    scores = [(index, float(np.asarray(e, dtype=np.float32).ravel() @ mean / max(float(np.linalg.norm(e)), 1e-12)))
              for index, e in new]
    return [(index, score) for index, score in scores if score < threshold]
