"""Applying hub roster changes on a node: a template of a person this node deleted is not brought back."""
from __future__ import annotations

import numpy as np

from edge_node.attendance.persons import pseudonym
from edge_node.attendance.punch_reviews import PunchEvidence, ReviewReason
from edge_node.attendance.rules import AttendanceRules
from edge_node.attendance.store import AttendanceStore
from edge_node.gen.edge.sync.v1 import sync_pb2 as pb
from edge_node.recognition.templates import LEARNED, TemplateStore
from edge_node.sync.roster import RosterApplier
from edge_node.sync.state import SyncState
from edge_node.vision.layout import EmbeddingLayout


def template_change(version: int, person_id: str, template_id: str) -> pb.RosterChange:
    return pb.RosterChange(version=version, entity=pb.ROSTER_ENTITY_TEMPLATE, op=pb.ROSTER_OP_UPSERT,
                           person_id=person_id, template_id=template_id, model_id="m",
                           embedding=np.ones(128, dtype="<f4").tobytes())


def test_a_template_of_a_person_deleted_here_is_skipped_and_the_version_moves_on(tmp_path, clock):
    store = AttendanceStore.open(tmp_path / "node.db", AttendanceRules(time_zone="UTC"), clock)
    templates = TemplateStore(store.tables, clock, store.journal)
    applier = RosterApplier(store, templates, SyncState(store), "n")
    added = []
    applier.on_template_added(added.append)
    store.persons.upsert("ann", "Ann")
    store.persons.delete("ann")  # journaled here; the hub has not heard of it yet
    person = pb.RosterChange(version=6, entity=pb.ROSTER_ENTITY_PERSON, op=pb.ROSTER_OP_UPSERT, person_id="bob",
                             display_name="Bob", active=True)
    applier.apply([template_change(5, "ann", "t-ann"), person, template_change(7, "bob", "t-bob")])
    assert templates.count("ann") == 0 and [t.template_id for t in templates.for_person("bob")] == ["t-bob"]
    assert [r.template_id for r in added] == ["t-bob"] and applier.version == 7
    store.close()


def test_this_boxs_learned_template_back_from_the_hub_keeps_its_punch(tmp_path, clock):
    """The hub carries a template's kind and source but not its punch: the hub's copy of a face learned here must
    keep it, or voiding the punch would no longer take the face along."""
    store = AttendanceStore.open(tmp_path / "node.db", AttendanceRules(time_zone="UTC"), clock)
    templates = TemplateStore(store.tables, clock, store.journal)
    applier = RosterApplier(store, templates, SyncState(store), "n")
    store.persons.upsert("bob", "Bob")
    punch = store.log.record_scan("bob", 0.9, "door").event.event_id
    learned = templates.add("bob", "m", np.ones(128, dtype="<f4"), kind=LEARNED, source="door", event_id=punch)
    back = template_change(3, "bob", learned.template_id)
    back.template_kind, back.template_source, back.origin_node_id = pb.TEMPLATE_KIND_LEARNED, "door", "n"
    applier.apply([back, template_change(4, "bob", "t-other")])
    assert [(t.template_id, t.kind, t.event_id) for t in templates.for_person("bob")] == [
        (learned.template_id, LEARNED, punch), ("t-other", "photo", None)]
    store.close()


def test_a_template_of_another_model_is_refused_with_a_reason(tmp_path, clock, caplog):
    store = AttendanceStore.open(tmp_path / "node.db", AttendanceRules(time_zone="UTC"), clock)
    templates = TemplateStore(store.tables, clock, store.journal)
    applier = RosterApplier(store, templates, SyncState(store), "n")
    matching = EmbeddingLayout.of(("sface_v1", 128))
    applier.require_model(matching.carries, matching.model_id)
    added = []
    applier.on_template_added(added.append)
    store.persons.upsert("bob", "Bob")
    good = template_change(3, "bob", "t-good")
    good.model_id = "sface_v1"
    # A template that also carries the second recogniser serves a node matching with SFace alone.
    fused = template_change(4, "bob", "t-fused")
    fused.model_id, fused.embedding = "sface_v1+reid", np.ones(128 + 256, dtype="<f4").tobytes()
    applier.apply([template_change(2, "bob", "t-other"), good, fused])  # template_change uses model "m"
    assert [t.template_id for t in templates.for_person("bob")] == ["t-good", "t-fused"] and applier.version == 4
    assert [r.template_id for r in added] == ["t-good", "t-fused"]
    assert "made by model 'm'" in caplog.text and "re-enrol" in caplog.text
    store.close()


def test_an_erasure_made_on_another_box_drops_the_review_crops_here(tmp_path, clock):
    """The hub tells the other boxes of an erasure by the person's pseudonym; their punch crops go with it."""
    store = AttendanceStore.open(tmp_path / "node.db", AttendanceRules(time_zone="UTC"), clock)
    applier = RosterApplier(store, TemplateStore(store.tables, clock, store.journal), SyncState(store), "n")
    store.persons.upsert("ann", "Ann")
    store.persons.upsert("bob", "Bob")
    evidence = PunchEvidence((ReviewReason.LOW_MATCH_MARGIN,), 0.01, 1.0, 0.5, b"\xff\xd8 a face \xff\xd9")
    punches = {pid: store.log.record_scan(pid, 0.9, "door").event.event_id for pid in ("ann", "bob")}
    for pid, event_id in punches.items():
        store.reviews.keep(store.reviews.get(event_id).event, evidence)
    applier.apply([pb.RosterChange(version=3, entity=pb.ROSTER_ENTITY_PERSON, op=pb.ROSTER_OP_UPSERT,
                                   person_id="ann", display_name=pseudonym("ann"), active=True)])
    assert not store.reviews.get(punches["ann"]).has_crop
    assert store.reviews.get(punches["bob"]).has_crop  # only the erased person's
    store.close()
