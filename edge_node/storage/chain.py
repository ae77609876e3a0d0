"""The tamper-evident log: every event carries the SHA-256 of its content and of the event before it.

The node, `edge-node log verify` and the hub all hash an event through `event_hash`, so the hub can
recompute what a box sent and prove that the box's history was not rewritten afterwards. The
display name is not hashed: erasing a person's name must not break the chain.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Iterable, Iterator

import peewee as pw

GENESIS = ""
# The columns of `event` that `event_hash` covers, in order (seq is the event id).
HASHED_COLUMNS = "id, person_id, event_type, occurred_us, camera_id, confidence, liveness, anomalies, reason, ref_seq, actor"


def event_hash(prev_hash: str, seq: int, person_id: str, event_type: str, occurred_us: int, camera_id: str,
               confidence: float, liveness: float, anomalies: str, reason: str, ref_seq: int | None,
               actor: str) -> str:
    """The hex SHA-256 of one event chained to `prev_hash`; floats to 4 decimals so any transport keeps them."""
    parts = (prev_hash, str(seq), person_id, event_type, str(occurred_us), camera_id, f"{confidence:.4f}",
             f"{liveness:.4f}", anomalies, reason, "" if ref_seq is None else str(ref_seq), actor)
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def backfill_chain(db: pw.Database) -> None:
    """Migration step: chain every event stored before the chain existed, oldest first."""
    prev = GENESIS
    rows = list(db.execute_sql(f"SELECT {HASHED_COLUMNS} FROM event ORDER BY id"))
    for row in rows:
        digest = event_hash(prev, *row)
        db.execute_sql("UPDATE event SET prev_hash = ?, hash = ? WHERE id = ?", (prev, digest, row[0]))
        prev = digest


@dataclass(frozen=True)
class Break:
    """The first record of the log that does not check out."""

    seq: int
    problem: str


def missing(first: int, last: int) -> Break:
    """Records `first` to `last` are gone from the log (deleted): the record after them links to another."""
    which = f"record {first} is missing" if first == last else f"records {first}-{last} are missing"
    return Break(first, f"{which} (deleted from the log after it was recorded)")


def first_break(anchor_seq: int, anchor_hash: str, rows: Iterable[tuple]) -> tuple[Break | None, int, int, str]:
    """Walk rows of (HASHED_COLUMNS..., prev_hash, hash) in id order from the anchor (the last pruned record,
    or 0 and GENESIS). A record that does not link to the one before it after a gap in the sequence numbers
    follows deleted records (a restore from backup also leaves a gap, but the chain links across it).

    Returns the first broken record (or None), how many records were checked, and the last good record's
    seq and hash (the anchor's when none was good).
    """
    prev, last, expected = anchor_hash, anchor_seq, anchor_seq + 1
    count = 0
    for row in rows:
        *content, stored_prev, stored_hash = row
        seq = content[0]
        if stored_prev != prev and seq > expected:
            return missing(expected, seq - 1), count, last, prev
        if stored_prev != prev:
            return Break(seq, f"event {seq} does not link to the record before it (history rewritten)"), count, last, prev
        if event_hash(prev, *content) != stored_hash:
            return Break(seq, f"event {seq} was changed after it was recorded (its content no longer matches its hash)"), count, last, prev
        prev, last, expected = stored_hash, seq, seq + 1
        count += 1
    return None, count, last, prev


def iter_chain_rows(db: pw.Database, after_seq: int = 0, batch: int = 5000) -> Iterator[tuple]:
    """Every event after `after_seq` with its hashes, in id order, read in batches."""
    last = after_seq
    while True:
        rows = list(db.execute_sql(f"SELECT {HASHED_COLUMNS}, prev_hash, hash FROM event WHERE id > ? ORDER BY id LIMIT ?",
                                   (last, batch)))
        if not rows:
            return
        yield from rows
        last = rows[-1][0]
