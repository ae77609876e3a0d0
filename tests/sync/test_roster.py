"""The roster reaches every kiosk: enrolments at one node are recognised at another; deletions go everywhere."""
from __future__ import annotations

import threading
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from tools.manual_clock import ManualClock
from edge_node.gen.edge.sync.v1 import sync_pb2 as pb
from edge_node.recognition.templates import TemplateStore
from edge_node.sync.config import SyncConfig
from edge_node.vision.gallery import StoredTemplate
from edge_node.vision.pipeline import FacePipeline
from edge_node.vision.types import Decision
from tests.conftest import LiveNode, node_config, wait_until
from tests.sync.conftest import HubProcess

FACES = ("Bill_Gates", "Bill_Gates_0003.jpg", "Bill_Gates_0012.jpg")


def sync_config(hub: HubProcess, node_id: str) -> SyncConfig:
    return SyncConfig(enabled=True, hub=hub.address, node_id=node_id, token=hub.add_node(node_id),
                      interval_seconds=0.1, backoff_initial_seconds=0.05, backoff_max_seconds=0.3)


def start_node(tmp_path: Path, name: str, clock: ManualClock, hub: HubProcess, models: Path | None = None,
               **recognition_settings) -> LiveNode:
    """A node syncing with the hub as `name`, recognising with `models` when given (and `recognition_settings`)."""
    config = node_config(tmp_path / name)
    recognition = replace(config.recognition, enabled=models is not None, models_dir=str(models or ""),
                          **recognition_settings)
    live = LiveNode(replace(config, sync=sync_config(hub, name), recognition=recognition), clock)
    live.node.start_workers()
    return live


def templates_of(live: LiveNode) -> TemplateStore:
    store = live.node.store
    return TemplateStore(store.tables, store.clock, store.journal)


@pytest.fixture
def pipeline(shared_dir: Path) -> FacePipeline:
    return FacePipeline.from_models_dir(shared_dir / "models")


def test_enrolled_at_a_recognised_at_b(hub, tmp_path, clock, shared_dir, pipeline):
    a = start_node(tmp_path, "a", clock, hub)
    b = start_node(tmp_path, "b", clock, hub, models=shared_dir / "models")
    try:
        folder = shared_dir / "data" / "faces" / FACES[0]
        enrollment = pipeline.prepare_enrollment((folder / FACES[1]).read_bytes())
        assert enrollment.accepted, enrollment.reason
        a.node.store.persons.upsert("bill", "Bill Gates")
        record = templates_of(a).add("bill", pipeline.model_id, enrollment.embedding)

        assert wait_until(lambda: len(templates_of(b).for_person("bill")) == 1, timeout=10)
        [copied] = templates_of(b).for_person("bill")
        assert copied.template_id == record.template_id and np.array_equal(copied.embedding, record.embedding)
        assert b.node.store.persons.get("bill").display_name == "Bill Gates"

        probe = (folder / FACES[2]).read_bytes()
        pipeline.gallery.load(StoredTemplate(t.template_id, t.person_id, t.model_id, t.embedding)
                              for t in templates_of(b).all())
        result = pipeline.recognize(probe)
        assert result.decision is Decision.MATCH and result.faces[0].matches[0].person_id == "bill"
        if b.node.recognition is not None:  # the node's own gallery was updated by the roster listener
            assert b.node.recognition.gallery.search(result.faces[0].embedding, 1)[0].person_id == "bill"

        # B applied the change without journaling it; A's own change coming back is not re-journaled either.
        assert wait_until(lambda: a.node.sync.status().roster_version >= b.node.sync.status().roster_version)
        assert b.node.store.journal.pending(0, 10) == [] and a.node.store.journal.pending(0, 10) == []
    finally:
        a.stop()
        b.stop()


def unit_vector(seed: int) -> bytes:
    vector = np.random.default_rng(seed).standard_normal(128).astype("<f4")
    return (vector / np.linalg.norm(vector)).astype("<f4").tobytes()


def test_deleted_anywhere_is_deleted_everywhere(hub, tmp_path, clock):
    nodes = [start_node(tmp_path, name, clock, hub) for name in ("a", "b", "c")]
    try:
        for person_id, seed in (("ann", 1), ("bob", 2)):
            hub.stub.EnrollPerson(pb.EnrollPersonRequest(
                person_id=person_id, display_name=person_id.title(),
                templates=[pb.TemplateInput(model_id="m", embedding=unit_vector(seed))]), metadata=hub.auth)

        def everywhere(person_id: str, present: bool) -> bool:
            return all((n.node.store.persons.find(person_id) is not None) == present
                       and (templates_of(n).count(person_id) == 1) == present for n in nodes)
        assert wait_until(lambda: everywhere("ann", True) and everywhere("bob", True), timeout=10)

        reply = hub.stub.DeletePerson(pb.DeletePersonRequest(person_id="ann"), metadata=hub.auth)
        assert reply.templates_deleted == 1
        assert wait_until(lambda: everywhere("ann", False), timeout=10)

        nodes[0].node.store.persons.delete("bob")  # a deletion at a kiosk goes through the hub to the others
        templates_of(nodes[0]).delete("bob")
        assert wait_until(lambda: everywhere("bob", False), timeout=10)
        assert hub.sql("SELECT deleted FROM hub_person ORDER BY person_id") == [(True,), (True,)]
        assert hub.sql("SELECT count(*) FROM hub_template WHERE NOT deleted") == [(0,)]
    finally:
        for n in nodes:
            n.stop()


def test_a_pull_never_sees_a_template_before_its_person(hub):
    """Each pull is one snapshot: while enrolments commit, no page holds a template whose person it skipped."""
    reader = (("authorization", f"Bearer {hub.add_node('reader')}"),)
    enrolments = 150
    done = threading.Event()

    def enrol() -> None:
        try:
            for i in range(enrolments):
                hub.stub.EnrollPerson(pb.EnrollPersonRequest(
                    person_id=f"p{i}", display_name=f"P {i}",
                    templates=[pb.TemplateInput(model_id="m", embedding=unit_vector(i))]), metadata=hub.auth)
        finally:
            done.set()

    writer = threading.Thread(target=enrol)
    writer.start()
    persons: set[str] = set()
    templates: set[str] = set()
    orphans: list[str] = []
    version = 0
    while True:
        finished = done.is_set()
        reply = hub.stub.PullRoster(pb.PullRosterRequest(node_id="reader", since_version=version, page_size=50),
                                    metadata=reader)
        for change in reply.changes:
            assert change.version > version
            version = change.version
            if change.entity == pb.ROSTER_ENTITY_PERSON:
                persons.add(change.person_id)
            else:
                templates.add(change.person_id)
                if change.person_id not in persons:
                    orphans.append(change.person_id)
        if finished and not reply.more:
            break
    writer.join()
    assert orphans == []
    assert persons == templates == {f"p{i}" for i in range(enrolments)}
