"""Switching score fusion off and on again needs no re-enrolment: templates carry both recognisers."""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path

import pytest

from edge_node.config import RecognitionConfig
from edge_node.gen.edge.attendance.v1 import attendance_pb2 as apb
from edge_node.gen.edge.attendance.v1 import attendance_pb2_grpc as apb_grpc
from edge_node.gen.edge.recognition.v1 import recognition_pb2 as pb
from edge_node.gen.edge.recognition.v1 import recognition_pb2_grpc as pb_grpc
from edge_node.vision.config import FUSED_MATCH, MatchConfig
from tests.conftest import LiveNode, node_config
from tools.manual_clock import ManualClock

A = "Vladimir_Putin"


def start(data_dir: Path, shared_dir: Path, fusion: bool) -> LiveNode:
    config = node_config(data_dir)
    config = replace(config, recognition=RecognitionConfig(models_dir=str(shared_dir / "models"), fusion=fusion))
    node = LiveNode(config, ManualClock(datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc)))
    assert node.node.recognition is not None, node.node.recognition_error
    return node


def recognise(node: LiveNode, image: bytes) -> pb.RecognizeResponse:
    return pb_grpc.RecognitionServiceStub(node.channel).Recognize(pb.RecognizeRequest(image=image), metadata=node.auth)


def test_templates_enrolled_with_fusion_serve_a_node_without_it_and_back(tmp_path: Path, shared_dir: Path, faces) -> None:
    node = start(tmp_path / "node", shared_dir, fusion=True)
    try:
        apb_grpc.AttendanceServiceStub(node.channel).UpsertPerson(
            apb.UpsertPersonRequest(person=apb.Person(person_id="a", display_name="A")), metadata=node.auth)
        reply = pb_grpc.RecognitionServiceStub(node.channel).Enroll(
            pb.EnrollRequest(person_id="a", images=[faces(A, 0), faces(A, 1)]), metadata=node.auth)
        assert all(r.accepted for r in reply.results)
        stored = node.node.recognition.list_templates("a")
        assert {t.model_id for t in stored} == {node.node.recognition.template_model_id} and "+" in stored[0].model_id
        assert node.node.recognition.match_threshold == pytest.approx(FUSED_MATCH.threshold)
        fused = recognise(node, faces(A, 3))
        assert fused.decision == pb.DECISION_MATCH and fused.faces[0].matches[0].person_id == "a"
    finally:
        node.stop()

    node = start(tmp_path / "node", shared_dir, fusion=False)
    try:
        engine = node.node.recognition
        assert "+" not in engine.model_id and len(engine.gallery) == 2  # SFace's view of the same templates
        assert engine.match_threshold == pytest.approx(MatchConfig().threshold)
        alone = recognise(node, faces(A, 3))
        assert alone.decision == pb.DECISION_MATCH and alone.faces[0].matches[0].person_id == "a"
        assert alone.faces[0].matches[0].score != pytest.approx(fused.faces[0].matches[0].score, abs=1e-3)
    finally:
        node.stop()
