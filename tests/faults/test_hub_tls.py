"""The hub with TLS and its own CA: a node's sync pins that CA (with the fingerprint the hub printed) and
pushes; a node expecting another fingerprint pushes nothing; `hub add-node` prints that fingerprint; the hub's
people's tokens get their roles, and a rotated hub admin token works at once."""
from __future__ import annotations

import subprocess
import sys

import grpc
import pytest

from edge_node.gen.edge.sync.v1 import sync_pb2, sync_pb2_grpc
from edge_node.rpc.certs import HUB_TLS_DIR, fingerprint
from edge_node.common.tokens import HUB_TOKENS_FILE, TokenBook
from tests.conftest import wait_until
from tests.faults.conftest import bearer
from tools.faults import people
from tools.faults.load import record_scan_call
from tools.faults.procs import create_hub_node, free_port, hub_child, hub_event_rows, hub_token, node_child, pg_schema, \
    sync_env


def test_sync_pins_the_hubs_own_ca_and_refuses_another(tmp_path, children):
    with pg_schema() as database:
        hub = hub_child(database, tmp_path / "hub", f"127.0.0.1:{free_port()}", {"EDGE_NODE_HUB_TLS": "1"}).start()
        children.append(hub)
        ca = (tmp_path / "hub" / HUB_TLS_DIR / "ca.pem").read_bytes()
        credentials = grpc.ssl_channel_credentials(ca)
        admin = hub_token(tmp_path / "hub")
        for site, expected in (("site-pinned", fingerprint(ca)), ("site-other", "AB:" * 31 + "AB")):
            token = create_hub_node(hub.address, admin, site, credentials)
            env = {**sync_env(hub.address, site, token), "EDGE_NODE_RECOGNITION_ENABLED": "0",
                   "EDGE_NODE_SYNC_TLS": "1", "EDGE_NODE_SYNC_TLS_FINGERPRINT": expected}
            node = node_child(tmp_path / site, f"127.0.0.1:{free_port()}", env).start()
            children.append(node)
            with grpc.insecure_channel(node.address) as channel:
                auth = people.auth_for(tmp_path / site)
                people.add_persons(channel, auth, ["a", "b"])
                scan = record_scan_call(["a", "b"], auth)
                for _ in range(3):
                    scan(channel)
        assert wait_until(lambda: len(hub_event_rows(database, "site-pinned")) == 3, timeout=20), \
            children[1].log_tail()
        assert fingerprint(ca) in (tmp_path / "site-pinned" / "known_hubs").read_text()
        other = children[2]
        assert wait_until(lambda: "someone may be intercepting" in other.log_path.read_text(), timeout=20)
        assert hub_event_rows(database, "site-other") == [] and not (tmp_path / "site-other" / "known_hubs").exists()

        added = subprocess.run([sys.executable, "-m", "edge_node", "hub", "--database", database, "--data-dir",
                                str(tmp_path / "hub"), "add-node", "site-cli"], capture_output=True, text=True, timeout=60)
        assert added.returncode == 0 and f"hub CA fingerprint: {fingerprint(ca)}" in added.stderr, added.stderr
        viewer = TokenBook(tmp_path / "hub" / HUB_TOKENS_FILE).add("auditor", "viewer")
        with grpc.secure_channel(hub.address, credentials) as channel:
            stub = sync_pb2_grpc.SyncServiceStub(channel)
            assert stub.QueryEvents(sync_pb2.QueryEventsRequest(), metadata=bearer(viewer), timeout=10).events
            with pytest.raises(grpc.RpcError) as refused:
                stub.CreateNode(sync_pb2.CreateNodeRequest(node_id="x"), metadata=bearer(viewer), timeout=10)
            assert refused.value.code() is grpc.StatusCode.PERMISSION_DENIED and "admin" in refused.value.details()
            rotated = subprocess.run([sys.executable, "-m", "edge_node", "token", "--hub", "--rotate", "--data-dir",
                                      str(tmp_path / "hub")], capture_output=True, text=True, timeout=60).stdout.strip()
            listing = sync_pb2.ListNodesRequest()
            assert stub.ListNodes(listing, metadata=bearer(rotated), timeout=10).nodes  # no restart needed
            with pytest.raises(grpc.RpcError) as old:
                stub.ListNodes(listing, metadata=bearer(admin), timeout=10)
            assert old.value.code() is grpc.StatusCode.UNAUTHENTICATED
