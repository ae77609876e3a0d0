"""Voiding a punch, or moving it to another person, takes along the faces the kiosk learned from it.

A misrecognised punch (the kiosk took Grace for Ada) may have become a learned template of Ada; left there it
would go on taking Grace for her. So in the correction's own transaction the templates learned from that punch
are deleted from the person they were learned for and an ADMIN event names them under the corrector's name.

Locks: the correction runs on the attendance-write thread inside the log's transaction (the event writer's lock,
then SQLite's, as every event writer and ``RecognitionEngine.learn`` take them; commit b16e120), and the template
rows share that SQLite transaction. The gallery's own lock is taken only after the commit: the gallery then drops
exactly the rows the database dropped, and a correction that fails changes neither.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Callable

from edge_node.attendance.model import Event, EventType
from edge_node.attendance.store import AttendanceStore
from edge_node.recognition.engine import RecognitionEngine
from edge_node.recognition.templates import TemplateRecord, TemplateStore


@dataclass(frozen=True)
class Corrected:
    """A void's or move's event, and the ids of the learned templates that went with the punch."""

    event: Event
    faces_removed: tuple[str, ...]


class PunchCorrections:
    """VoidPunch and MovePunch of a node: attendance's corrections plus the faces learned from the punch."""

    def __init__(self, attendance: AttendanceStore, templates: TemplateStore, engine: RecognitionEngine | None) -> None:
        """`engine`: the gallery to keep in step (None while recognition is off: the rows go all the same)."""
        self._attendance = attendance
        self._templates = templates
        self._engine = engine

    def void(self, seq: int, reason: str, actor: str) -> Corrected:
        """Void punch `seq`; every face learned from it goes too."""
        corrections = self._attendance.corrections
        return self._correct(seq, actor, lambda: corrections.void_punch(seq, reason, actor))

    def move(self, seq: int, to_person_id: str, reason: str, actor: str, to_time: datetime | None = None) -> Corrected:
        """Move punch `seq`; a face learned from it goes unless the punch stays with its person (a move in time)."""
        corrections = self._attendance.corrections
        return self._correct(seq, actor, lambda: corrections.move_punch(seq, to_person_id, reason, actor, to_time))

    def _correct(self, seq: int, actor: str, correct: Callable[[], Event]) -> Corrected:
        with self._attendance.corrections.transaction():
            event = correct()
            stays_with = event.person_id if event.event_type is EventType.PUNCH_MOVED else None
            origins = self._attendance.corrections.moved_from(seq)  # a punch moved in time keeps its scan's face
            wrong = [t for t in self._templates.learned_from(origins) if t.person_id != stays_with]
            removed = [self._unlearn(t, seq, event, actor) for t in wrong]
        if removed:
            self._templates.purge()
            if self._engine is not None:
                self._engine.templates_removed(removed)
        return Corrected(event, tuple(removed))

    def _unlearn(self, template: TemplateRecord, seq: int, event: Event, actor: str) -> str:
        """Delete one learned template (journaled for the hub) and say so on the chained log (inside the caller's
        transaction)."""
        self._templates.delete(template.person_id, [template.template_id])
        what = "voided" if event.event_type is EventType.PUNCH_VOIDED else f"moved to {event.person_id!r}"
        self._attendance.corrections.admin_action(
            actor, f"removed learned template {template.template_id} of person {template.person_id!r}, learned from "
                   f"punch {template.event_id}: punch {seq} {what} by event {event.event_id}")
        return template.template_id
