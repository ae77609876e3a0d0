"""Environment for `edge-node serve` in these tests: every extra listener on a free loopback port, no mDNS;
and recording scans on a running node over gRPC."""
from __future__ import annotations

import grpc

from edge_node.gen.edge.attendance.v1 import attendance_pb2 as apb
from edge_node.gen.edge.attendance.v1 import attendance_pb2_grpc
from tests.conftest import LOOPBACK_ENV as NODE_ENV

__all__ = ["NODE_ENV", "record_scans"]


def record_scans(address: str, token: str, scans: list[tuple[str, str]]) -> None:
    """Create the person "ada", then RecordScan each (person_id, camera_id) in order."""
    with grpc.insecure_channel(address) as channel:
        stub = attendance_pb2_grpc.AttendanceServiceStub(channel)
        auth = (("authorization", f"Bearer {token}"),)
        stub.UpsertPerson(apb.UpsertPersonRequest(person=apb.Person(person_id="ada", display_name="Ada",
                                                                    active=True)), metadata=auth, timeout=10)
        for person_id, camera_id in scans:
            stub.RecordScan(apb.RecordScanRequest(person_id=person_id, camera_id=camera_id), metadata=auth,
                            timeout=10)
