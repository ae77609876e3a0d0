"""The burst: the last few stream frames in which a well-placed face was seen, decided on together
with the HQ frame they led to, so one decision rests on several frames of the same face. While the
camera switches to the HQ frame size, the frames already in hand are observed, so the decision that
follows only has the HQ frame left to look at."""
from __future__ import annotations

import collections
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from edge_node.vision.pipeline import FrameView


@dataclass(frozen=True)
class Burst:
    """Fresh burst frames: those still to be observed, and those observed ahead."""

    frames: list[bytes]
    ahead: list[FrameView]


@dataclass
class _Entry:
    at: float
    jpeg: bytes
    view: FrameView | None = None


class BurstBuffer:
    """Not thread-safe (one per camera session). Keeps at most `size` frames no older than `max_age_s`."""

    def __init__(self, size: int, max_age_s: float) -> None:
        self._entries: collections.deque[_Entry] = collections.deque(maxlen=max(size, 1))
        self._size = size
        self._max_age_s = max_age_s

    def add(self, jpeg: bytes, at: float) -> None:
        if self._size > 0:
            self._entries.append(_Entry(at, jpeg))

    def clear(self) -> None:
        self._entries.clear()

    def observe_ahead(self, observe: Callable[[Sequence[bytes]], Sequence[FrameView | None]]) -> None:
        """Observe the frames not observed yet (``observe`` gives one view, or None, per frame);
        a frame without a face is dropped."""
        pending = [e for e in self._entries if e.view is None]
        if not pending:
            return
        for entry, view in zip(pending, observe([e.jpeg for e in pending]), strict=True):
            if view is None:
                self._entries.remove(entry)
            else:
                entry.view = view

    def take(self, now: float) -> Burst:
        """The frames still fresh at `now` (monotonic seconds), oldest first; the buffer is emptied."""
        fresh = [e for e in self._entries if now - e.at <= self._max_age_s]
        self._entries.clear()
        return Burst([e.jpeg for e in fresh if e.view is None], [e.view for e in fresh if e.view is not None])
