"""Enrolment checks the person's enrolled faces: the issue's slip (a different woman's face added to
Amelie Mauresmo's four) is refused with a clear message, an override needs a reason and an actor and
lands on the chained admin log, and an admin lists (when, from where, which kind) and removes templates
through gRPC and the CLI."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import grpc
import pytest

from edge_node.gen.edge.attendance.v1 import attendance_pb2 as apb
from edge_node.gen.edge.attendance.v1 import attendance_pb2_grpc as apb_grpc
from edge_node.gen.edge.recognition.v1 import recognition_pb2 as pb
from edge_node.gen.edge.recognition.v1 import recognition_pb2_grpc as pb_grpc
from edge_node.tokens import TOKENS_FILE, TokenBook

PERSON = "emp001"


def _photos(shared_dir: Path, identity: str) -> list[Path]:
    return sorted((shared_dir / "data" / "faces" / identity).glob("*.jpg"))


@pytest.fixture(scope="module")
def node(recognition_node, shared_dir: Path):
    """emp001 is Amelie Mauresmo, enrolled from four photos."""
    apb_grpc.AttendanceServiceStub(recognition_node.channel).UpsertPerson(
        apb.UpsertPersonRequest(person=apb.Person(person_id=PERSON, display_name="Amelie Mauresmo")),
        metadata=recognition_node.auth)
    four = _photos(shared_dir, "Amelie_Mauresmo")[:4]
    reply = pb_grpc.RecognitionServiceStub(recognition_node.channel).Enroll(pb.EnrollRequest(
        person_id=PERSON, images=[p.read_bytes() for p in four], sources=[p.name for p in four]),
        metadata=recognition_node.auth)
    assert reply.template_count == 4, reply
    return recognition_node


def _enrol(node, path: Path, token: str | None = None, **extra) -> pb.EnrollResponse:
    """Enroll as the admin, or as whoever `token` names."""
    auth = (("authorization", f"Bearer {token}"),) if token else node.auth
    return pb_grpc.RecognitionServiceStub(node.channel).Enroll(
        pb.EnrollRequest(person_id=PERSON, images=[path.read_bytes()], sources=[path.name], **extra), metadata=auth)


def _templates(node) -> list[pb.Template]:
    return list(pb_grpc.RecognitionServiceStub(node.channel).ListTemplates(
        pb.ListTemplatesRequest(person_id=PERSON), metadata=node.auth).templates)


def _refusal(call) -> tuple[grpc.StatusCode, str]:
    with pytest.raises(grpc.RpcError) as info:
        call()
    return info.value.code(), info.value.details()


def test_another_face_is_refused_and_the_persons_own_new_photo_is_taken(node, shared_dir: Path) -> None:
    astronaut = shared_dir / "data" / "misc" / "astronaut.png"
    code, details = _refusal(lambda: _enrol(node, astronaut))
    assert code is grpc.StatusCode.FAILED_PRECONDITION
    assert "image 0 (astronaut.png): similarity" in details and "not the face enrolled for 'emp001'" in details
    assert "Nothing was stored" in details and "override" in details
    diaz = _photos(shared_dir, "Cameron_Diaz")[0]
    assert _refusal(lambda: _enrol(node, diaz))[0] is grpc.StatusCode.FAILED_PRECONDITION
    assert len(_templates(node)) == 4
    probe = pb_grpc.RecognitionServiceStub(node.channel).Recognize(
        pb.RecognizeRequest(image=_photos(shared_dir, "Cameron_Diaz")[2].read_bytes()), metadata=node.auth)
    assert probe.decision != pb.DECISION_MATCH  # the issue: Cameron_Diaz_0003 matched emp001 at 0.548
    own = _enrol(node, _photos(shared_dir, "Amelie_Mauresmo")[4])
    assert own.results[0].accepted and own.template_count == 5


def test_an_override_is_made_by_whoever_the_token_names_and_is_on_the_admin_log(node, shared_dir: Path) -> None:
    astronaut = shared_dir / "data" / "misc" / "astronaut.png"
    before = len(_templates(node))
    anna = TokenBook(node.node.data_dir / TOKENS_FILE).add("hr-anna", "manager")
    forced = _enrol(node, astronaut, anna, override_reason="new haircut, checked her badge")
    assert forced.results[0].accepted and forced.template_count == before + 1
    admin = apb_grpc.AttendanceServiceStub(node.channel).ListEvents(
        apb.ListEventsRequest(event_types=[apb.EVENT_TYPE_ADMIN]), metadata=node.auth).events
    audit = [e for e in admin if "enrolment override for person 'emp001'" in e.reason]
    assert len(audit) == 1 and audit[0].actor == "hr-anna" and "astronaut.png" in audit[0].reason
    assert "reason: new haircut, checked her badge" in audit[0].reason


def test_templates_are_listed_and_removed_from_the_cli(node, shared_dir: Path) -> None:
    listed = _templates(node)
    assert all(t.kind == "photo" and t.source for t in listed)
    slip = next(t for t in listed if t.source == "astronaut.png")

    def cli(*args: str) -> subprocess.CompletedProcess:
        token = node.node.admin_token
        return subprocess.run([sys.executable, "-m", "edge_node", "enroll", "--target", node.address, "--token", token,
                               "--person", PERSON, *args], capture_output=True, text=True, timeout=60)

    shown = cli("--list")
    assert shown.returncode == 0, shown.stderr
    line = next(row for row in shown.stdout.splitlines() if row.startswith(slip.template_id))
    assert "photo" in line and "astronaut.png" in line and "UTC" in line
    assert f"{PERSON}: {len(listed)} template(s)" in shown.stdout
    removed = cli("--remove", slip.template_id)
    assert removed.returncode == 0 and f"{PERSON}: removed 1 template(s)" in removed.stdout, removed.stdout
    assert slip.template_id not in removed.stdout and len(_templates(node)) == len(listed) - 1
    assert cli("--remove", "no-such-template").returncode == 1
