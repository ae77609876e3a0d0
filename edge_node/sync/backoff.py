"""Exponential backoff with jitter for retrying the hub."""
from __future__ import annotations

import random


class Backoff:
    """Delay n is uniform in [d/2, d] with d = min(maximum, initial * 2^n): spread out, never zero."""

    def __init__(self, initial: float, maximum: float, rng: random.Random | None = None) -> None:
        self._initial = initial
        self._maximum = maximum
        self._rng = rng or random.Random()
        self.failures = 0

    def next_delay(self) -> float:
        ceiling = min(self._maximum, self._initial * 2 ** min(self.failures, 32))
        self.failures += 1
        return ceiling / 2 + self._rng.uniform(0, ceiling / 2)

    def reset(self) -> None:
        self.failures = 0
