"""Punch corrections and learned faces on a real SQLite file, recognition off (no gallery): the rows still go, and
a learned template from before schema v12 (its punch not known) is left alone."""
from __future__ import annotations

from pathlib import Path

import numpy as np

from edge_node.attendance.rules import AttendanceRules
from edge_node.attendance.store import AttendanceStore
from edge_node.checkin.punch_corrections import PunchCorrections
from edge_node.recognition.templates import LEARNED, TemplateStore
from tests.attendance.old_schema import database_at
from tools.manual_clock import ManualClock


def _version_11_with_an_old_learned_face(path: Path) -> None:
    """A database of schema v11 (the frozen DDL) where the kiosk had learned a face of ann."""
    old = database_at(path, 11)
    old.db.execute_sql("INSERT INTO person (person_id, display_name, active, created_us, updated_us,"
                       " employed_from, employed_until) VALUES ('ann', 'Ann', 1, 0, 0, '', '')")
    old.db.execute_sql("INSERT INTO face_template (template_id, person_id, model_id, embedding, created_us, kind,"
                       " source) VALUES ('old', 'ann', 'm', ?, 0, 'learned', 'door')",
                       (np.ones(4, dtype="<f4").tobytes(),))
    old.db.close()


def test_a_void_without_recognition_removes_the_rows_and_leaves_an_older_learned_face(tmp_path: Path,
                                                                                      clock: ManualClock) -> None:
    path = tmp_path / "edge.db"
    _version_11_with_an_old_learned_face(path)
    store = AttendanceStore.open(path, AttendanceRules(), clock)
    try:
        templates = TemplateStore(store.tables, clock, store.journal)
        store.persons.upsert("bob", "Bob")
        corrections = PunchCorrections(store, templates, None)
        first = store.log.record_scan("ann").event.event_id
        assert corrections.move(first, "bob", "bob's face", "hr").faces_removed == ()  # the old face's punch: unknown
        clock.advance(3600)
        second = store.log.record_scan("ann").event.event_id
        taught = templates.add("ann", "m", np.ones(4, dtype="<f4"), kind=LEARNED, source="door", event_id=second)
        assert corrections.void(second, "a test scan", "hr").faces_removed == (taught.template_id,)
        assert [(t.template_id, t.event_id) for t in templates.for_person("ann")] == [("old", None)]
        change = store.journal.pending(0, 100)[-1]
        assert (change.entity, change.op, change.key) == ("template", "delete", taught.template_id)  # for the hub
    finally:
        store.close()
