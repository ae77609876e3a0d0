"""Enrolment at a kiosk camera through RecognitionService.EnrollFromCamera, with a simulated camera
streaming a person's photos to a real node: guidance on the kiosk feed, templates stored, a clean
timeout and a clean cancel."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import grpc
import pytest

from edge_node.gen.edge.attendance.v1 import attendance_pb2
from edge_node.gen.edge.recognition.v1 import recognition_pb2 as rpb
from edge_node.gen.edge.recognition.v1 import recognition_pb2_grpc
from edge_node.common.tokens import TOKENS_FILE, TokenBook
from tests.capture.conftest import CaptureNode, photo_path
from tests.cli.readme import ReadmeShell
from tests.conftest import wait_until

DONE, TIMED_OUT, CANCELLED = (rpb.ENROLLMENT_STATE_DONE, rpb.ENROLLMENT_STATE_TIMED_OUT,
                              rpb.ENROLLMENT_STATE_CANCELLED)


def _person(node: CaptureNode, person_id: str, name: str) -> None:
    node.attendance.UpsertPerson(attendance_pb2.UpsertPersonRequest(
        person=attendance_pb2.Person(person_id=person_id, display_name=name)), metadata=node.auth)


def _enrol(node: CaptureNode, token: str = "", **fields) -> grpc.Future:
    stub = recognition_pb2_grpc.RecognitionServiceStub(node.channel)
    metadata = (("authorization", f"Bearer {token}"),) if token else node.auth
    return stub.EnrollFromCamera(rpb.EnrollFromCameraRequest(**fields), metadata=metadata, timeout=90)


def test_a_person_is_enrolled_at_the_camera_with_guidance(capture_node: CaptureNode, start_sim,
                                                          shared_dir: Path) -> None:
    _person(capture_node, "michelle", "Michelle Kwan")
    start_sim("enrol-1", [photo_path(shared_dir, "Michelle_Kwan", i) for i in range(5)], hold_seconds=0.7,
              gap_seconds=0.0)
    replies = list(_enrol(capture_node, person_id="michelle", camera_id="enrol-1", frames=3, timeout_seconds=60))
    assert replies[-1].state == DONE, replies
    assert replies[-1].template_count == 3 and replies[-1].accepted_frames == 3
    assert replies[0].guidance == "Look straight at the camera" and replies[0].accepted_frames == 0
    assert [r.accepted_frames for r in replies] == sorted(r.accepted_frames for r in replies)
    def shown() -> list[str]:
        return [r.message for r in capture_node.results_of("enrol-1") if r.kind == "ENROLLING"]
    assert wait_until(lambda: shown()[-1] == "Enrolled", 5), shown()
    assert shown()[0] == "Look straight at the camera (0 of 3)"
    probe = photo_path(shared_dir, "Michelle_Kwan", 5).read_bytes()
    found = recognition_pb2_grpc.RecognitionServiceStub(capture_node.channel).Recognize(
        rpb.RecognizeRequest(image=probe), metadata=capture_node.auth)
    assert found.faces[0].matches[0].person_id == "michelle"
    kept = capture_node.attendance.ListEvents(attendance_pb2.ListEventsRequest(
        event_types=[attendance_pb2.EVENT_TYPE_ADMIN]), metadata=capture_node.auth).events
    assert [(e.actor, e.reason) for e in kept] == [  # on the chained log, under the token's owner
        ("admin", "enrolled 3 face template(s) of 'michelle' at camera 'enrol-1'")]


def test_an_enrolment_without_a_usable_face_times_out(capture_node: CaptureNode, start_sim, shared_dir: Path) -> None:
    _person(capture_node, "newbie", "New Person")
    start_sim("enrol-2", [photo_path(shared_dir, "Bill_Gates", 2)])  # someone already enrolled
    replies = list(_enrol(capture_node, person_id="newbie", camera_id="enrol-2", frames=3, timeout_seconds=5))
    assert replies[-1].state == TIMED_OUT and replies[-1].accepted_frames == 0
    assert "this face is already enrolled as 'bill_gates'" in {r.reason for r in replies}
    templates = recognition_pb2_grpc.RecognitionServiceStub(capture_node.channel).ListTemplates(
        rpb.ListTemplatesRequest(person_id="newbie"), metadata=capture_node.auth)
    assert list(templates.templates) == []


def test_cancelling_the_call_cancels_the_enrolment(capture_node: CaptureNode, start_sim, shared_dir: Path) -> None:
    _person(capture_node, "leaver", "Leaves Early")
    start_sim("enrol-3", [])
    call = _enrol(capture_node, person_id="leaver", camera_id="enrol-3", timeout_seconds=60)
    first = next(call)
    assert first.state == rpb.ENROLLMENT_STATE_COLLECTING
    call.cancel()
    assert wait_until(lambda: any(r.message == "Enrolment cancelled" for r in capture_node.results_of("enrol-3")), 5)
    replies = _enrol(capture_node, person_id="leaver", camera_id="enrol-3", timeout_seconds=5)
    assert next(replies).state == rpb.ENROLLMENT_STATE_COLLECTING
    replies.cancel()


def test_camera_enrolment_checks_the_persons_enrolled_faces(capture_node: CaptureNode, start_sim,
                                                              shared_dir: Path) -> None:
    """Someone else in front of the camera: each frame is refused as not the person's enrolled face, and
    nothing is stored; with an override reason (audited) the frames are stored, listed as camera templates
    from that camera."""
    _person(capture_node, "linney", "Laura Linney")
    rec = recognition_pb2_grpc.RecognitionServiceStub(capture_node.channel)
    own = [photo_path(shared_dir, "Laura_Linney", i).read_bytes() for i in (0, 1)]
    assert rec.Enroll(rpb.EnrollRequest(person_id="linney", images=own), metadata=capture_node.auth).template_count == 2
    start_sim("enrol-5", [photo_path(shared_dir, "Kate_Hudson", i) for i in range(5)], hold_seconds=0.7,
              gap_seconds=0.0)
    refused = list(_enrol(capture_node, person_id="linney", camera_id="enrol-5", frames=3, timeout_seconds=8))
    assert refused[-1].state == TIMED_OUT and refused[-1].accepted_frames == 0, refused
    assert any(r.reason.startswith("not the face enrolled for this person") for r in refused), refused
    listed = rec.ListTemplates(rpb.ListTemplatesRequest(person_id="linney"), metadata=capture_node.auth).templates
    assert len(listed) == 2
    hr_anna = TokenBook(capture_node.node.data_dir / TOKENS_FILE).add("hr-anna", "manager")  # the actor on the log
    forced = list(_enrol(capture_node, hr_anna, person_id="linney", camera_id="enrol-5", frames=3, timeout_seconds=60,
                         override_reason="new glasses, badge checked"))
    assert forced[-1].state == DONE and forced[-1].template_count == 5, forced
    listed = rec.ListTemplates(rpb.ListTemplatesRequest(person_id="linney"), metadata=capture_node.auth).templates
    assert sorted((t.kind, t.source) for t in listed) == [("camera", "enrol-5")] * 3 + [("photo", "")] * 2
    admin = capture_node.attendance.ListEvents(attendance_pb2.ListEventsRequest(
        event_types=[attendance_pb2.EVENT_TYPE_ADMIN]), metadata=capture_node.auth).events
    assert any("enrolment override for person 'linney'" in e.reason and e.actor == "hr-anna" for e in admin)
    capture_node.attendance.DeletePerson(attendance_pb2.DeletePersonRequest(person_id="linney"),
                                         metadata=capture_node.auth)  # Kate Hudson's face is free again


@pytest.mark.parametrize("fields, code", [
    ({"person_id": "nobody-here", "camera_id": "enrol-1"}, grpc.StatusCode.NOT_FOUND),
    ({"person_id": "michelle", "camera_id": "no-such-camera"}, grpc.StatusCode.FAILED_PRECONDITION),
    ({"person_id": "michelle", "camera_id": "enrol-1", "frames": 20}, grpc.StatusCode.INVALID_ARGUMENT),
    ({"person_id": "michelle", "camera_id": "enrol-1", "timeout_seconds": 1}, grpc.StatusCode.INVALID_ARGUMENT),
])
def test_bad_requests_get_a_clear_status(capture_node: CaptureNode, fields: dict, code: grpc.StatusCode) -> None:
    _person(capture_node, "michelle", "Michelle Kwan")
    with pytest.raises(grpc.RpcError) as caught:
        list(_enrol(capture_node, **fields))
    assert caught.value.code() == code, caught.value.details()
    assert caught.value.details()


def test_the_cli_enrols_at_a_camera(capture_node: CaptureNode, start_sim, shared_dir: Path) -> None:
    start_sim("enrol-cli", [photo_path(shared_dir, "Kate_Hudson", i) for i in range(5)], hold_seconds=0.7,
              gap_seconds=0.0)
    done = subprocess.run(
        [sys.executable, "-m", "edge_node", "enroll", "--target", capture_node.address,
         "--token", capture_node.node.admin_token, "--person", "kate", "--name", "Kate Hudson",
         "--camera", "enrol-cli", "--frames", "3", "--timeout", "60"],
        capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "enrol-cli: 0/3  Look straight at the camera" and lines[-1] == "kate: 3 template(s)"


def test_the_readme_camera_enrolment_runs_as_written(capture_node: CaptureNode, start_sim, shared_dir: Path,
                                                     tmp_path: Path) -> None:
    _person(capture_node, "emp001", "Ada Lovelace")
    start_sim("door-1", [photo_path(shared_dir, "Cameron_Diaz", i) for i in range(5)], hold_seconds=0.7,
              gap_seconds=0.0)
    readme = ReadmeShell(capture_node.address, capture_node.node.data_dir, tmp_path)
    lines = readme.ok("edge-node enroll --person emp001 --camera door-1").splitlines()
    assert lines[0] == "door-1: 0/5  Look straight at the camera" and lines[-1] == "emp001: 5 template(s)"
    assert capture_node.node.recognition.templates.count("emp001") == 5
