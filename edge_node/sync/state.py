"""The sync cursors a node keeps in its own database (setting table), so restarts resume where they were."""
from __future__ import annotations

from edge_node.attendance.store import AttendanceStore

EVENTS_ACKED = "sync.events_acked_seq"
ROSTER_PUSHED = "sync.roster_pushed_seq"
ROSTER_VERSION = "sync.roster_version"


class SyncState:
    """Reads and writes one integer cursor per key; writes join the caller's transaction, if any."""

    def __init__(self, store: AttendanceStore) -> None:
        self._store = store

    def get(self, key: str) -> int:
        value = self._store.load_setting(key)
        return int(value) if value is not None else 0

    def set(self, key: str, value: int) -> None:
        self._store.save_setting(key, int(value))
