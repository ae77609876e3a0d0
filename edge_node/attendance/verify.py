"""`edge-node log verify`: recompute the hash chain of the node's log and name the first broken record."""
from __future__ import annotations

import json
from dataclasses import dataclass

from edge_node.attendance.schedule_history import stored_schedule_digest
from edge_node.storage.chain import GENESIS, Break, first_break, iter_chain_rows
from edge_node.attendance.writer import CHAIN_ANCHOR_KEY
from edge_node.storage.schema import Tables


@dataclass(frozen=True)
class VerifyResult:
    checked: int
    head: str
    broken: Break | None

    @property
    def ok(self) -> bool:
        return self.broken is None


def chain_anchor(tables: Tables) -> tuple[int, str]:
    """The last pruned event (seq, hash) the remaining log links to; (0, '') if nothing was pruned."""
    row = tables.db.execute_sql("SELECT value FROM setting WHERE key = ?", (CHAIN_ANCHOR_KEY,)).fetchone()
    if row is None:
        return 0, GENESIS
    anchor = json.loads(row[0])
    return int(anchor["seq"]), str(anchor["hash"])


def verify_log(tables: Tables) -> VerifyResult:
    """The chain, then every schedule version against what its chained admin event recorded."""
    seq, anchor_hash = chain_anchor(tables)
    broken, checked, head = first_break(anchor_hash, iter_chain_rows(tables.db, seq))
    return VerifyResult(checked, head, broken or first_changed_version(tables))


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
