"""The attacker's test, RPC part: the box in its own network namespace, listening on its LAN address with the
defaults (TLS, its self-made CA); a LAN host (the root namespace) captures every frame on the link and calls
every RPC with every role's token through the pinned channel the CLI uses.

Asserted: no token ever appears in the captured bytes (while a plain-text control node's token and request do,
so the capture is known to see them); every RPC refuses every role below its own; the chained log names the
owner of the token behind a correction; the box's sync to the hub (pinned with the fingerprint `hub add-node`
printed) carries neither its node token nor its events in clear on the wan link."""
from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

import pytest

from edge_node.cli.node_client import open_channel
from edge_node.gen.edge.attendance.v1 import attendance_pb2 as pb
from edge_node.gen.edge.attendance.v1 import attendance_pb2_grpc as pb_grpc
from edge_node.gen.edge.node.v1 import node_pb2, node_pb2_grpc
from edge_node.rpc import roles
from edge_node.common.tokens import TOKENS_FILE, TokenBook
from tests.faults.conftest import bearer
from tests.faults.test_roles import role_problems, role_tokens
from tools.faults.netns import NodeNamespace, unavailable_reason
from tests.conftest import wait_until
from tools.faults.procs import free_port, hub_child, hub_event_rows, node_child, pg_schema, sync_env
from tools.faults.sniffer import Sniffer

CONTROL_CANARY, BOX_CANARY = "canary-control-7f3a", "canary-box-c41e"  # person ids, sent in the requests


def _pinned(target: str) -> argparse.Namespace:
    return argparse.Namespace(target=target, tls_ca=None, tls_fingerprint="")


def _hub_node(database: str, hub_dir: Path, node_id: str) -> tuple[str, str]:
    """`edge-node hub add-node`: (the node's token, the hub CA's fingerprint it prints)."""
    added = subprocess.run([sys.executable, "-m", "edge_node", "hub", "--database", database, "--data-dir", str(hub_dir),
                            "add-node", node_id], capture_output=True, text=True, timeout=60)
    assert added.returncode == 0, added.stderr
    return added.stdout.strip(), added.stderr.split("hub CA fingerprint: ")[1].split()[0].rstrip(":")


def test_a_lan_host_sees_no_token_and_every_rpc_refuses_every_lower_role(tmp_path, monkeypatch):
    reason = unavailable_reason()
    if reason:
        pytest.skip(f"network namespaces cannot be made here: {reason}")
    monkeypatch.setenv("EDGE_NODE_KNOWN_NODES", str(tmp_path / "known_nodes"))
    with NodeNamespace() as ns, pg_schema() as database, Sniffer(ns.wan_link) as wan:
        hub = hub_child(database, tmp_path / "hub", f"{ns.hub_ip}:{free_port()}").start()  # TLS: beyond loopback
        node_token, hub_fingerprint = _hub_node(database, tmp_path / "hub", "box")
        box = node_child(tmp_path / "box", f"{ns.node_ip}:{free_port()}", prefix=ns.prefix, env={
            **sync_env(hub.address, "box", node_token), "EDGE_NODE_SYNC_TLS_FINGERPRINT": hub_fingerprint})
        control = node_child(tmp_path / "control", f"{ns.node_ip}:{free_port()}", prefix=ns.prefix,
                             env={"EDGE_NODE_SERVER_INSECURE": "1"})
        try:
            box.start(60)
            control.start(60)
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
            synced = wait_until(lambda: [r[1] for r in hub_event_rows(database, "box")].count(BOX_CANARY) == 2,
                                timeout=30)  # the scan and its void
            to_hub = wan.stop()
        finally:
            box.stop()
            control.stop()
            hub.stop()
    assert wrong == {} and checked >= 4 * 30
    assert voided.event.actor == "mia" and status.version
    # The capture sees the plain-text control's token and request, so it would see the box's if they were in clear.
    assert control_token.encode() in captured and CONTROL_CANARY.encode() in captured
    leaked = [name for name, token in {**{roles.NAME_OF[r]: t for r, t in tokens.items()}, "mia": mia}.items()
              if token.encode() in captured]
    assert leaked == [] and BOX_CANARY.encode() not in captured
    # Sync went to the hub over TLS, the hub's CA pinned with the fingerprint `hub add-node` printed.
    assert synced, box.log_tail()
    assert node_token.encode() not in to_hub and BOX_CANARY.encode() not in to_hub and len(to_hub) > 1000
    assert hub_fingerprint in (tmp_path / "box" / "known_hubs").read_text()
