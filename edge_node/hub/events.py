"""The hub's event store: exactly-once ingest of node batches, cross-site queries, and the punches of each box
for the timecards and for the other boxes of its site."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import NamedTuple

import peewee as pw
from psycopg2.extras import execute_values

from edge_node.storage.backup import EPOCH
from edge_node.storage.chain import event_hash
from edge_node.attendance.persons import pseudonym
from edge_node.attendance.punches import PUNCH_QUERY_TYPES, PunchRow
from edge_node.common.validation import decode_token, encode_token, page_size
from edge_node.common.errors import FailedPrecondition, InvalidArgument
from edge_node.hub.schema import HubTables

EVENT_COLUMNS = ("node_id, seq, person_id, person_name, event_type, occurred_us, local_date, confidence,"
                 " camera_id, anomalies, reason, received_us, liveness, ref_seq, actor, prev_hash, hash")
log = logging.getLogger(__name__)
_FORK_POINT = "SELECT seq FROM hub_event WHERE node_id = %s AND hash = %s"
_INSERT = f"INSERT INTO hub_event ({EVENT_COLUMNS}) VALUES %s ON CONFLICT (node_id, seq) DO NOTHING RETURNING seq"
_STORED = "SELECT seq, person_id, event_type, occurred_us, hash FROM hub_event WHERE node_id = %s AND seq = ANY(%s)"
_PUNCHES = ("SELECT node_id, seq, person_id, event_type, occurred_us, ref_seq, node_id, anomalies FROM hub_event"
            " WHERE occurred_us >= %s AND occurred_us < %s AND event_type = ANY(%s)")
# Pushes of every node take this lock before inserting, so site cursors become visible in the order they
# were drawn and a box that pulled up to cursor C can never later miss a punch below C.
SITE_CURSOR_LOCK = 0x5349_5445  # "SITE"
_SITE_PUNCHES = ("SELECT site_cursor, node_id, seq, person_id, event_type, occurred_us, ref_seq, anomalies FROM hub_event"
                 " WHERE site_cursor > %s AND node_id <> %s AND event_type = ANY(%s)")


@dataclass(frozen=True)
class PushResult:
    acked_seq: int
    stored: int
    duplicates: int


class HubPerson(NamedTuple):
    name: str
    employed_from: str  # YYYY-MM-DD as set on the boxes, '' unset
    employed_until: str
    created_us: int | None  # the earliest creation a box reported


class SitePunchRow(NamedTuple):
    """A punch-related event of a box, with the hub's order of storage."""

    cursor: int
    node_id: str
    seq: int
    person_id: str
    event_type: str
    occurred_us: int
    ref_seq: int | None
    anomalies: str  # JSON [[kind, reason], ...] or ''


def _check_resent(db: pw.Database, node_id: str, resent: list[tuple]) -> None:
    """A resent event must be the one the hub holds. Another one under the same seq comes from a database
    restored from a backup or copied from another box; refusing it rolls the whole batch back."""
    held = {seq: (person_id, event_type, occurred_us, digest)
            for seq, person_id, event_type, occurred_us, digest in db.execute_sql(_STORED, (node_id, [r[1] for r in resent]))}
    for row in resent:
        stored = held.get(row[1])
        if stored is None or stored[:3] != (row[2], row[4], row[5]) or (stored[3] and stored[3] != row[16]):
            raise FailedPrecondition(
                f"node {node_id!r} sent event seq {row[1]} ({row[2]}, {row[4]}) but the hub holds a different "
                f"event under that number; this database was restored from a backup or copied from another box. "
                "Nothing was stored; give this box its own node id (`edge-node hub add-node NEW_ID`)")


def _check_chain(db: pw.Database, node_id: str, head: str, acked: int, new_rows: list[tuple]) -> str:
    """Recompute the hash of each new event and check that it links to the one before (the node's stored
    head for the first); return the new head. A node that never sent hashes (before the chain existed)
    starts its chain with its first hashed event. A box restored from a backup (`edge-node restore`) opens
    a new epoch of sequence numbers; its first event there may fork from any event the hub holds of it."""
    prev = head
    if new_rows and new_rows[0][1] // EPOCH > acked // EPOCH:
        prev = _fork_point(db, node_id, new_rows[0][15], head)
    for row in new_rows:
        seq, digest, prev_hash = row[1], row[16], row[15]
        if not digest:
            if head:
                raise FailedPrecondition(f"node {node_id!r} sent event seq {seq} without its chain hash, but the hub "
                                         "holds the node's chain; upgrade the node")
            continue
        if prev and prev_hash != prev:
            raise FailedPrecondition(
                f"node {node_id!r} event seq {seq} does not continue the chain the hub holds (expected previous hash "
                f"{prev[:12]}…, got {prev_hash[:12]}…): the box's history was rewritten after it was sent. Nothing was "
                "stored; run `edge-node log verify` on the box")
        if event_hash(prev_hash, seq, row[2], row[4], row[5], row[8], row[7], row[12], row[9], row[10], row[13],
                      row[14]) != digest:
            raise FailedPrecondition(f"node {node_id!r} event seq {seq}: its hash does not match its content. "
                                     "Nothing was stored")
        prev = digest
    return prev


def _fork_point(db: pw.Database, node_id: str, prev_hash: str, head: str) -> str:
    """The previous hash a restored box's new epoch starts from: the hub's head, or an event the hub holds
    of this node (the state of the backup). Anything else is refused by the chain check as usual."""
    if not prev_hash or prev_hash == head:
        return head
    fork = db.execute_sql(_FORK_POINT, (node_id, prev_hash)).fetchone()
    if fork is None:
        return head
    log.warning("node %s was restored from a backup: its new epoch continues from its event seq %d; the events "
                "it had sent after that stay on the hub as they were sent", node_id, fork[0])
    return prev_hash


def _apply_erasures(db: pw.Database, erasures: list[tuple]) -> None:
    """A box erased a person's name: erase it from every box's events, and put the pseudonym in its place in
    the roster on the hub (tombstones included)."""
    for row in erasures:
        db.execute_sql("UPDATE hub_event SET person_name = '' WHERE person_id = %s AND person_name <> ''", (row[2],))
        db.execute_sql("UPDATE hub_person SET display_name = %s WHERE person_id = %s", (pseudonym(row[2]), row[2]))


class HubEvents:
    def __init__(self, tables: HubTables) -> None:
        self._t = tables

    def push(self, node_id: str, after_seq: int, rows: list[tuple], queue_depth: int, lag_seconds: float,
             now_us: int) -> PushResult:
        """Store a validated batch covering (after_seq, last seq]; duplicates are dropped by the primary key.

        The node row is locked for the transaction, so two pushes of one node never interleave; the
        high-water mark only moves when the hub holds every event up to it.
        """
        db = self._t.db
        with db.atomic():
            cursor = db.execute_sql("SELECT acked_seq, chain_head FROM hub_node WHERE node_id = %s FOR UPDATE", (node_id,))
            acked, head = cursor.fetchone()
            stored = duplicates = 0
            if after_seq <= acked and rows:
                db.execute_sql("SELECT pg_advisory_xact_lock(%s)", (SITE_CURSOR_LOCK,))
                head = _check_chain(db, node_id, head, acked, [r for r in rows if r[1] > acked])
                returned = execute_values(db.cursor(), _INSERT, rows, page_size=len(rows), fetch=True)
                inserted = {seq for (seq,) in returned}
                stored, duplicates = len(inserted), len(rows) - len(inserted)
                if duplicates:
                    _check_resent(db, node_id, [r for r in rows if r[1] not in inserted])
                _apply_erasures(db, [r for r in rows if r[1] in inserted and r[4] == "PERSON_ERASED"])
                acked = max(acked, rows[-1][1])
            db.execute_sql("UPDATE hub_node SET acked_seq = %s, last_seen_us = %s, queue_depth = %s, lag_seconds = %s,"
                           " chain_head = %s WHERE node_id = %s", (acked, now_us, queue_depth, lag_seconds, head, node_id))
        return PushResult(acked, stored, duplicates)

    def query(self, node_ids: list[str], person_id: str, start_us: int | None, end_us: int | None,
              size: int, token: str) -> tuple[list, str]:
        """Events newest first (occurred time, then node and seq), one page, and the next page token."""
        limit = page_size(size)
        E = self._t.event
        query = E.select().order_by(E.occurred_us.desc(), E.node_id.desc(), E.seq.desc()).limit(limit + 1)
        if node_ids:
            query = query.where(E.node_id.in_(node_ids))
        if person_id:
            query = query.where(E.person_id == person_id)
        if start_us is not None and end_us is not None and end_us <= start_us:
            raise InvalidArgument("end_time must be after start_time")
        if start_us is not None:
            query = query.where(E.occurred_us >= start_us)
        if end_us is not None:
            query = query.where(E.occurred_us < end_us)
        cursor = decode_token("hub-events", token)
        if cursor is not None:
            query = query.where(_before(E, cursor))
        rows = list(query)
        page = rows[:limit]
        next_token = encode_token("hub-events", f"{page[-1].occurred_us}|{page[-1].seq}|{page[-1].node_id}") \
            if len(rows) > limit else ""
        return page, next_token

    def punch_rows(self, start_us: int, end_us: int, node_ids: list[str], person_id: str) -> list[PunchRow]:
        """Punches, duplicates and corrections of every box (or of `node_ids`) in a time range."""
        sql, args = _PUNCHES, [start_us, end_us, list(PUNCH_QUERY_TYPES)]
        if node_ids:
            sql, args = sql + " AND node_id = ANY(%s)", [*args, node_ids]
        if person_id:
            sql += (" AND (person_id = %s OR (node_id, ref_seq) IN (SELECT node_id, seq FROM hub_event WHERE person_id = %s"
                    " AND occurred_us >= %s AND occurred_us < %s))")
            args += [person_id, person_id, start_us, end_us]
        return [PunchRow(*r) for r in self._t.db.execute_sql(sql, args)]

    def people(self) -> dict[str, HubPerson]:
        """The roster's persons (erased or deleted ones included, as stored)."""
        rows = self._t.db.execute_sql("SELECT person_id, display_name, employed_from, employed_until, created_us"
                                      " FROM hub_person")
        return {r[0]: HubPerson(*r[1:]) for r in rows}

    def site_punches(self, node_id: str, since_cursor: int, from_node_ids: list[str],
                     limit: int) -> tuple[list[SitePunchRow], int]:
        """Up to `limit` punches, duplicates and corrections of boxes other than `node_id` (of `from_node_ids`
        only, when given) stored after `since_cursor`, oldest first; and the newest cursor on the hub."""
        sql, args = _SITE_PUNCHES, [since_cursor, node_id, list(PUNCH_QUERY_TYPES)]
        if from_node_ids:
            sql, args = sql + " AND node_id = ANY(%s)", [*args, from_node_ids]
        db = self._t.db
        with db.atomic(isolation_level="REPEATABLE READ"):  # the page and the newest cursor from one snapshot
            rows = [SitePunchRow(*r) for r in db.execute_sql(sql + " ORDER BY site_cursor LIMIT %s", [*args, limit])]
            latest = db.execute_sql("SELECT coalesce(max(site_cursor), 0) FROM hub_event").fetchone()[0]
        return rows, latest


def _before(E, cursor: str):
    """Keyset condition: rows strictly after the page token's row in (occurred, node, seq) descending order."""
    occurred, seq, node_id = (cursor.split("|", 2) + ["", ""])[:3]
    if not occurred.lstrip("-").isdigit() or not seq.isdigit():
        raise InvalidArgument("page_token is not valid: pass the next_page_token of the previous page unchanged")
    return pw.Tuple(E.occurred_us, E.node_id, E.seq) < pw.Tuple(int(occurred), node_id, int(seq))
