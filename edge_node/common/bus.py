"""In-process fan-out of newly logged events to live watchers (WatchEvents, the kiosk, the monitor)."""
from __future__ import annotations

import asyncio
import threading
from typing import Callable, Generic, TypeVar

T = TypeVar("T")
Sink = Callable[[T], None]


class Broadcaster(Generic[T]):
    """Calls every subscribed sink with each published item; publishers never block on watchers."""

    def __init__(self) -> None:
        self._sinks: set[Sink] = set()
        self._lock = threading.Lock()

    def subscribe(self, sink: Sink) -> Sink:
        with self._lock:
            self._sinks.add(sink)
        return sink

    def unsubscribe(self, sink: Sink) -> None:
        with self._lock:
            self._sinks.discard(sink)

    def publish(self, item: T) -> None:
        with self._lock:
            sinks = list(self._sinks)
        for sink in sinks:
            sink(item)

    @property
    def subscriber_count(self) -> int:
        with self._lock:
            return len(self._sinks)


class AsyncFeed(Generic[T]):
    """A bounded asyncio queue fed from any thread; `overflowed` is set if the reader fell behind."""

    def __init__(self, loop: asyncio.AbstractEventLoop, capacity: int = 1000) -> None:
        self._loop = loop
        self._queue: asyncio.Queue[T] = asyncio.Queue(capacity)
        self.overflowed = False

    def __call__(self, item: T) -> None:
        self._loop.call_soon_threadsafe(self._put, item)

    def _put(self, item: T) -> None:
        try:
            self._queue.put_nowait(item)
        except asyncio.QueueFull:
            self.overflowed = True

    async def get(self, timeout: float) -> T | None:
        """The next item, or None after `timeout` seconds."""
        try:
            return await asyncio.wait_for(self._queue.get(), timeout)
        except asyncio.TimeoutError:
            return None
