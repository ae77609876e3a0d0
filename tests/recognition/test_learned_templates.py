"""Learned templates over gRPC: a clearly recognised, live punch becomes a "learned" template of the
person, capped (the oldest replaced), audited on the chained log and removable like any template."""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from edge_node.common.errors import InvalidArgument
from edge_node.config import RecognitionConfig
from edge_node.gen.edge.attendance.v1 import attendance_pb2 as apb
from edge_node.gen.edge.attendance.v1 import attendance_pb2_grpc as apb_grpc
from edge_node.gen.edge.recognition.v1 import recognition_pb2 as pb
from edge_node.gen.edge.recognition.v1 import recognition_pb2_grpc as pb_grpc
from edge_node.wire.timestamps import to_timestamp
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


def _score(rec, node: LiveNode, photo: Path) -> float:
    """p's score for a photo (recognised, not recorded)."""
    reply = rec.Recognize(pb.RecognizeRequest(image=photo.read_bytes()), metadata=node.auth)
    return next(m.score for m in reply.faces[0].matches if m.person_id == "p")


def _punch(rec, node: LiveNode, photo: Path) -> int:
    """A kiosk punch of the photo an hour on (not a repeat); its event id."""
    node.clock.advance(3600)
    reply = rec.Recognize(pb.RecognizeRequest(image=photo.read_bytes(), record=True, camera_id="door"),
                          metadata=node.auth)
    assert reply.decision == pb.DECISION_MATCH and reply.attendance.event.person_id == "p"
    return reply.attendance.event.event_id


def test_a_punch_moved_away_or_voided_takes_the_face_learned_from_it(tmp_path: Path, shared_dir: Path) -> None:
    """A misrecognised punch moved to the right person (or voided) no longer teaches p that face, in the same
    admin action, named on the chained log under the corrector; a correction of a punch that taught nothing, or
    a move in time that keeps the punch with p, removes nothing."""
    node, photos = _node_with_yao(tmp_path, shared_dir, 2)
    try:
        rec, att = pb_grpc.RecognitionServiceStub(node.channel), apb_grpc.AttendanceServiceStub(node.channel)
        att.UpsertPerson(apb.UpsertPersonRequest(person=apb.Person(person_id="q", display_name="Q")), metadata=node.auth)
        enrolled_only = _score(rec, node, photos[1])
        taught = _punch(rec, node, photos[1])
        [learned] = _learned(rec, node, "p")
        assert learned.learned_from_event == taught and _score(rec, node, photos[1]) > enrolled_only + 0.2

        node.clock.advance(3600)  # a punch with no face (RecordScan) taught nothing: moving it removes nothing
        plain = att.RecordScan(apb.RecordScanRequest(person_id="p"), metadata=node.auth).event.event_id
        moved = att.MovePunch(apb.MovePunchRequest(event_id=plain, to_person_id="q", reason="q's"), metadata=node.auth)
        assert list(moved.learned_templates_removed) == [] and _learned(rec, node, "p") == [learned]
        earlier = node.clock.now() - timedelta(hours=2, minutes=5)  # in time only: still p's face
        in_time = att.MovePunch(apb.MovePunchRequest(event_id=taught, reason="clock", to_time=to_timestamp(earlier)),
                                metadata=node.auth)
        assert list(in_time.learned_templates_removed) == [] and _learned(rec, node, "p") == [learned]

        moved = att.MovePunch(apb.MovePunchRequest(event_id=in_time.event.event_id, to_person_id="q",
                                                   reason="misrecognised"), metadata=node.auth)
        assert list(moved.learned_templates_removed) == [learned.template_id] and _learned(rec, node, "p") == []
        assert len(node.node.recognition.gallery) == 1  # p's enrolled photo only, as in the database
        assert _score(rec, node, photos[1]) == pytest.approx(enrolled_only, abs=1e-5)  # no longer matched by it
        admin = att.ListEvents(apb.ListEventsRequest(event_types=[apb.EVENT_TYPE_ADMIN]), metadata=node.auth).events
        [audit] = [e for e in admin if e.reason.startswith("removed learned template")]
        assert audit.actor == moved.event.actor != "" and audit.reason == (
            f"removed learned template {learned.template_id} of person 'p', learned from punch {taught}: "
            f"punch {in_time.event.event_id} moved to 'q' by event {moved.event.event_id}")

        voided_punch = _punch(rec, node, photos[2])
        [relearned] = _learned(rec, node, "p")
        voided = att.VoidPunch(apb.VoidPunchRequest(event_id=voided_punch, reason="a test scan"), metadata=node.auth)
        assert list(voided.learned_templates_removed) == [relearned.template_id] and _learned(rec, node, "p") == []
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
