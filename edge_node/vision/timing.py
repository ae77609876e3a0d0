"""Per-stage timing hooks and a small latency recorder (p50/p95)."""

from __future__ import annotations

import time
from collections import defaultdict, deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import numpy as np

StageObserver = Callable[[str, float], None]
"""Called with (stage name, milliseconds) after every pipeline stage."""


class StageClock:
    """Times named stages of one request, summing repeats, and forwards them to an observer."""

    def __init__(self, observer: StageObserver | None = None) -> None:
        self.timings_ms: dict[str, float] = {}
        self._observer = observer

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.record(name, (time.perf_counter() - start) * 1000.0)

    def record(self, name: str, ms: float) -> None:
        """Add a stage timed elsewhere (e.g. on another thread)."""
        self.timings_ms[name] = self.timings_ms.get(name, 0.0) + ms
        if self._observer is not None:
            self._observer(name, ms)


class LatencyRecorder:
    """A :data:`StageObserver` keeping the last ``window`` samples per stage."""

    def __init__(self, window: int = 1000) -> None:
        self._samples: dict[str, deque[float]] = defaultdict(lambda: deque(maxlen=window))

    def __call__(self, stage: str, ms: float) -> None:
        self._samples[stage].append(ms)

    def percentiles(self, *qs: float) -> dict[str, tuple[float, ...]]:
        """Per stage, the requested percentiles (e.g. 50, 95) in milliseconds."""
        return {
            stage: tuple(float(v) for v in np.percentile(np.asarray(s), qs))
            for stage, s in self._samples.items()
            if s
        }
