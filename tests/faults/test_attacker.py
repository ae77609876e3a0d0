"""The attacker's test, RPC part: the box in its own network namespace, listening on its LAN address with the
defaults (TLS, its self-made CA); a LAN host (the root namespace) captures every frame on the link and calls
every RPC with every role's token through the pinned channel the CLI uses.

Asserted: no token ever appears in the captured bytes (while a plain-text control node's token and request do,
so the capture is known to see them); every RPC refuses every role below its own; the chained log names the
owner of the token behind a correction."""
from __future__ import annotations

import argparse

import pytest

from edge_node.client import open_channel
from edge_node.gen.edge.attendance.v1 import attendance_pb2 as pb
from edge_node.gen.edge.attendance.v1 import attendance_pb2_grpc as pb_grpc
from edge_node.gen.edge.node.v1 import node_pb2, node_pb2_grpc
from edge_node.rpc import roles
from edge_node.tokens import TOKENS_FILE, TokenBook
from tests.faults.conftest import bearer
from tests.faults.test_roles import role_problems, role_tokens
from tools.faults.netns import NodeNamespace, unavailable_reason
from tools.faults.procs import free_port, node_child
from tools.faults.sniffer import Sniffer

CONTROL_CANARY, BOX_CANARY = "canary-control-7f3a", "canary-box-c41e"  # person ids, sent in the requests


def _pinned(target: str) -> argparse.Namespace:
    return argparse.Namespace(target=target, tls_ca=None, tls_fingerprint="")


def test_a_lan_host_sees_no_token_and_every_rpc_refuses_every_lower_role(tmp_path, monkeypatch):
    reason = unavailable_reason()
    if reason:
        pytest.skip(f"network namespaces cannot be made here: {reason}")
    monkeypatch.setenv("EDGE_NODE_KNOWN_NODES", str(tmp_path / "known_nodes"))
    with NodeNamespace() as ns:
        box = node_child(tmp_path / "box", f"{ns.node_ip}:{free_port()}", prefix=ns.prefix)
        control = node_child(tmp_path / "control", f"{ns.node_ip}:{free_port()}", prefix=ns.prefix,
                             env={"EDGE_NODE_SERVER_INSECURE": "1"})
        box.start(60)
        control.start(60)
        try:
            admin = (tmp_path / "box" / "admin.token").read_text().strip()
            tokens = role_tokens(tmp_path / "box", admin)
            mia = TokenBook(tmp_path / "box" / TOKENS_FILE).add("mia", "manager")
            control_token = (tmp_path / "control" / "admin.token").read_text().strip()
            with Sniffer(ns.lan_link) as sniffer:
                with open_channel(_pinned(control.address)) as plain:
                    pb_grpc.AttendanceServiceStub(plain).UpsertPerson(pb.UpsertPersonRequest(
                        person=pb.Person(person_id=CONTROL_CANARY, display_name="C")), metadata=bearer(control_token),
                        timeout=10)
                with open_channel(_pinned(box.address)) as channel:
                    wrong, checked = role_problems(channel, tokens)
                    stub = pb_grpc.AttendanceServiceStub(channel)
                    stub.UpsertPerson(pb.UpsertPersonRequest(person=pb.Person(person_id=BOX_CANARY, display_name="C")),
                                      metadata=bearer(mia), timeout=10)
                    scan = stub.RecordScan(pb.RecordScanRequest(person_id=BOX_CANARY), metadata=bearer(mia), timeout=10)
                    voided = stub.VoidPunch(pb.VoidPunchRequest(event_id=scan.event.event_id, reason="test",
                                                                actor="someone-else"), metadata=bearer(mia), timeout=10)
                with open_channel(argparse.Namespace(target=box.address, tls_ca=tmp_path / "box" / "tls" / "ca.pem",
                                                     tls_fingerprint="")) as given_ca:  # the CA file copied over
                    status = node_pb2_grpc.NodeServiceStub(given_ca).GetStatus(
                        node_pb2.GetStatusRequest(), metadata=bearer(tokens[roles.VIEWER]), timeout=10).status
                captured = sniffer.stop()
        finally:
            box.stop()
            control.stop()
    assert wrong == {} and checked >= 4 * 30
    assert voided.event.actor == "mia" and status.version
    # The capture sees the plain-text control's token and request, so it would see the box's if they were in clear.
    assert control_token.encode() in captured and CONTROL_CANARY.encode() in captured
    leaked = [name for name, token in {**{roles.NAME_OF[r]: t for r, t in tokens.items()}, "mia": mia}.items()
              if token.encode() in captured]
    assert leaked == [] and BOX_CANARY.encode() not in captured
