"""Learned templates over gRPC: a clearly recognised, live punch becomes a "learned" template of the
person, capped (the oldest replaced), audited on the chained log and removable like any template."""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path

import pytest

from edge_node.common.errors import InvalidArgument
from edge_node.config import RecognitionConfig
from edge_node.gen.edge.attendance.v1 import attendance_pb2 as apb
from edge_node.gen.edge.attendance.v1 import attendance_pb2_grpc as apb_grpc
from edge_node.gen.edge.recognition.v1 import recognition_pb2 as pb
from edge_node.gen.edge.recognition.v1 import recognition_pb2_grpc as pb_grpc
from tests.conftest import LiveNode, node_config
from tools.manual_clock import ManualClock


def _learned(rec, node: LiveNode, person_id: str) -> list:
    templates = rec.ListTemplates(pb.ListTemplatesRequest(person_id=person_id), metadata=node.auth).templates
    return [t for t in templates if t.kind == "learned"]


def _node_with_yao(tmp_path: Path, shared_dir: Path, learned: int) -> tuple[LiveNode, list[Path]]:
    """A node keeping ``learned`` learned templates per person, Yao Ming enrolled as "p" from his first photo."""
    photos = sorted((shared_dir / "data" / "faces" / "Yao_Ming").glob("*.jpg"))
    config = replace(node_config(tmp_path), recognition=RecognitionConfig(models_dir=str(shared_dir / "models"),
                                                                          learned_templates=learned))
    node = LiveNode(config, ManualClock(datetime(2026, 11, 23, 7, 0, tzinfo=timezone.utc)))
    att = apb_grpc.AttendanceServiceStub(node.channel)
    att.UpsertPerson(apb.UpsertPersonRequest(person=apb.Person(person_id="p", display_name="P")), metadata=node.auth)
    enrolled = pb_grpc.RecognitionServiceStub(node.channel).Enroll(
        pb.EnrollRequest(person_id="p", images=[photos[0].read_bytes()]), metadata=node.auth)
    assert enrolled.results[0].accepted
    return node, photos


def test_clear_live_punches_are_learned_capped_audited_and_removable(tmp_path: Path, shared_dir: Path) -> None:
    node, photos = _node_with_yao(tmp_path, shared_dir, 2)
    try:
        rec, att = pb_grpc.RecognitionServiceStub(node.channel), apb_grpc.AttendanceServiceStub(node.channel)
        learned_ids = []
        for photo in (photos[1], photos[2], photos[4]):  # live press photos, near-frontal
            node.clock.advance(3600)  # a new punch, not a repeat within the linger window
            reply = rec.Recognize(pb.RecognizeRequest(image=photo.read_bytes(), record=True, camera_id="door"),
                                  metadata=node.auth)
            assert reply.decision == pb.DECISION_MATCH and reply.attendance.event.event_type in (
                apb.EVENT_TYPE_ENTRY, apb.EVENT_TYPE_EXIT)
            learned_ids.append([t.template_id for t in _learned(rec, node, "p")])
        assert [len(ids) for ids in learned_ids] == [1, 2, 2]  # capped at 2: the third replaced the oldest
        assert learned_ids[0][0] not in learned_ids[2] and learned_ids[1][1] in learned_ids[2]
        assert all(t.source == "door" for t in _learned(rec, node, "p"))
        admin = att.ListEvents(apb.ListEventsRequest(event_types=[apb.EVENT_TYPE_ADMIN]), metadata=node.auth).events
        assert sum("learned template" in e.reason and e.actor == "kiosk" for e in admin) == 3
        assert any(f"replacing {learned_ids[0][0]}" in e.reason for e in admin)
        rec.DeleteTemplates(pb.DeleteTemplatesRequest(person_id="p", template_ids=learned_ids[2]), metadata=node.auth)
        assert _learned(rec, node, "p") == [] and node.node.recognition.gallery.persons() == 1
        assert len(node.node.recognition.gallery) == 1
    finally:
        node.stop()


def test_learning_off_keeps_only_enrolled_templates(tmp_path: Path, shared_dir: Path) -> None:
    node, photos = _node_with_yao(tmp_path, shared_dir, 0)
    try:
        rec = pb_grpc.RecognitionServiceStub(node.channel)
        reply = rec.Recognize(pb.RecognizeRequest(image=photos[1].read_bytes(), record=True), metadata=node.auth)
        assert reply.decision == pb.DECISION_MATCH and _learned(rec, node, "p") == []
    finally:
        node.stop()


def test_a_cap_out_of_range_is_refused_with_the_range() -> None:
    with pytest.raises(InvalidArgument, match="between 0 and 10"):
        RecognitionConfig(learned_templates=11).validate()


def test_a_learned_template_and_its_audit_commit_together_or_not_at_all(tmp_path: Path, shared_dir: Path) -> None:
    """The chained log refuses the audit (a trigger stands for a write that fails there): the template is not kept
    either, the punch stands; once the log takes writes again, the next punch is learned and audited."""
    node, photos = _node_with_yao(tmp_path, shared_dir, 2)
    db = node.node.store.tables.db
    try:
        rec, att = pb_grpc.RecognitionServiceStub(node.channel), apb_grpc.AttendanceServiceStub(node.channel)
        db.execute_sql("CREATE TRIGGER refuse_admin BEFORE INSERT ON event WHEN NEW.event_type = 'ADMIN'"
                       " BEGIN SELECT RAISE(ABORT, 'the log cannot be written'); END")
        node.clock.advance(3600)
        reply = rec.Recognize(pb.RecognizeRequest(image=photos[1].read_bytes(), record=True, camera_id="door"),
                              metadata=node.auth)
        assert reply.decision == pb.DECISION_MATCH and reply.attendance.event.event_type == apb.EVENT_TYPE_ENTRY
        assert _learned(rec, node, "p") == [] and len(node.node.recognition.gallery) == 1
        admin = att.ListEvents(apb.ListEventsRequest(event_types=[apb.EVENT_TYPE_ADMIN]), metadata=node.auth).events
        assert not any("learned template" in e.reason for e in admin)

        db.execute_sql("DROP TRIGGER refuse_admin")
        node.clock.advance(3600)
        rec.Recognize(pb.RecognizeRequest(image=photos[2].read_bytes(), record=True, camera_id="door"),
                      metadata=node.auth)
        [learned] = _learned(rec, node, "p")
        admin = att.ListEvents(apb.ListEventsRequest(event_types=[apb.EVENT_TYPE_ADMIN]), metadata=node.auth).events
        assert [e.reason.split()[2] for e in admin if "learned template" in e.reason] == [learned.template_id]
    finally:
        node.stop()
