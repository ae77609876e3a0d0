"""Admin corrections and admin actions, appended to the chained log with a reason and the actor.

Nothing is edited in place: adding a missed punch, voiding a punch and moving a punch to the right
person or time are events of their own, and timecards apply them when they are computed. They are listed by
ListEvents and synced, but not broadcast to watchers: the kiosk shows scans, not office work.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Callable

import peewee as pw

from edge_node.attendance.model import Event, EventType
from edge_node.attendance.persons import PersonRegistry
from edge_node.storage.timestamps import from_us
from edge_node.attendance.rules import AttendanceRules
from edge_node.attendance.timecard import Calendars
from edge_node.common.validation import check_person_id
from edge_node.attendance.writer import EventWriter
from edge_node.storage.schema import Tables, purge_wal
from edge_node.common.clock import Clock
from edge_node.common.errors import FailedPrecondition, InvalidArgument, NotFound

MAX_REASON_CHARS = 500
MAX_ACTOR_CHARS = 64
MAX_FUTURE = timedelta(minutes=5)
_PUNCH_TYPES = ("ENTRY", "EXIT", "PUNCH_ADDED", "PUNCH_MOVED")
# Each correction with the punch it names (a move whose old place has no void of its own counts there too).
_NOTES = ("SELECT c.id, c.event_type, c.person_id, c.occurred_us, c.reason, c.actor, r.person_id, r.occurred_us,"
          " EXISTS (SELECT 1 FROM event v WHERE v.ref_seq = c.ref_seq AND v.event_type = 'PUNCH_VOIDED')"
          " FROM event c LEFT JOIN event r ON r.id = c.ref_seq"
          " WHERE c.occurred_us >= ? AND c.occurred_us < ? AND c.event_type IN ('PUNCH_ADDED', 'PUNCH_VOIDED', 'PUNCH_MOVED')"
          " ORDER BY c.id")


# A punch and every punch it was moved from (a PUNCH_MOVED names the one it moved in ref_seq), back to the scan.
_MOVED_FROM = ("WITH RECURSIVE chain(id, ref_seq, event_type) AS (SELECT id, ref_seq, event_type FROM event WHERE id = ?"
               " UNION ALL SELECT e.id, e.ref_seq, e.event_type FROM event e JOIN chain c ON e.id = c.ref_seq"
               " WHERE c.event_type = 'PUNCH_MOVED') SELECT ref_seq, event_type FROM chain")


@dataclass(frozen=True)
class CorrectionNote:
    """One correction of a shift day: what was done to which punch time, by whom and why."""

    event_id: int
    kind: EventType
    at: datetime
    reason: str
    actor: str


def correction_notes(db: pw.Database, calendars: Calendars, start_us: int, end_us: int,
                     first: date, last: date) -> dict[tuple[str, date], list[CorrectionNote]]:
    """The corrections of each (person, shift day) from `first` to `last`, read from events in [start_us, end_us):
    an added or moved punch at its new place, a voided one at its old place; a move to another person at the
    same time (one event) also at the person it left."""
    notes: dict[tuple[str, date], list[CorrectionNote]] = {}
    for seq, kind, person_id, at_us, reason, actor, ref_person, ref_us, voided in db.execute_sql(_NOTES, (start_us, end_us)):
        note = CorrectionNote(seq, EventType(kind), from_us(at_us), reason, actor)
        places = [(person_id, at_us)]
        if kind == "PUNCH_MOVED" and ref_person is not None and not voided and ref_person != person_id:
            places.append((ref_person, ref_us))
        for pid, when in places:
            day = calendars.of(pid).attribute(from_us(when)).day
            if first <= day <= last:
                notes.setdefault((pid, day), []).append(note)
    return notes


def check_reason_and_actor(reason: str, actor: str) -> None:
    if not reason.strip() or len(reason) > MAX_REASON_CHARS or "\x00" in reason:
        raise InvalidArgument(f"reason is required: 1-{MAX_REASON_CHARS} characters saying why")
    if not actor.strip() or len(actor) > MAX_ACTOR_CHARS or actor != actor.strip() or "\x00" in actor:
        raise InvalidArgument(f"actor is required: who makes the change, 1-{MAX_ACTOR_CHARS} characters")


class Corrections:
    def __init__(self, tables: Tables, persons: PersonRegistry, rules: Callable[[], AttendanceRules], clock: Clock,
                 writer: EventWriter) -> None:
        self._t = tables
        self._persons = persons
        self._rules = rules
        self._clock = clock
        self._writer = writer
        self._erase_hooks: list[Callable[[str], object]] = []

    def on_erase(self, hook: Callable[[str], object]) -> None:
        """Call `hook(person_id)` inside the erasure's transaction (the review crops go there)."""
        self._erase_hooks.append(hook)

    def add_punch(self, person_id: str, at: datetime, reason: str, actor: str, camera_id: str = "") -> Event:
        """A punch the person made but the box did not record (a forgotten check-out)."""
        check_reason_and_actor(reason, actor)
        person = self._persons.get(person_id)
        if at > self._clock.now() + MAX_FUTURE:
            raise InvalidArgument(f"occurred_at {at.isoformat()} is in the future; a missed punch happened already")
        return self._append(EventType.PUNCH_ADDED, person.person_id, person.display_name, at, reason, actor, None,
                            camera_id)

    def void_punch(self, seq: int, reason: str, actor: str) -> Event:
        """The punch does not count any more (a misread, a test scan); it stays on the log."""
        check_reason_and_actor(reason, actor)
        with self._writer.transaction():
            person_id, name, at_us = self._live_punch(seq)
            return self._writer.append(self._rules(), EventType.PUNCH_VOIDED, person_id, name, from_us(at_us),
                                       reason=reason, ref_seq=seq, actor=actor)

    def move_punch(self, seq: int, to_person_id: str, reason: str, actor: str,
                   to_time: datetime | None = None) -> Event:
        """The punch belongs to another person (a misrecognition), or happened at another time, or both.

        A move to another person at the same time is one PUNCH_MOVED event. A move in time is two: a
        PUNCH_VOIDED at the old time (so the old day loses the punch in any period that holds it) and a
        PUNCH_MOVED at the new time, both naming the punch in `ref_seq`. Returns the PUNCH_MOVED event.
        """
        check_reason_and_actor(reason, actor)
        if not to_person_id and to_time is None:
            raise InvalidArgument("say where the punch goes: to_person_id, to_time or both")
        if to_time is not None and to_time > self._clock.now() + MAX_FUTURE:
            raise InvalidArgument(f"to_time {to_time.isoformat()} is in the future; a punch is moved to when it happened")
        target = self._persons.get(check_person_id(to_person_id)) if to_person_id else None
        with self._writer.transaction():
            person_id, name, at_us = self._live_punch(seq)
            old_at = from_us(at_us)
            to_id, to_name = (target.person_id, target.display_name) if target else (person_id, name)
            at = old_at if to_time is None else to_time
            if (to_id, at) == (person_id, old_at):
                raise FailedPrecondition(f"event {seq} already belongs to {person_id!r} at {old_at.isoformat()}: "
                                         "give another person, another time, or both")
            moves = [f"from {person_id!r}"] if to_id != person_id else []
            if at != old_at:
                zone = self._rules().zone  # the times in the reason as the site's clock showed them
                moves.append(f"from {old_at.astimezone(zone).isoformat()}")
                self._writer.append(self._rules(), EventType.PUNCH_VOIDED, person_id, name, old_at,
                                    reason=f"moved to {at.astimezone(zone).isoformat()}: {reason}", ref_seq=seq,
                                    actor=actor)
            return self._writer.append(self._rules(), EventType.PUNCH_MOVED, to_id, to_name, at,
                                       reason=f"moved {' and '.join(moves)}: {reason}", ref_seq=seq, actor=actor)

    def transaction(self):  # noqa: ANN201 - the event writer's context manager
        """The log's write transaction (the event writer's lock, then SQLite's): a change made in it commits with
        the admin action that audits it, or neither does."""
        return self._writer.transaction()

    def admin_action(self, actor: str, description: str) -> Event:
        """Keep an admin action (a schedule change) on the chained log."""
        check_reason_and_actor(description, actor)
        with self._writer.transaction():
            return self._writer.append(self._rules(), EventType.ADMIN, "", "", self._clock.now(), reason=description,
                                       actor=actor)

    def erase_person(self, person_id: str, reason: str, actor: str) -> tuple[Event, int]:
        """Blank the person's name on every stored event (the chain does not hash names), put their pseudonym
        in its place in the person row and the change journal, and log the erasure, which the hub applies to
        its copy. The person's punches stay under their id for payroll; their review crops go now, their templates
        with DeletePerson."""
        check_reason_and_actor(reason, actor)
        check_person_id(person_id)
        with self._writer.transaction():
            erased = self._t.db.execute_sql("UPDATE event SET person_name = '' WHERE person_id = ? AND person_name != ''",
                                            (person_id,)).rowcount
            self._persons.erase_name(person_id)
            for hook in self._erase_hooks:
                hook(person_id)
            event = self._writer.append(self._rules(), EventType.PERSON_ERASED, person_id, "", self._clock.now(),
                                        reason=reason, actor=actor)
        purge_wal(self._t.db)
        return event, erased

    def _append(self, kind: EventType, person_id: str, name: str, at: datetime, reason: str, actor: str,
                ref_seq: int | None, camera_id: str) -> Event:
        with self._writer.transaction():
            return self._writer.append(self._rules(), kind, person_id, name, at, camera_id=camera_id, reason=reason,
                                       ref_seq=ref_seq, actor=actor)

    def moved_from(self, seq: int) -> list[int]:
        """Punch `seq` and the punches it was moved from, back to the one first recorded (a pruned one included)."""
        rows = self._t.db.execute_sql(_MOVED_FROM, (seq,)).fetchall()
        return list(dict.fromkeys([seq, *(ref for ref, kind in rows if kind == "PUNCH_MOVED" and ref is not None)]))

    def _live_punch(self, seq: int) -> tuple[str, str, int]:
        """(person_id, name, occurred_us) of a punch that no correction has voided or moved yet."""
        if seq <= 0:
            raise InvalidArgument(f"event_id must be positive (got {seq})")
        row = self._t.db.execute_sql("SELECT person_id, person_name, occurred_us, event_type FROM event WHERE id = ?",
                                     (seq,)).fetchone()
        if row is None:
            raise NotFound(f"event {seq} does not exist (or was pruned after sync)")
        if row[3] not in _PUNCH_TYPES:
            raise FailedPrecondition(f"event {seq} is a {row[3]}, not a punch; only ENTRY, EXIT, PUNCH_ADDED and "
                                     "PUNCH_MOVED events can be voided or moved")
        done = self._t.db.execute_sql("SELECT id, event_type FROM event WHERE ref_seq = ? LIMIT 1", (seq,)).fetchone()
        if done is not None:
            raise FailedPrecondition(f"event {seq} was already corrected by event {done[0]} ({done[1]})")
        return row[0], row[1], row[2]
