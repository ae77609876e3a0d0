"""Privacy: deleting a person leaves none of their face data on the node's disk: no templates (raw or in the
sync journal) in the SQLite files, no snapshots, no image files."""
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
from tests.conftest import LiveNode, node_config

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
