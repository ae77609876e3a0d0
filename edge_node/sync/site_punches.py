"""The punches of the site's other boxes, pulled from the hub after a cursor and kept in `site_punch`.

They decide IN/OUT at this box's kiosk and enter its timecards and who-is-in (`attendance/punch_rows.py`
reads them beside the box's own events), but they are not this box's events: they never enter its
outbox or its hash chain, and each box's own log stays the record of what happened at it.
"""
from __future__ import annotations

from typing import Sequence

from edge_node.attendance.store import AttendanceStore
from edge_node.gen.edge.sync.v1 import sync_pb2 as pb
from edge_node.sync.change_messages import EVENT_TYPE_NAME, anomalies_text
from edge_node.sync.state import SITE_PUNCH_CURSOR, SyncState

_INSERT = ("INSERT OR IGNORE INTO site_punch (node_id, seq, person_id, event_type, occurred_us, ref_seq, anomalies)"
           " VALUES (?, ?, ?, ?, ?, ?, ?)")


class SitePunches:
    """Stores pulled pages (a page and the new cursor commit together) and prunes old ones."""

    def __init__(self, store: AttendanceStore, state: SyncState) -> None:
        self._store = store
        self._state = state

    @property
    def cursor(self) -> int:
        return self._state.get(SITE_PUNCH_CURSOR)

    def apply(self, punches: Sequence[pb.SitePunch]) -> int:
        """Store a page (oldest cursor first) and move the cursor to its last punch; the number stored.
        A punch already held (a page pulled again after a crash) is kept as it was."""
        if not punches:
            return 0
        rows = [(p.node_id, p.seq, p.person_id, EVENT_TYPE_NAME[p.event_type],
                 p.occurred_at.seconds * 1_000_000 + p.occurred_at.nanos // 1000, p.ref_seq or None,
                 anomalies_text(p.anomalies))
                for p in punches if p.event_type in EVENT_TYPE_NAME]
        db = self._store.tables.db
        with db.atomic():
            stored = sum(db.execute_sql(_INSERT, row).rowcount for row in rows)
            self._state.set(SITE_PUNCH_CURSOR, punches[-1].cursor)
        return stored

    def restart(self) -> None:
        """Pull from the first cursor again (the hub lost what this box had pulled); held punches stay."""
        self._state.set(SITE_PUNCH_CURSOR, 0)

    def prune(self, older_than_us: int) -> int:
        """Forget other boxes' punches that occurred before `older_than_us` (the hub keeps them)."""
        return self._store.tables.db.execute_sql("DELETE FROM site_punch WHERE occurred_us < ?",
                                                 (older_than_us,)).rowcount
