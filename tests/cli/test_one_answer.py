"""One answer everywhere: `edge-node who-is-in` (GetWhoIsIn) and the kiosk give the same "IN since" for a
person who came in, went out and came back: the open punch, not the day's first."""
from __future__ import annotations

import json
import subprocess
import sys
from datetime import datetime

from google.protobuf.timestamp_pb2 import Timestamp

from edge_node.gen.edge.attendance.v1 import attendance_pb2 as pb
from edge_node.gen.edge.attendance.v1 import attendance_pb2_grpc
from edge_node.kiosk.page_server import KioskServer
from tests.conftest import REPO


def _scan(stub, auth, person: str, hhmm: str) -> str:
    at = Timestamp()
    at.FromDatetime(datetime.fromisoformat(f"2026-11-23T{hhmm}:00+00:00"))
    reply = stub.RecordScan(pb.RecordScanRequest(person_id=person, occurred_at=at), metadata=auth)
    return pb.EventType.Name(reply.event.event_type)


def test_who_is_in_and_the_kiosk_say_in_since_the_open_punch(live_node):
    stub = attendance_pb2_grpc.AttendanceServiceStub(live_node.channel)
    stub.UpsertPerson(pb.UpsertPersonRequest(person=pb.Person(person_id="ann", display_name="Ann Lee")),
                      metadata=live_node.auth)
    assert [_scan(stub, live_node.auth, "ann", t) for t in ("08:42", "08:45", "08:51")] == \
        ["EVENT_TYPE_ENTRY", "EVENT_TYPE_EXIT", "EVENT_TYPE_ENTRY"]

    done = subprocess.run([sys.executable, "-m", "edge_node", "who-is-in", "--json", "--target", live_node.address,
                           "--data-dir", str(live_node.node.data_dir)], capture_output=True, text=True, cwd=REPO,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    assert [(p["person_id"], p["since"]) for p in json.loads(done.stdout)] == [("ann", "2026-11-23T08:51:00+00:00")]

    kiosk = KioskServer(live_node.node, live_node.config.kiosk)
    kiosk.start()
    try:
        assert kiosk.presence("ann", "DUPLICATE") == {"state": "IN", "since": "08:51"}
    finally:
        kiosk.stop()
