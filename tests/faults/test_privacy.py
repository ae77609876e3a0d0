"""Privacy: deleting a person leaves none of their face data on the node's disk: no templates (raw or in the
sync journal) in the SQLite files, no snapshots, no image files. Erasing a person leaves their name nowhere:
not on the box's disk, not on the hub (its tombstones included), not on the other boxes."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import grpc
import pytest

from edge_node.capture.config import CaptureConfig
from edge_node.config import RecognitionConfig
from tools.faults import people
from edge_node.gen.edge.attendance.v1 import attendance_pb2 as apb
from edge_node.gen.edge.attendance.v1 import attendance_pb2_grpc as apb_grpc
from edge_node.gen.edge.recognition.v1 import recognition_pb2 as rpb
from edge_node.gen.edge.recognition.v1 import recognition_pb2_grpc as rpb_grpc
from edge_node.attendance.persons import pseudonym
from edge_node.sync.config import SyncConfig
from tests.conftest import LiveNode, free_port, node_config, wait_until
from tests.sync.conftest import HubProcess, hub_db  # noqa: F401 - fixture

IMAGE_MAGIC = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n")


def _files_containing(folder: Path, needles: list[bytes]) -> dict[str, int]:
    """file name -> how many of `needles` it contains, for every file under `folder` holding any."""
    found = {}
    for path in folder.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            hits = sum(1 for n in needles if n in data)
            if hits:
                found[str(path.relative_to(folder))] = hits
    return found


def _image_files(folder: Path) -> list[str]:
    return [str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file() and p.read_bytes().startswith(IMAGE_MAGIC)]


def test_deleting_a_person_leaves_no_face_data_on_disk(tmp_path, clock, shared_dir):
    photos = people.face_photos()
    config = node_config(tmp_path / "node")
    config = replace(config, recognition=RecognitionConfig(models_dir=str(shared_dir / "models")),
                     capture=CaptureConfig(listen="127.0.0.1:0", mdns=False))
    live = LiveNode(config, clock)
    data_dir = live.node.data_dir
    try:
        attendance = apb_grpc.AttendanceServiceStub(live.channel)
        recognition = rpb_grpc.RecognitionServiceStub(live.channel)
        attendance.UpsertPerson(apb.UpsertPersonRequest(person=apb.Person(person_id="ada", display_name="Ada")),
                                metadata=live.auth)
        enrolled = recognition.Enroll(rpb.EnrollRequest(person_id="ada", images=photos[:3]), metadata=live.auth)
        assert enrolled.template_count == 3
        embeddings = [t.embedding.tobytes() for t in live.node.recognition.templates.for_person("ada")]
        reply = recognition.Recognize(rpb.RecognizeRequest(image=photos[3], record=True, camera_id="door"),
                                      metadata=live.auth)
        assert reply.attendance.event.person_id == "ada"
        live.node.snapshots.save(photos[3], clock.now(), "door", "MATCH", "ada")
        needles = [*embeddings, *(e.hex().encode() for e in embeddings), photos[3][:256]]
        assert _files_containing(data_dir, needles) and _image_files(data_dir)  # the check can see them

        attendance.DeletePerson(apb.DeletePersonRequest(person_id="ada"), metadata=live.auth)
        with pytest.raises(grpc.RpcError) as gone:
            recognition.ListTemplates(rpb.ListTemplatesRequest(person_id="ada"), metadata=live.auth)
        assert gone.value.code() == grpc.StatusCode.NOT_FOUND
        assert live.node.snapshots.snapshots_for_person("ada") == []
        assert _image_files(data_dir) == []
        assert _files_containing(data_dir, needles) == {}, "face data still on disk while the node runs"
    finally:
        live.stop()
    assert _files_containing(data_dir, needles) == {}, "face data still on disk after the node stopped"


def test_deleting_one_template_leaves_its_embedding_nowhere_on_disk(tmp_path, clock, shared_dir):
    photos = people.face_photos()
    config = replace(node_config(tmp_path / "node"), recognition=RecognitionConfig(models_dir=str(shared_dir / "models")))
    live = LiveNode(config, clock)
    try:
        apb_grpc.AttendanceServiceStub(live.channel).UpsertPerson(
            apb.UpsertPersonRequest(person=apb.Person(person_id="bo", display_name="Bo")), metadata=live.auth)
        recognition = rpb_grpc.RecognitionServiceStub(live.channel)
        recognition.Enroll(rpb.EnrollRequest(person_id="bo", images=photos[:2]), metadata=live.auth)
        kept, dropped = live.node.recognition.templates.for_person("bo")
        recognition.DeleteTemplates(rpb.DeleteTemplatesRequest(person_id="bo", template_ids=[dropped.template_id]),
                                    metadata=live.auth)
        gone = [dropped.embedding.tobytes(), dropped.embedding.tobytes().hex().encode()]
        assert _files_containing(live.node.data_dir, gone) == {}
        assert _files_containing(live.node.data_dir, [kept.embedding.tobytes()])  # the check can see a template
    finally:
        live.stop()


def test_an_erased_name_is_nowhere_on_a_box_without_a_hub(tmp_path, clock):
    """The name leaves the events, the person row (the pseudonym stays, and timecards print it) and the change
    journal, which a box without a hub never prunes: no file of the data directory holds it any more."""
    live = LiveNode(node_config(tmp_path / "node"), clock)
    data_dir = live.node.data_dir
    name = b"Ada Lovelace-Byron"
    try:
        attendance = apb_grpc.AttendanceServiceStub(live.channel)
        attendance.UpsertPerson(apb.UpsertPersonRequest(person=apb.Person(person_id="ada", display_name=name.decode())),
                                metadata=live.auth)
        attendance.RecordScan(apb.RecordScanRequest(person_id="ada", camera_id="door"), metadata=live.auth)
        assert _files_containing(data_dir, [name])  # the check can see the name
        erased = attendance.ErasePerson(apb.ErasePersonRequest(person_id="ada", reason="left; GDPR art. 17",
                                                               actor="hr"), metadata=live.auth)
        assert erased.events_anonymised == 1
        alias = pseudonym("ada")
        assert attendance.GetPerson(apb.GetPersonRequest(person_id="ada"), metadata=live.auth).person.display_name == alias
        day = clock.now().date().isoformat()
        cards = attendance.GetTimecards(apb.GetTimecardsRequest(from_date=day, to_date=day), metadata=live.auth)
        assert [(c.person_id, c.person_name) for c in cards.timecards] == [("ada", alias)]
        assert _files_containing(data_dir, [name]) == {}, "the name is still on disk while the node runs"
    finally:
        live.stop()
    assert _files_containing(data_dir, [name]) == {}, "the name is still on disk after the node stopped"


@pytest.fixture
def sync_hub(hub_db: str, tmp_path: Path):
    process = HubProcess(hub_db, tmp_path / "hub", free_port())
    yield process
    process.stop()


def test_an_erasure_reaches_the_hub_its_tombstones_and_the_other_boxes(sync_hub, tmp_path, clock):
    """Bob is erased at box a while alive, Ann after her deletion: the hub's roster rows (Ann's tombstone
    included) and box b's copy of Bob hold the pseudonyms, and no event on the hub holds a name."""
    nodes = {}
    for name in ("a", "b"):
        config = node_config(tmp_path / name)
        sync = SyncConfig(enabled=True, hub=sync_hub.address, node_id=name, token=sync_hub.add_node(name),
                          interval_seconds=0.1, backoff_initial_seconds=0.05, backoff_max_seconds=0.3)
        nodes[name] = LiveNode(replace(config, sync=sync, recognition=replace(config.recognition, enabled=False)), clock)
        nodes[name].node.start_workers()
    try:
        a = apb_grpc.AttendanceServiceStub(nodes["a"].channel)
        for person_id, name in (("ann", "Ann Smithers"), ("bob", "Bob Jonesworth")):
            a.UpsertPerson(apb.UpsertPersonRequest(person=apb.Person(person_id=person_id, display_name=name)),
                           metadata=nodes["a"].auth)
            a.RecordScan(apb.RecordScanRequest(person_id=person_id, camera_id="door"), metadata=nodes["a"].auth)
        b_names = nodes["b"].node.store.persons.find
        assert wait_until(lambda: b_names("bob") is not None and b_names("bob").display_name == "Bob Jonesworth", 15)
        a.DeletePerson(apb.DeletePersonRequest(person_id="ann"), metadata=nodes["a"].auth)
        assert wait_until(lambda: sync_hub.sql("SELECT deleted FROM hub_person WHERE person_id = 'ann'") == [(True,)], 15)
        for person_id in ("ann", "bob"):
            a.ErasePerson(apb.ErasePersonRequest(person_id=person_id, reason="GDPR art. 17", actor="hr"),
                          metadata=nodes["a"].auth)

        def hub_names() -> list[tuple]:
            return sync_hub.sql("SELECT person_id, display_name FROM hub_person ORDER BY person_id")
        expected = [("ann", pseudonym("ann")), ("bob", pseudonym("bob"))]
        assert wait_until(lambda: hub_names() == expected, 15), hub_names()
        assert wait_until(lambda: b_names("bob").display_name == pseudonym("bob"), 15), b_names("bob")
        assert sync_hub.sql("SELECT DISTINCT person_name FROM hub_event WHERE person_id IN ('ann', 'bob')") == [("",)]
    finally:
        for live in nodes.values():
            live.stop()
