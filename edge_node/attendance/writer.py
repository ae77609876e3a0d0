"""Appends events to the log, each chained to the one before (the only way an event is written)."""
from __future__ import annotations

import json
import threading
from contextlib import contextmanager, nullcontext
from datetime import date, datetime
from typing import Iterator

import peewee as pw

from edge_node.storage.chain import GENESIS, event_hash
from edge_node.attendance.model import Anomaly, Event, EventType
from edge_node.attendance.rows import anomalies_to_text
from edge_node.storage.timestamps import to_us
from edge_node.attendance.rules import AttendanceRules, local_date_of
from edge_node.storage.schema import Tables

CHAIN_ANCHOR_KEY = "chain_anchor"
_SAVEPOINT = "event_write"
_INSERT = ("INSERT INTO event (id, person_id, person_name, event_type, occurred_us, local_date, confidence, camera_id,"
           " anomalies, reason, liveness, ref_seq, actor, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")

_LATEST_LIVE = ("SELECT occurred_us FROM event WHERE event_type NOT IN ('PUNCH_ADDED', 'PUNCH_VOIDED', 'PUNCH_MOVED')"
                " ORDER BY occurred_us DESC LIMIT 1")


@contextmanager
def _savepoint(db: pw.Database) -> Iterator[None]:
    """A savepoint inside the caller's transaction (a group commit's batch), always under one name: SQLite
    nests savepoints of the same name, and the two statements stay prepared (peewee's are named anew each time)."""
    db.execute_sql(f"SAVEPOINT {_SAVEPOINT}")
    try:
        yield
    except BaseException:
        db.execute_sql(f"ROLLBACK TO SAVEPOINT {_SAVEPOINT}")
        raise
    finally:
        db.execute_sql(f"RELEASE SAVEPOINT {_SAVEPOINT}")


class EventWriter:
    """Holds the write lock; `append` runs inside the caller's `with writer.transaction()`. The lock queues
    this process's event writers before SQLite's own lock (whose busy handler polls with sleeps); it is
    re-entrant, because a group commit takes it around a whole batch of writers that take it again.

    The chain's head and the latest live event time are kept between appends (this writer adds every event; pruning
    synced events keeps the head as the chain's anchor), so a scan does not read them again. A transaction
    that rolls back after an append makes them wrong: `transaction` forgets them then, and so must whoever
    rolls back around it (the group commit's `rolled_back`)."""

    def __init__(self, tables: Tables) -> None:
        self._db = tables.db
        self.lock = threading.RLock()
        self._head: tuple[int, str] | None = None
        self._latest: tuple[int | None] | None = None  # (max occurred_us,) once read

    @contextmanager
    def transaction(self, one_statement: bool = False) -> Iterator[None]:
        """The write lock and a transaction (a savepoint inside one); the kept head is forgotten if it fails.
        `one_statement`: the caller writes with one statement at most, which undoes itself if it fails, so inside
        a transaction (a group commit's batch) it needs no savepoint."""
        with self.lock:
            try:
                if not self._db.in_transaction():
                    scope = self._db.atomic()
                else:
                    scope = nullcontext() if one_statement else _savepoint(self._db)
                with scope:
                    yield
            except BaseException:
                self.forget()
                raise

    def forget(self) -> None:
        """Drop the kept head and latest time (after a rollback): the next append reads them from the file."""
        with self.lock:
            self._head = self._latest = None

    def head(self) -> tuple[int, str]:
        """The last sequence number ever drawn and the hash the next event links to."""
        if self._head is None:
            self._head = self._read_head()
        return self._head

    def latest_us(self) -> int | None:
        """The latest occurred time of any stored live event (None when there is none): not of corrections,
        whose time an admin chose (a missed punch may be added a few minutes ahead)."""
        if self._latest is None:
            row = self._db.execute_sql(_LATEST_LIVE).fetchone()
            self._latest = (row[0] if row else None,)
        return self._latest[0]

    def _read_head(self) -> tuple[int, str]:
        seq_row = self._db.execute_sql("SELECT seq FROM sqlite_sequence WHERE name = 'event'").fetchone()
        last = self._db.execute_sql("SELECT hash FROM event ORDER BY id DESC LIMIT 1").fetchone()
        if last is not None:
            return (seq_row[0] if seq_row else 0), last[0]
        anchor = self._db.execute_sql("SELECT value FROM setting WHERE key = ?", (CHAIN_ANCHOR_KEY,)).fetchone()
        return (seq_row[0] if seq_row else 0), (json.loads(anchor[0])["hash"] if anchor else GENESIS)

    def append(self, rules: AttendanceRules, event_type: EventType, person_id: str, person_name: str, at: datetime,
               confidence: float = 0.0, camera_id: str = "", anomalies: tuple[Anomaly, ...] = (), reason: str = "",
               liveness: float = 0.0, ref_seq: int | None = None, actor: str = "", day: date | None = None) -> Event:
        """Store one event; `day` is its shift day (default: its local calendar date)."""
        last_seq, prev = self.head()
        seq, at_us, flags = last_seq + 1, to_us(at), anomalies_to_text(anomalies)
        digest = event_hash(prev, seq, person_id, event_type.value, at_us, camera_id, confidence, liveness, flags,
                            reason, ref_seq, actor)
        day = day or local_date_of(rules, at)
        self._db.execute_sql(_INSERT, (seq, person_id, person_name, event_type.value, at_us, day.isoformat(),
                                       confidence, camera_id, flags, reason, liveness, ref_seq, actor, prev, digest))
        self._head = (seq, digest)
        if self._latest is not None and not event_type.correction:
            self._latest = (at_us if self._latest[0] is None else max(self._latest[0], at_us),)
        return Event(seq, person_id, person_name, event_type, at, day, confidence, camera_id, anomalies, reason,
                     liveness, ref_seq, actor, digest)

