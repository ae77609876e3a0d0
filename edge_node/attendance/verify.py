"""`edge-node log verify`: recompute the hash chain of the node's log and name the first broken record."""
from __future__ import annotations

import json
from dataclasses import dataclass

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
    seq, anchor_hash = chain_anchor(tables)
    broken, checked, head = first_break(anchor_hash, iter_chain_rows(tables.db, seq))
    return VerifyResult(checked, head, broken)
