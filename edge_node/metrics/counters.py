"""Counts of the events a node records, by kind, since the process started (Prometheus counters)."""
from __future__ import annotations

import threading
from collections import Counter

from edge_node.common.bus import Broadcaster
from edge_node.attendance.model import Event, EventType


class EventCounter:
    """Subscribed to the store's event broadcaster; every kind is present from the start (at 0)."""

    def __init__(self, events: Broadcaster[Event]) -> None:
        self._counts: Counter[str] = Counter({kind.value: 0 for kind in EventType})
        self._lock = threading.Lock()
        events.subscribe(self._count)

    def _count(self, event: Event) -> None:
        with self._lock:
            self._counts[event.event_type.value] += 1

    def snapshot(self) -> dict[str, int]:
        with self._lock:
            return dict(self._counts)
