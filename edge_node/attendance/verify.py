"""Verifying the node's log: `edge-node log verify` recomputes the hash chain and names the first broken record;
`LogIntegrity` keeps the verified head so reports know the log's state without hashing it all again."""
from __future__ import annotations

import json
import logging
import threading
from dataclasses import dataclass

from edge_node.attendance.schedule_history import stored_schedule_digest
from edge_node.storage.chain import GENESIS, HASHED_COLUMNS, Break, first_break, iter_chain_rows
from edge_node.attendance.writer import CHAIN_ANCHOR_KEY
from edge_node.storage.schema import Tables

log = logging.getLogger(__name__)
_HEAD_HASH = "SELECT hash FROM event WHERE id = ?"
_PERIOD_IDS = "SELECT min(id), max(id) FROM event WHERE occurred_us >= ? AND occurred_us < ?"
_ID_RANGE = f"SELECT {HASHED_COLUMNS}, prev_hash, hash FROM event WHERE id >= ? AND id <= ? ORDER BY id"


@dataclass(frozen=True)
class VerifyResult:
    checked: int
    head: str
    broken: Break | None
    head_seq: int = 0  # the last good record (0 before any)

    @property
    def ok(self) -> bool:
        return self.broken is None


def _anchor(tables: Tables) -> dict | None:
    """What pruning kept of the events it removed: the last one's seq and hash, and the latest time pruned."""
    row = tables.db.execute_sql("SELECT value FROM setting WHERE key = ?", (CHAIN_ANCHOR_KEY,)).fetchone()
    return json.loads(row[0]) if row else None


def chain_anchor(tables: Tables) -> tuple[int, str]:
    """The last pruned event (seq, hash) the remaining log links to; (0, '') if nothing was pruned."""
    anchor = _anchor(tables)
    return (int(anchor["seq"]), str(anchor["hash"])) if anchor else (0, GENESIS)


def pruned_until_us(tables: Tables) -> int | None:
    """The latest time of an event pruned from this box after it reached the hub (None: nothing was pruned).
    An anchor kept before this time was recorded counts everything before the oldest event still here."""
    anchor = _anchor(tables)
    if anchor is None:
        return None
    if "until_us" in anchor:
        return int(anchor["until_us"])
    oldest = tables.db.execute_sql("SELECT min(occurred_us) FROM event").fetchone()[0]
    return None if oldest is None else oldest - 1


def verify_log(tables: Tables) -> VerifyResult:
    """The chain, then every schedule version against what its chained admin event recorded."""
    seq, anchor_hash = chain_anchor(tables)
    broken, checked, head_seq, head = first_break(seq, anchor_hash, iter_chain_rows(tables.db, seq))
    return VerifyResult(checked, head, broken or first_changed_version(tables), head_seq)


def first_changed_version(tables: Tables) -> Break | None:
    """The first schedule version whose stored date or content differs from what its admin event on the
    chain recorded (its sha256). Versions from the schema upgrade have no event and are not checked;
    neither are those whose event was pruned."""
    rows = tables.db.execute_sql(
        "SELECT v.id, v.effective_from, v.schedule, v.event_id, e.reason FROM schedule_version v "
        "LEFT JOIN event e ON e.id = v.event_id WHERE v.event_id IS NOT NULL ORDER BY v.id").fetchall()
    for version, effective_from, schedule, event_id, reason in rows:
        if reason is None:
            continue
        digest = stored_schedule_digest(json.loads(schedule))
        if f"schedule version {version} in force from {effective_from}" not in reason or f"sha256 {digest}" not in reason:
            return Break(event_id, f"schedule version {version} differs from what this admin event recorded "
                                   "(its date or content was changed after it was logged)")
    return None


class LogIntegrity:
    """The log's verification state, kept between reports (thread-safe).

    The whole chain is verified once (`check`, at start); later calls verify only the events added since,
    after making sure the verified head still has the hash it had (a log rewritten and re-hashed while the
    node runs is caught there). `period` also re-hashes the records of a report's period, so an event edited
    in the file after the start is still caught for the periods it belongs to. A break, once found, stays.
    """

    def __init__(self, tables: Tables) -> None:
        self._t = tables
        self._lock = threading.Lock()
        self._head: tuple[int, str] | None = None  # (seq, hash) of the last verified record
        self._checked = 0
        self._broken: Break | None = None

    def check(self) -> VerifyResult:
        """Verify the whole log now; a warning names the first broken record."""
        result = verify_log(self._t)
        with self._lock:
            self._broken = result.broken
            self._checked = result.checked
            self._head = (result.head_seq, result.head)
        if result.broken is not None:
            log.warning("the attendance log is BROKEN at event %d: %s; timecards of the periods it touches are "
                        "marked BROKEN_LOG (run `edge-node log verify`)", result.broken.seq, result.broken.problem)
        return result

    def current(self) -> VerifyResult:
        """The state of the whole log: the verified head extended over the events added since."""
        if self._head is None:
            return self.check()
        with self._lock:
            if self._broken is None:
                self._extend()
            seq, head = self._head
            return VerifyResult(self._checked, head, self._broken, seq)

    def period(self, start_us: int, end_us: int) -> VerifyResult:
        """The state of the log for a report over events that occurred in [start_us, end_us): the whole log's
        state, or the first record of the period whose content or link no longer checks out."""
        state = self.current()
        if not state.ok:
            return state
        first, last = self._t.db.execute_sql(_PERIOD_IDS, (start_us, end_us)).fetchone()
        if first is None:
            return state
        rows = self._t.db.execute_sql(_ID_RANGE, (first, last)).fetchall()
        broken, _, _, _ = first_break(first - 1, rows[0][-2], rows)  # from the first record's own link
        if broken is not None:
            with self._lock:
                self._broken = self._broken or broken
            log.warning("the attendance log is BROKEN at event %d: %s", broken.seq, broken.problem)
        return VerifyResult(state.checked, state.head, broken, state.head_seq)

    def _extend(self) -> None:
        seq, digest = self._head
        anchor_seq, anchor_hash = chain_anchor(self._t)
        if seq <= anchor_seq:  # the verified head was pruned after sync: the chain goes on from the kept anchor
            seq, digest = anchor_seq, anchor_hash
        else:
            stored = self._t.db.execute_sql(_HEAD_HASH, (seq,)).fetchone()
            if stored is None or stored[0] != digest:
                self._broken = Break(seq, f"event {seq} was deleted or rewritten after the log was verified")
                return
        broken, checked, head_seq, head = first_break(seq, digest, iter_chain_rows(self._t.db, seq))
        self._broken = broken or first_changed_version(self._t)
        self._checked += checked
        self._head = (head_seq, head)
