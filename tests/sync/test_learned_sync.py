"""A template's kind travels through the hub: a learned template made at box A is learned at box B (matched with
the penalty, counted in the person's cap), and a template the hub stored before kinds existed is an enrolled one."""
from __future__ import annotations

from pathlib import Path

import grpc
import pytest

from edge_node.gen.edge.attendance.v1 import attendance_pb2 as apb
from edge_node.gen.edge.attendance.v1 import attendance_pb2_grpc as apb_grpc
from edge_node.gen.edge.recognition.v1 import recognition_pb2 as rpb
from edge_node.gen.edge.recognition.v1 import recognition_pb2_grpc as rpb_grpc
from edge_node.gen.edge.sync.v1 import sync_pb2 as pb
from edge_node.gen.edge.sync.v1 import sync_pb2_grpc as pb_grpc
from edge_node.recognition.templates import LEARNED, PHOTO, TemplateRecord
from edge_node.vision.learning import LearningConfig
from edge_node.vision.pipeline import FacePipeline
from tests.conftest import LiveNode, free_port, wait_until
from tests.sync.conftest import HubProcess, old_hub_tables
from tests.sync.test_roster import start_node, templates_of, unit_vector
from tools.manual_clock import ManualClock


def _photos(shared_dir: Path) -> list[Path]:
    return sorted((shared_dir / "data" / "faces" / "Yao_Ming").glob("*.jpg"))


def _punch(node: LiveNode, photo: Path, camera_id: str) -> None:
    """A recorded kiosk punch an hour after the last (a new punch, not a repeat)."""
    node.clock.advance(3600)
    reply = rpb_grpc.RecognitionServiceStub(node.channel).Recognize(
        rpb.RecognizeRequest(image=photo.read_bytes(), record=True, camera_id=camera_id), metadata=node.auth)
    assert reply.decision == rpb.DECISION_MATCH and reply.attendance.event.event_type in (
        apb.EVENT_TYPE_ENTRY, apb.EVENT_TYPE_EXIT)


def _learned(node: LiveNode) -> list[TemplateRecord]:
    return [t for t in templates_of(node).for_person("p") if t.kind == LEARNED]


def _score_of(node: LiveNode, template: TemplateRecord) -> tuple[str | None, float]:
    """The node's gallery's best match for the template's own vector: (template id, score)."""
    gallery = node.node.recognition.gallery
    best = gallery.search(gallery.view(template.model_id, template.embedding), 1)[0]
    return best.template_id, best.score


def test_a_learned_template_of_box_a_is_learned_at_box_b_and_shares_the_cap(
        hub: HubProcess, tmp_path: Path, clock: ManualClock, shared_dir: Path) -> None:
    models, photos = shared_dir / "models", _photos(shared_dir)
    a = start_node(tmp_path, "a", clock, hub, models, learned_templates=1)
    b = start_node(tmp_path, "b", clock, hub, models, learned_templates=1)
    try:
        apb_grpc.AttendanceServiceStub(a.channel).UpsertPerson(
            apb.UpsertPersonRequest(person=apb.Person(person_id="p", display_name="P")), metadata=a.auth)
        enrolled = rpb_grpc.RecognitionServiceStub(a.channel).Enroll(
            rpb.EnrollRequest(person_id="p", images=[photos[0].read_bytes()]), metadata=a.auth)
        assert enrolled.results[0].accepted
        _punch(a, photos[1], "door")
        [made] = _learned(a)

        assert wait_until(lambda: len(templates_of(b).for_person("p")) == 2, timeout=20)
        [copied] = _learned(b)
        assert (copied.template_id, copied.source) == (made.template_id, "a:door")
        assert wait_until(lambda: _score_of(b, copied)[0] == made.template_id, timeout=20)  # the gallery follows the commit
        assert _score_of(b, copied) == (made.template_id, pytest.approx(1.0 - LearningConfig().penalty, abs=1e-4))
        # A's own template came back from the hub unchanged: still learned, still its camera.
        assert wait_until(lambda: a.node.sync.status().roster_version >= b.node.sync.status().roster_version)
        assert [(t.template_id, t.source) for t in _learned(a)] == [(made.template_id, "door")]
        assert _score_of(a, made) == (made.template_id, pytest.approx(1.0 - LearningConfig().penalty, abs=1e-4))

        _punch(b, photos[2], "gate")  # the cap is the person's: B's learned template replaces A's everywhere
        [replacement] = _learned(b)
        assert replacement.template_id != made.template_id and replacement.source == "gate"
        assert wait_until(lambda: [t.template_id for t in _learned(a)] == [replacement.template_id], timeout=20)
        assert _learned(a)[0].source == "b:gate" and len(templates_of(a).for_person("p")) == 2
        # gone from A's gallery too (the roster applier updates the gallery after the database's commit)
        assert wait_until(lambda: _score_of(a, made)[0] != made.template_id, timeout=20)
    finally:
        a.stop()
        b.stop()


def test_a_template_stored_on_the_hub_before_kinds_reaches_a_box_as_enrolled(
        hub_db: str, tmp_path: Path, clock: ManualClock, shared_dir: Path) -> None:
    """A hub database of schema version 7 (its frozen DDL) holding a template; the hub upgrades it on start."""
    pipeline = FacePipeline.from_models_dir(shared_dir / "models")
    enrollment = pipeline.prepare_enrollment(_photos(shared_dir)[0].read_bytes())
    assert enrollment.accepted, enrollment.reason
    with old_hub_tables(hub_db, 7) as tables:
        tables.db.execute_sql(
            "INSERT INTO hub_person (person_id, display_name, active, deleted, version, origin_node_id, updated_us)"
            " VALUES ('p', 'P', true, false, nextval('hub_roster_version'), 'old', 1)")
        tables.db.execute_sql(
            "INSERT INTO hub_template (template_id, person_id, model_id, embedding, deleted, version, origin_node_id,"
            " updated_us) VALUES ('t-old', 'p', %s, %s, false, nextval('hub_roster_version'), 'old', 2)",
            (pipeline.template_model_id, enrollment.template.astype("<f4").tobytes()))
    hub = HubProcess(hub_db, tmp_path / "hub", free_port())
    try:
        assert hub.sql("SELECT kind, source FROM hub_template") == [("", "")]
        b = start_node(tmp_path, "b", clock, hub, shared_dir / "models")
        try:
            assert wait_until(lambda: len(templates_of(b).for_person("p")) == 1, timeout=20)
            [template] = templates_of(b).for_person("p")
            assert (template.template_id, template.kind, template.source) == ("t-old", PHOTO, "hub")
            assert _score_of(b, template) == ("t-old", pytest.approx(1.0, abs=1e-4))  # no penalty
        finally:
            b.stop()
    finally:
        hub.stop()


@pytest.mark.parametrize(("kind", "source", "message"), [
    (7, "door", "template_kind 7 is not a known TemplateKind"),
    (pb.TEMPLATE_KIND_LEARNED, "d" * 257, "template_source is longer than 256 characters"),
    (pb.TEMPLATE_KIND_LEARNED, "do\x00or", "template_source must not contain NUL"),
])
def test_the_hub_refuses_a_template_of_an_unknown_kind_or_source(hub: HubProcess, kind: int, source: str,
                                                                 message: str) -> None:
    token = hub.add_node("a")
    person = pb.RosterChange(version=1, entity=pb.ROSTER_ENTITY_PERSON, op=pb.ROSTER_OP_UPSERT, person_id="p",
                             display_name="P", active=True)
    template = pb.RosterChange(version=2, entity=pb.ROSTER_ENTITY_TEMPLATE, op=pb.ROSTER_OP_UPSERT, person_id="p",
                               template_id="t", model_id="m", embedding=unit_vector(1), template_kind=kind,
                               template_source=source)
    with pytest.raises(grpc.RpcError) as refused:
        pb_grpc.SyncServiceStub(hub.channel).PushRoster(
            pb.PushRosterRequest(node_id="a", installation_id="box-1", changes=[person, template]),
            metadata=(("authorization", f"Bearer {token}"),), timeout=10)
    assert refused.value.code() is grpc.StatusCode.INVALID_ARGUMENT and message in refused.value.details()
    assert hub.sql("SELECT count(*) FROM hub_template") == [(0,)]


def test_a_box_sends_the_hub_what_it_can_keep_of_a_long_source(hub: HubProcess, tmp_path: Path, clock: ManualClock,
                                                                shared_dir: Path) -> None:
    """An image's name may be longer than the hub keeps, or hold a NUL: cut, not a wedged sync."""
    a = start_node(tmp_path, "a", clock, hub, shared_dir / "models")
    try:
        apb_grpc.AttendanceServiceStub(a.channel).UpsertPerson(
            apb.UpsertPersonRequest(person=apb.Person(person_id="p", display_name="P")), metadata=a.auth)
        name = "\x00" + "n" * 300
        enrolled = rpb_grpc.RecognitionServiceStub(a.channel).Enroll(rpb.EnrollRequest(
            person_id="p", images=[_photos(shared_dir)[0].read_bytes()], sources=[name]), metadata=a.auth)
        assert enrolled.results[0].accepted
        assert wait_until(lambda: hub.sql("SELECT kind, source FROM hub_template") == [("photo", "n" * 256)],
                          timeout=20)
        assert a.node.sync.status().last_error == ""
    finally:
        a.stop()
