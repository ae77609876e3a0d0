"""The burst: the last few stream frames in which a well-placed face was seen, decided on together
with the HQ frame they led to, so one decision rests on several frames of the same face."""
from __future__ import annotations

import collections


class BurstBuffer:
    """Not thread-safe (one per camera session). Keeps at most `size` JPEGs no older than `max_age_s`."""

    def __init__(self, size: int, max_age_s: float) -> None:
        self._frames: collections.deque[tuple[float, bytes]] = collections.deque(maxlen=max(size, 1))
        self._size = size
        self._max_age_s = max_age_s

    def add(self, jpeg: bytes, at: float) -> None:
        if self._size > 0:
            self._frames.append((at, jpeg))

    def clear(self) -> None:
        self._frames.clear()

    def take(self, now: float) -> list[bytes]:
        """The frames still fresh at `now` (monotonic seconds), oldest first; the buffer is emptied."""
        fresh = [jpeg for at, jpeg in self._frames if now - at <= self._max_age_s]
        self._frames.clear()
        return fresh
