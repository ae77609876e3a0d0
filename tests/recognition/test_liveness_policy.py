"""The site's liveness policy over gRPC: "refuse" (the default) never punches a face the check did
not confirm live; "flag" punches a recognised one with a LIVENESS_DOUBT anomaly for review."""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path

import pytest

from edge_node.common.errors import InvalidArgument
from edge_node.config import RecognitionConfig
from edge_node.gen.edge.attendance.v1 import attendance_pb2 as apb
from edge_node.gen.edge.attendance.v1 import attendance_pb2_grpc as apb_grpc
from edge_node.gen.edge.recognition.v1 import recognition_pb2 as pb
from edge_node.gen.edge.recognition.v1 import recognition_pb2_grpc as pb_grpc
from tests.conftest import LiveNode, node_config
from tools.manual_clock import ManualClock


def _node(tmp: Path, shared_dir: Path, policy: str) -> LiveNode:
    config = node_config(tmp)
    config = replace(config, recognition=RecognitionConfig(models_dir=str(shared_dir / "models"),
                                                           liveness_policy=policy))
    return LiveNode(config, ManualClock(datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc)))


@pytest.mark.parametrize("policy", ["refuse", "flag"])
def test_a_screen_replay_of_an_enrolled_face(tmp_path: Path, shared_dir: Path, policy: str) -> None:
    """The replayed face is enrolled (from the replay itself, as an uploaded photo may be), then shown
    at the door: refused as SPOOF, or punched and flagged."""
    replay = (shared_dir / "data" / "spoof" / "fake" / "sf_replay_01.jpg").read_bytes()
    node = _node(tmp_path, shared_dir, policy)
    try:
        rec, att = pb_grpc.RecognitionServiceStub(node.channel), apb_grpc.AttendanceServiceStub(node.channel)
        att.UpsertPerson(apb.UpsertPersonRequest(person=apb.Person(person_id="r", display_name="R")), metadata=node.auth)
        assert rec.Enroll(pb.EnrollRequest(person_id="r", images=[replay]), metadata=node.auth).results[0].accepted
        reply = rec.Recognize(pb.RecognizeRequest(image=replay, record=True), metadata=node.auth)
        assert not reply.faces[0].liveness.live
        if policy == "refuse":
            assert reply.decision == pb.DECISION_SPOOF and not reply.HasField("attendance")
            return
        assert reply.decision == pb.DECISION_MATCH and reply.faces[0].matches[0].person_id == "r"
        event = reply.attendance.event
        assert event.event_type == apb.EVENT_TYPE_ENTRY
        assert [a.kind for a in event.anomalies] == [apb.ANOMALY_KIND_LIVENESS_DOUBT]
        assert "not confirmed live" in event.anomalies[0].reason
        flagged = att.ListEvents(apb.ListEventsRequest(anomalies_only=True), metadata=node.auth).events
        assert [e.person_id for e in flagged] == ["r"]
        templates = rec.ListTemplates(pb.ListTemplatesRequest(person_id="r"), metadata=node.auth).templates
        assert [t.kind for t in templates] == ["photo"]  # a face not confirmed live is never learned
    finally:
        node.stop()


def test_an_unknown_policy_is_refused_with_the_choices() -> None:
    with pytest.raises(InvalidArgument, match="refuse, flag"):
        RecognitionConfig(liveness_policy="warn").validate()
