"""Admin corrections and admin actions, appended to the chained log with a reason and the actor.

Nothing is edited in place: adding a missed punch, voiding a punch and moving a punch to the right
person are events of their own, and timecards apply them when they are computed. They are listed by
ListEvents and synced, but not broadcast to watchers: the kiosk shows scans, not office work.
"""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Callable

from edge_node.attendance.model import Event, EventType
from edge_node.attendance.persons import PersonRegistry
from edge_node.storage.timestamps import from_us
from edge_node.attendance.rules import AttendanceRules
from edge_node.common.validation import check_person_id
from edge_node.attendance.writer import EventWriter
from edge_node.storage.schema import Tables, purge_wal
from edge_node.common.clock import Clock
from edge_node.common.errors import FailedPrecondition, InvalidArgument, NotFound

MAX_REASON_CHARS = 500
MAX_ACTOR_CHARS = 64
MAX_FUTURE = timedelta(minutes=5)
_PUNCH_TYPES = ("ENTRY", "EXIT", "PUNCH_ADDED", "PUNCH_MOVED")


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

    def move_punch(self, seq: int, to_person_id: str, reason: str, actor: str) -> Event:
        """The punch belongs to another person (a misrecognition): it counts for them, at the same time."""
        check_reason_and_actor(reason, actor)
        target = self._persons.get(check_person_id(to_person_id))
        with self._writer.transaction():
            person_id, _, at_us = self._live_punch(seq)
            if person_id == target.person_id:
                raise FailedPrecondition(f"event {seq} already belongs to {person_id!r}")
            return self._writer.append(self._rules(), EventType.PUNCH_MOVED, target.person_id, target.display_name,
                                       from_us(at_us), reason=f"moved from {person_id!r}: {reason}", ref_seq=seq,
                                       actor=actor)

    def admin_action(self, actor: str, description: str) -> Event:
        """Keep an admin action (a schedule change) on the chained log."""
        check_reason_and_actor(description, actor)
        with self._writer.transaction():
            return self._writer.append(self._rules(), EventType.ADMIN, "", "", self._clock.now(), reason=description,
                                       actor=actor)

    def erase_person(self, person_id: str, reason: str, actor: str) -> tuple[Event, int]:
        """Blank the person's name on every stored event (the chain does not hash names), put their pseudonym
        in its place in the person row and the change journal, and log the erasure, which the hub applies to
        its copy. The person's punches stay under their id for payroll; their face goes with DeletePerson."""
        check_reason_and_actor(reason, actor)
        check_person_id(person_id)
        with self._writer.transaction():
            erased = self._t.db.execute_sql("UPDATE event SET person_name = '' WHERE person_id = ? AND person_name != ''",
                                            (person_id,)).rowcount
            self._persons.erase_name(person_id)
            event = self._writer.append(self._rules(), EventType.PERSON_ERASED, person_id, "", self._clock.now(),
                                        reason=reason, actor=actor)
        purge_wal(self._t.db)
        return event, erased

    def _append(self, kind: EventType, person_id: str, name: str, at: datetime, reason: str, actor: str,
                ref_seq: int | None, camera_id: str) -> Event:
        with self._writer.transaction():
            return self._writer.append(self._rules(), kind, person_id, name, at, camera_id=camera_id, reason=reason,
                                       ref_seq=ref_seq, actor=actor)

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
