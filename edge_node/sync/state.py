"""The sync cursors a node keeps in its own database (setting table), so restarts resume where they were."""
from __future__ import annotations

import uuid

from edge_node.attendance.store import AttendanceStore

EVENTS_ACKED = "sync.events_acked_seq"
ROSTER_PUSHED = "sync.roster_pushed_seq"
ROSTER_VERSION = "sync.roster_version"
SCHEDULES_PUSHED = "sync.schedules_pushed_version"
INSTALLATION_ID = "sync.installation_id"
SITE_PUNCH_CURSOR = "sync.site_punch_cursor"


class SyncState:
    """Reads and writes one integer cursor per key; writes join the caller's transaction, if any."""

    def __init__(self, store: AttendanceStore) -> None:
        self._store = store

    def get(self, key: str) -> int:
        value = self._store.load_setting(key)
        return int(value) if value is not None else 0

    def set(self, key: str, value: int) -> None:
        self._store.save_setting(key, int(value))

    def installation_id(self) -> str:
        """This database's installation id, drawn at random on first use; the hub binds the node id to it."""
        with self._store.tables.db.atomic():
            value = self._store.load_setting(INSTALLATION_ID)
            if not isinstance(value, str):
                value = uuid.uuid4().hex
                self._store.save_setting(INSTALLATION_ID, value)
        return value
