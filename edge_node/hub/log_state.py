"""The verification state of the boxes' logs as the hub holds them, for a report's period.

The hub checks each batch's chain when it arrives, but its copy lives on in PostgreSQL where it could be
edited later. Before site timecards are paid from it, the events of the period are hashed again per box:
each event must still match its hash and link to the one before it (a box restored from a backup opens a
new epoch of sequence numbers, which starts from its own link).
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from itertools import groupby
from typing import Sequence

import peewee as pw

from edge_node.attendance.verify import VerifyResult
from edge_node.storage.backup import EPOCH
from edge_node.storage.chain import Break, first_break
from edge_node.storage.timestamps import to_us

# A shift day's punches lie within a day of it, in any time zone (UTC-12..+14): read this much around a period.
MARGIN = timedelta(days=3)
_RANGES = ("SELECT node_id, min(seq), max(seq) FROM hub_event WHERE occurred_us >= %s AND occurred_us < %s"
           " AND hash <> '' AND (%s OR node_id = ANY(%s)) GROUP BY node_id ORDER BY node_id")
_ROWS = ("SELECT seq, person_id, event_type, occurred_us, camera_id, confidence, liveness, anomalies, reason, ref_seq,"
         " actor, prev_hash, hash FROM hub_event WHERE node_id = %s AND seq >= %s AND seq <= %s AND hash <> ''"
         " ORDER BY seq")


def site_log_state(db: pw.Database, first: date, last: date, node_ids: Sequence[str]) -> VerifyResult:
    """The first event that no longer checks out among those of `node_ids` (or every box) that may belong to the
    shift days from `first` to `last` in any time zone, naming its box."""
    start_us = to_us(datetime.combine(first, time(0), timezone.utc) - MARGIN)
    end_us = to_us(datetime.combine(last + timedelta(days=1), time(0), timezone.utc) + MARGIN)
    node_ids = list(node_ids)
    checked = 0
    for node_id, first, last in db.execute_sql(_RANGES, (start_us, end_us, not node_ids, node_ids)).fetchall():
        rows = db.execute_sql(_ROWS, (node_id, first, last)).fetchall()
        for _, epoch in groupby(rows, key=lambda r: r[0] // EPOCH):
            epoch = list(epoch)
            broken, count, _, _ = first_break(epoch[0][0] - 1, epoch[0][-2], epoch)
            checked += count
            if broken is not None:
                return VerifyResult(checked, "", Break(broken.seq, f"box {node_id!r}: {broken.problem}"))
    return VerifyResult(checked, "", None)
