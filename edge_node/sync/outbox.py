"""The event outbox: the node's event log read in sequence order (event id = outbox sequence number)."""
from __future__ import annotations

import json

from edge_node.attendance.writer import CHAIN_ANCHOR_KEY
from edge_node.storage.schema import Tables

_COLUMNS = ("id, person_id, person_name, event_type, occurred_us, local_date, confidence, camera_id, anomalies, reason,"
            " liveness, ref_seq, actor, prev_hash, hash")
EventTuple = tuple[int, str, str, str, int, str, float, str, str, str, float, "int | None", str, str, str]


class Outbox:
    """Batches of events after a sequence number, the queue behind a cursor, and pruning of synced events."""

    def __init__(self, tables: Tables) -> None:
        self._db = tables.db

    def batch(self, after_seq: int, limit: int) -> list[EventTuple]:
        """Up to `limit` events with seq > after_seq, in seq order."""
        return list(self._db.execute_sql(f"SELECT {_COLUMNS} FROM event WHERE id > ? ORDER BY id LIMIT ?",
                                         (after_seq, limit)))

    def depth(self, after_seq: int) -> int:
        return self._db.execute_sql("SELECT count(*) FROM event WHERE id > ?", (after_seq,)).fetchone()[0]

    def oldest_pending_us(self, after_seq: int) -> int | None:
        """occurred time of the first event not yet acknowledged, or None when the queue is empty."""
        row = self._db.execute_sql("SELECT occurred_us FROM event WHERE id > ? ORDER BY id LIMIT 1",
                                   (after_seq,)).fetchone()
        return row[0] if row else None

    def last_seq(self) -> int:
        return self._db.execute_sql("SELECT coalesce(max(id), 0) FROM event").fetchone()[0]

    def prune(self, acked_seq: int, older_than_us: int) -> int:
        """Delete the oldest events the hub has acknowledged that occurred before `older_than_us`; never unsynced
        ones. Only a prefix of the log goes, and the hash of its last event is kept as the chain's anchor, so
        `log verify` still checks what remains from there; the anchor also keeps the latest time pruned, before
        which this box refuses to report."""
        with self._db.atomic():
            keep = self._db.execute_sql("SELECT min(id) FROM event WHERE id > ? OR occurred_us >= ?",
                                        (acked_seq, older_than_us)).fetchone()[0]
            bound = keep if keep is not None else acked_seq + 1
            last = self._db.execute_sql("SELECT id, hash FROM event WHERE id < ? ORDER BY id DESC LIMIT 1",
                                        (bound,)).fetchone()
            if last is None:
                return 0
            until = self._db.execute_sql("SELECT max(occurred_us) FROM event WHERE id < ?", (bound,)).fetchone()[0]
            before = self._db.execute_sql("SELECT value FROM setting WHERE key = ?", (CHAIN_ANCHOR_KEY,)).fetchone()
            until = max(until, json.loads(before[0]).get("until_us", until)) if before else until
            self._db.execute_sql("INSERT OR REPLACE INTO setting (key, value) VALUES (?, ?)",
                                 (CHAIN_ANCHOR_KEY, json.dumps({"seq": last[0], "hash": last[1], "until_us": until})))
            return self._db.execute_sql("DELETE FROM event WHERE id < ?", (bound,)).rowcount
