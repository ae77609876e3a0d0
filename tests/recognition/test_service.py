"""RecognitionService over gRPC with the real models and photos from ../shared/data."""
from __future__ import annotations

import struct

import cv2
import grpc
import numpy as np
import pytest
from google.protobuf.field_mask_pb2 import FieldMask

from edge_node.gen.edge.attendance.v1 import attendance_pb2 as apb
from edge_node.gen.edge.attendance.v1 import attendance_pb2_grpc as apb_grpc
from edge_node.gen.edge.recognition.v1 import recognition_pb2 as pb
from edge_node.gen.edge.recognition.v1 import recognition_pb2_grpc as pb_grpc
from edge_node.tokens import TOKENS_FILE, TokenBook
from edge_node.vision.config import FUSED_MATCH

A, B = "Vladimir_Putin", "Tim_Duncan"


@pytest.fixture(scope="module")
def rec(recognition_node):
    return pb_grpc.RecognitionServiceStub(recognition_node.channel)


@pytest.fixture(scope="module")
def att(recognition_node):
    return apb_grpc.AttendanceServiceStub(recognition_node.channel)


@pytest.fixture(scope="module")
def enrolled(recognition_node, rec, att, faces):
    """Identities A and B enrolled with their first photo."""
    for person_id, identity in (("a", A), ("b", B)):
        att.UpsertPerson(apb.UpsertPersonRequest(person=apb.Person(person_id=person_id, display_name=identity.replace("_", " "))),
                         metadata=recognition_node.auth)
        reply = rec.Enroll(pb.EnrollRequest(person_id=person_id, images=[faces(identity, 0)]), metadata=recognition_node.auth)
        assert reply.results[0].accepted, reply.results[0].reason
    return recognition_node


def status(call):
    with pytest.raises(grpc.RpcError) as info:
        call()
    return info.value.code(), info.value.details()


def test_enrolled_person_is_recognised_and_recorded(enrolled, rec, faces):
    reply = rec.Recognize(pb.RecognizeRequest(image=faces(A, 2), record=True, camera_id="door"), metadata=enrolled.auth)
    assert reply.decision == pb.DECISION_MATCH
    face = reply.faces[0]
    assert face.matches[0].person_id == "a" and face.matches[0].display_name == "Vladimir Putin"
    assert face.matches[0].score >= FUSED_MATCH.threshold and face.liveness.live and face.quality.ok and len(face.landmarks) == 5
    assert reply.attendance.event.event_type == apb.EVENT_TYPE_ENTRY and reply.attendance.event.camera_id == "door"


def test_impostor_is_unknown_and_not_recorded_as_attendance(enrolled, rec, att, shared_dir):
    impostor = next((shared_dir / "data" / "faces_singletons" / "Tara_Reid").glob("*.jpg")).read_bytes()
    reply = rec.Recognize(pb.RecognizeRequest(image=impostor, record=True), metadata=enrolled.auth)
    assert reply.decision == pb.DECISION_UNKNOWN and not reply.HasField("attendance")
    unknown = att.ListEvents(apb.ListEventsRequest(event_types=[apb.EVENT_TYPE_UNKNOWN_FACE]), metadata=enrolled.auth).events
    assert len(unknown) >= 1 and unknown[0].person_id == ""


def test_spoof_sample_is_spoof(enrolled, rec, shared_dir):
    fake = (shared_dir / "data" / "spoof" / "fake" / "sf_replay_01.jpg").read_bytes()
    reply = rec.Recognize(pb.RecognizeRequest(image=fake), metadata=enrolled.auth)
    assert reply.decision == pb.DECISION_SPOOF and not reply.faces[0].liveness.live


def test_no_face_image(enrolled, rec, shared_dir):
    reply = rec.Recognize(pb.RecognizeRequest(image=(shared_dir / "data" / "noface" / "chelsea.png").read_bytes()), metadata=enrolled.auth)
    assert reply.decision == pb.DECISION_NO_FACE and len(reply.faces) == 0


def test_enrolling_someone_elses_face_is_refused_unless_allowed(enrolled, rec, att, faces):
    att.UpsertPerson(apb.UpsertPersonRequest(person=apb.Person(person_id="c", display_name="C")), metadata=enrolled.auth)
    code, details = status(lambda: rec.Enroll(pb.EnrollRequest(person_id="c", images=[faces(A, 1)]), metadata=enrolled.auth))
    assert code is grpc.StatusCode.FAILED_PRECONDITION and "'a'" in details
    assert len(rec.ListTemplates(pb.ListTemplatesRequest(person_id="c"), metadata=enrolled.auth).templates) == 0
    allowed = rec.Enroll(pb.EnrollRequest(person_id="c", images=[faces(A, 1)], allow_duplicate=True), metadata=enrolled.auth)
    assert allowed.results[0].accepted and allowed.template_count == 1
    att.DeletePerson(apb.DeletePersonRequest(person_id="c"), metadata=enrolled.auth)


def test_a_batch_of_two_people_is_refused_as_invalid_argument(enrolled, rec, att, faces):
    att.UpsertPerson(apb.UpsertPersonRequest(person=apb.Person(person_id="e", display_name="E")), metadata=enrolled.auth)
    mixed = [faces("Hosni_Mubarak", 0), faces("Yao_Ming", 0), faces("Hosni_Mubarak", 1)]
    code, details = status(lambda: rec.Enroll(pb.EnrollRequest(person_id="e", images=mixed), metadata=enrolled.auth))
    assert code is grpc.StatusCode.INVALID_ARGUMENT and "image 1" in details and "same person" in details
    assert len(rec.ListTemplates(pb.ListTemplatesRequest(person_id="e"), metadata=enrolled.auth).templates) == 0
    same = rec.Enroll(pb.EnrollRequest(person_id="e", images=[mixed[0], mixed[2]]), metadata=enrolled.auth)
    assert same.template_count == 2
    att.DeletePerson(apb.DeletePersonRequest(person_id="e"), metadata=enrolled.auth)


def test_a_photo_with_other_faces_is_enrolled_only_when_the_batch_vouches_for_it(enrolled, rec, att, faces):
    """Yao_Ming's third photo shows other people: alone, its largest face is the centred subject and
    is enrolled; beside his clear photos its largest face is confirmed as him and enrolled; beside a
    stranger's photo it stays refused. Two crowded photos whose largest faces agree vouch for each other."""
    att.UpsertPerson(apb.UpsertPersonRequest(person=apb.Person(person_id="y", display_name="Y")), metadata=enrolled.auth)
    crowded = faces("Yao_Ming", 2)
    alone = rec.Enroll(pb.EnrollRequest(person_id="y", images=[crowded]), metadata=enrolled.auth)
    assert alone.results[0].accepted and "in the middle of the photo" in alone.results[0].reason
    rec.DeleteTemplates(pb.DeleteTemplatesRequest(person_id="y"), metadata=enrolled.auth)
    stranger = rec.Enroll(pb.EnrollRequest(person_id="y", images=[faces("Hosni_Mubarak", 0), crowded]),
                          metadata=enrolled.auth)
    assert stranger.results[0].accepted and not stranger.results[1].accepted
    rec.DeleteTemplates(pb.DeleteTemplatesRequest(person_id="y"), metadata=enrolled.auth)
    vouched = rec.Enroll(pb.EnrollRequest(person_id="y", images=[faces("Yao_Ming", 0), faces("Yao_Ming", 1), crowded]),
                         metadata=enrolled.auth)
    assert all(r.accepted for r in vouched.results) and vouched.template_count == 3
    assert "largest" in vouched.results[2].reason
    att.UpsertPerson(apb.UpsertPersonRequest(person=apb.Person(person_id="j", display_name="J")), metadata=enrolled.auth)
    both = [faces("Mike_Tyson", 1), faces("Luis_Figo", 2)]  # two crowded photos of two people
    assert not any(r.accepted for r in rec.Enroll(pb.EnrollRequest(person_id="j", images=both),
                                                  metadata=enrolled.auth).results)
    crowded_only = [faces("Jesse_Jackson", i, "lfw_dev/faces") for i in range(3)]  # each shows others too
    assert all(r.accepted for r in rec.Enroll(pb.EnrollRequest(person_id="j", images=crowded_only),
                                              metadata=enrolled.auth).results)
    att.DeletePerson(apb.DeletePersonRequest(person_id="y"), metadata=enrolled.auth)
    att.DeletePerson(apb.DeletePersonRequest(person_id="j"), metadata=enrolled.auth)


def test_a_refused_crowded_photo_of_someone_enrolled_does_not_block_the_rest_of_the_batch(enrolled, rec, att, faces):
    """The refused image's face is someone already enrolled: it stays refused, and is not a duplicate."""
    for person_id in ("f", "h"):
        att.UpsertPerson(apb.UpsertPersonRequest(person=apb.Person(person_id=person_id, display_name=person_id)),
                         metadata=enrolled.auth)
    rec.Enroll(pb.EnrollRequest(person_id="f", images=[faces("Luis_Figo", 0), faces("Luis_Figo", 1)]),
               metadata=enrolled.auth)
    reply = rec.Enroll(pb.EnrollRequest(person_id="h", images=[faces("Hosni_Mubarak", 0), faces("Luis_Figo", 2)]),
                       metadata=enrolled.auth)
    assert [r.accepted for r in reply.results] == [True, False] and reply.template_count == 1
    assert "more than one face" in reply.results[1].reason
    for person_id in ("f", "h"):
        att.DeletePerson(apb.DeletePersonRequest(person_id=person_id), metadata=enrolled.auth)


def test_enroll_needs_an_existing_person_and_reports_quality(enrolled, rec, faces):
    assert status(lambda: rec.Enroll(pb.EnrollRequest(person_id="nobody", images=[faces(A, 0)]), metadata=enrolled.auth))[0] is grpc.StatusCode.NOT_FOUND
    image = cv2.imdecode(np.frombuffer(faces(B, 1), np.uint8), cv2.IMREAD_COLOR)
    tiny = cv2.imencode(".jpg", cv2.resize(image, (60, 60)))[1].tobytes()
    reply = rec.Enroll(pb.EnrollRequest(person_id="b", images=[tiny, faces(B, 1)]), metadata=enrolled.auth)
    assert not reply.results[0].accepted and reply.results[0].reason
    assert reply.results[1].accepted and reply.template_count == 2


def test_templates_list_delete_and_person_delete(enrolled, rec, att, faces):
    att.UpsertPerson(apb.UpsertPersonRequest(person=apb.Person(person_id="d", display_name="D")), metadata=enrolled.auth)
    enrolled_d = rec.Enroll(pb.EnrollRequest(person_id="d", images=[faces("Hosni_Mubarak", 0), faces("Hosni_Mubarak", 1)]),
                            metadata=enrolled.auth)
    ids = [r.template_id for r in enrolled_d.results if r.accepted]
    listed = rec.ListTemplates(pb.ListTemplatesRequest(person_id="d"), metadata=enrolled.auth).templates
    assert sorted(t.template_id for t in listed) == sorted(ids) and listed[0].model_id.startswith("sface")
    assert att.GetPerson(apb.GetPersonRequest(person_id="d"), metadata=enrolled.auth).person.template_count == len(ids)
    assert status(lambda: rec.DeleteTemplates(pb.DeleteTemplatesRequest(person_id="d", template_ids=["nope"]), metadata=enrolled.auth))[0] is grpc.StatusCode.NOT_FOUND
    assert rec.DeleteTemplates(pb.DeleteTemplatesRequest(person_id="d", template_ids=ids[:1]), metadata=enrolled.auth).deleted == 1
    probe = faces("Hosni_Mubarak", 2)
    assert rec.Recognize(pb.RecognizeRequest(image=probe), metadata=enrolled.auth).faces[0].matches[0].person_id == "d"
    deleted = att.DeletePerson(apb.DeletePersonRequest(person_id="d"), metadata=enrolled.auth)
    assert deleted.templates_deleted == len(ids) - 1
    after = rec.Recognize(pb.RecognizeRequest(image=probe), metadata=enrolled.auth)
    assert all(m.person_id != "d" for m in after.faces[0].matches) and after.decision == pb.DECISION_UNKNOWN
    assert status(lambda: rec.ListTemplates(pb.ListTemplatesRequest(person_id="d"), metadata=enrolled.auth))[0] is grpc.StatusCode.NOT_FOUND


def test_match_threshold_from_update_config(enrolled, rec, att, faces):
    strict = apb.UpdateConfigRequest(config=apb.NodeConfig(match_threshold=0.99), update_mask=FieldMask(paths=["match_threshold"]))
    att.UpdateConfig(strict, metadata=enrolled.auth)
    try:
        assert rec.Recognize(pb.RecognizeRequest(image=faces(A, 3)), metadata=enrolled.auth).decision == pb.DECISION_UNKNOWN
        assert enrolled.node.recognition.match_threshold == pytest.approx(0.99)
    finally:  # 0: back to the threshold calibrated for the recognisers in use (SFace + the second one)
        att.UpdateConfig(apb.UpdateConfigRequest(config=apb.NodeConfig(match_threshold=0.0),
                                                 update_mask=FieldMask(paths=["match_threshold"])), metadata=enrolled.auth)
    assert enrolled.node.recognition.match_threshold == pytest.approx(FUSED_MATCH.threshold)
    assert rec.Recognize(pb.RecognizeRequest(image=faces(A, 3)), metadata=enrolled.auth).decision == pb.DECISION_MATCH


def _huge_dimensions(jpeg: bytes, width: int, height: int) -> bytes:
    """The same JPEG with its SOF0 header claiming another size (a decompression bomb's trick)."""
    data = bytearray(jpeg)
    at = data.find(b"\xff\xc0")
    data[at + 5:at + 9] = struct.pack(">HH", height, width)
    return bytes(data)


def test_bad_images_get_clear_statuses_and_the_node_keeps_serving(enrolled, rec, faces):
    jpeg = faces(A, 2)
    cases = {
        "empty": b"",
        "not an image": b"hello, this is not a picture" * 10,
        "truncated": jpeg[: len(jpeg) // 2],
        "10000x10000": _huge_dimensions(jpeg, 10000, 10000),
    }
    for name, data in cases.items():
        code, details = status(lambda: rec.Recognize(pb.RecognizeRequest(image=data), metadata=enrolled.auth))
        assert code in (grpc.StatusCode.INVALID_ARGUMENT, grpc.StatusCode.RESOURCE_EXHAUSTED), name
        assert details.startswith("image:"), (name, details)
    too_big = jpeg + b"\0" * (4 * 1024 * 1024)
    assert status(lambda: rec.Recognize(pb.RecognizeRequest(image=too_big), metadata=enrolled.auth))[0] is grpc.StatusCode.RESOURCE_EXHAUSTED
    assert status(lambda: rec.Recognize(pb.RecognizeRequest(image=jpeg, top_k=50), metadata=enrolled.auth))[0] is grpc.StatusCode.INVALID_ARGUMENT
    gray = cv2.imencode(".png", cv2.imdecode(np.frombuffer(jpeg, np.uint8), cv2.IMREAD_GRAYSCALE))[1].tobytes()
    # a grey photo of a photo: matched, or not confirmed live (spoof, or "look again" when liveness is not sure)
    assert rec.Recognize(pb.RecognizeRequest(image=gray), metadata=enrolled.auth).decision in (
        pb.DECISION_MATCH, pb.DECISION_SPOOF, pb.DECISION_LOW_QUALITY)
    png = cv2.imencode(".png", cv2.imdecode(np.frombuffer(jpeg, np.uint8), cv2.IMREAD_COLOR))[1].tobytes()
    assert rec.Recognize(pb.RecognizeRequest(image=png), metadata=enrolled.auth).decision == pb.DECISION_MATCH


def test_recognition_fails_closed_without_verified_models(tmp_path, clock, shared_dir):
    from dataclasses import replace

    from edge_node.config import RecognitionConfig
    from grpc_health.v1 import health_pb2, health_pb2_grpc
    from tests.conftest import LiveNode, node_config

    models = tmp_path / "models"
    (models / "ort_compat").mkdir(parents=True)
    for name in ("yunet_s_dynamic.onnx", "2.7_80x80_MiniFASNetV2.onnx", "4_0_0_80x80_MiniFASNetV1SE.onnx"):
        (models / name).write_bytes((shared_dir / "models" / name).read_bytes())
    corrupt = bytearray((shared_dir / "models" / "ort_compat" / "face_recognition_sface_2021dec_int8bq_ort.onnx").read_bytes())
    corrupt[1000] ^= 0xFF
    (models / "ort_compat" / "face_recognition_sface_2021dec_int8bq_ort.onnx").write_bytes(bytes(corrupt))
    config = replace(node_config(tmp_path / "n"), recognition=RecognitionConfig(models_dir=str(models)))
    node = LiveNode(config, clock)
    try:
        stub = pb_grpc.RecognitionServiceStub(node.channel)
        code, details = status(lambda: stub.Recognize(pb.RecognizeRequest(image=b"x"), metadata=node.auth))
        assert code is grpc.StatusCode.UNAVAILABLE and "sface" in details.lower() and "models fetch" in details
        health = health_pb2_grpc.HealthStub(node.channel).Check(
            health_pb2.HealthCheckRequest(service="edge.recognition.v1.RecognitionService"))
        assert health.status == health_pb2.HealthCheckResponse.NOT_SERVING
        assert apb_grpc.AttendanceServiceStub(node.channel).ListPersons(apb.ListPersonsRequest(), metadata=node.auth).total_size == 0
    finally:
        node.stop()


def test_an_enrolment_is_kept_on_the_chained_log_under_the_tokens_owner(enrolled, rec, att, faces):
    desk = (("authorization", f"Bearer {TokenBook(enrolled.node.data_dir / TOKENS_FILE).add('enrol-desk', 'manager')}"),)
    att.UpsertPerson(apb.UpsertPersonRequest(person=apb.Person(person_id="d", display_name="D")), metadata=desk)
    reply = rec.Enroll(pb.EnrollRequest(person_id="d", images=[faces(B, 1)], allow_duplicate=True), metadata=desk)
    assert reply.results[0].accepted
    newest = att.ListEvents(apb.ListEventsRequest(event_types=[apb.EVENT_TYPE_ADMIN], page_size=1), metadata=desk).events[0]
    assert (newest.actor, newest.reason) == ("enrol-desk", "enrolled 1 face template(s) of 'd'")
    att.DeletePerson(apb.DeletePersonRequest(person_id="d"), metadata=desk)
