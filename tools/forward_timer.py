"""Times every model forward of the process, for benchmarks.

A model forward is one :meth:`InferenceSession.run` of either runtime wrapper (ONNX Runtime's
``OrtSession`` or LiteRT's ``LiteRtSession``): feeds in, outputs out, as the pipeline's stages
call it. Everything else a frame costs (decode, canvas and crop preparation, output decoding,
alignment, quality, matching) is pipeline overhead. :class:`ForwardTimer` patches the two
classes' ``run`` while recording, so forwards are timed the same way inside the pipeline and
when a captured call is replayed alone (:meth:`ForwardTimer.isolated`).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np

from edge_node.vision.backend import LiteRtSession, OrtSession

_SESSION_CLASSES = (OrtSession, LiteRtSession)


@dataclass
class Forward:
    """One recorded ``run``: the session, a copy of its feeds and its duration."""

    session: object
    feeds: dict[str, np.ndarray]
    ms: float


class ForwardTimer:
    """Records the forwards run while :meth:`recording` is active."""

    def __init__(self) -> None:
        self.forwards: list[Forward] = []

    @contextmanager
    def recording(self, keep_feeds: bool = False) -> Iterator[ForwardTimer]:
        """Patch the session classes' ``run``; ``keep_feeds`` copies each call's feeds."""
        originals = {cls: cls.run for cls in _SESSION_CLASSES}

        def timed(original: Callable[..., list[np.ndarray]]) -> Callable[..., list[np.ndarray]]:
            def run(session: object, feeds: dict[str, np.ndarray]) -> list[np.ndarray]:
                start = time.perf_counter()
                out = original(session, feeds)
                ms = (time.perf_counter() - start) * 1000.0
                kept = {k: v.copy() for k, v in feeds.items()} if keep_feeds else {}
                self.forwards.append(Forward(session, kept, ms))
                return out

            return run

        for cls, original in originals.items():
            cls.run = timed(original)  # type: ignore[method-assign]
        try:
            yield self
        finally:
            for cls, original in originals.items():
                cls.run = original  # type: ignore[method-assign]

    def take_ms(self) -> float:
        """Sum of the recorded forwards' milliseconds; clears the record."""
        total = sum(f.ms for f in self.forwards)
        self.forwards.clear()
        return total

    def isolated(self, calls: list[Forward], repeat: int) -> list[tuple[float, float]]:
        """(p50, p95) ms of each captured call replayed alone ``repeat`` times after two warm-ups."""
        stats = []
        with self.recording():
            for call in calls:
                self.forwards.clear()
                for _ in range(repeat + 2):
                    call.session.run(call.feeds)  # type: ignore[attr-defined]
                p50, p95 = np.percentile([f.ms for f in self.forwards[2:]], [50, 95])
                stats.append((float(p50), float(p95)))
            self.forwards.clear()
        return stats
