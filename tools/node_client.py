"""Enrol and recognise through a running node's gRPC API, as an admin and the kiosk do.

Used by ``scripts/bench_accuracy --node`` to measure the deployed service end to end.
"""

from __future__ import annotations

from collections.abc import Sequence

import grpc

from edge_node.gen.edge.attendance.v1 import attendance_pb2 as apb
from edge_node.gen.edge.attendance.v1 import attendance_pb2_grpc as apb_grpc
from edge_node.gen.edge.recognition.v1 import recognition_pb2 as pb
from edge_node.gen.edge.recognition.v1 import recognition_pb2_grpc as pb_grpc


class NodeClient:
    """A thin client; ``token`` is the node's admin token."""

    def __init__(self, address: str, token: str) -> None:
        self._channel = grpc.insecure_channel(address, options=[("grpc.max_send_message_length", 16 << 20)])
        self._auth = (("authorization", f"Bearer {token}"),)
        self._att = apb_grpc.AttendanceServiceStub(self._channel)
        self._rec = pb_grpc.RecognitionServiceStub(self._channel)

    def enroll(self, person_id: str, images: Sequence[bytes]) -> tuple[int, str]:
        """Create the person and enrol the images: (templates stored, refusal reason or "")."""
        self._att.UpsertPerson(apb.UpsertPersonRequest(person=apb.Person(person_id=person_id, display_name=person_id)),
                               metadata=self._auth)
        try:
            reply = self._rec.Enroll(pb.EnrollRequest(person_id=person_id, images=list(images)), metadata=self._auth)
        except grpc.RpcError as exc:
            return 0, f"{exc.code().name}: {exc.details()}"
        return sum(r.accepted for r in reply.results), ""

    def recognize(self, image: bytes, extra_frames: Sequence[bytes] = ()) -> tuple[str, str]:
        """(decision name such as "MATCH", best person id or "")."""
        reply = self._rec.Recognize(pb.RecognizeRequest(image=image, extra_frames=list(extra_frames)),
                                    metadata=self._auth)
        best = reply.faces[0].matches[0].person_id if reply.faces and reply.faces[0].matches else ""
        return pb.Decision.Name(reply.decision).removeprefix("DECISION_"), best

    def close(self) -> None:
        self._channel.close()
