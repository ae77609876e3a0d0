"""Access: every admin RPC (enumerated from the service descriptors) refuses missing or wrong tokens, unpaired
cameras cannot push frames, revoked nodes cannot push to the hub, secrets are 0600, and TLS works end to end
(clients to the node, and node to hub sync) with a CA made here."""
from __future__ import annotations

import http.client
import stat
from dataclasses import replace

import grpc
import pytest
from google.protobuf import descriptor_pool, message_factory

from edge_node.camera_sim.camera_link import CameraLink
from edge_node.capture.config import CaptureConfig
from tools.faults import people
from tools.faults.fuzz import call_once, methods
from tools.faults.procs import create_hub_node, free_port, hub_child, hub_event_rows, hub_token, node_child, sync_env
from edge_node.gen.edge.capture.v1 import capture_pb2, capture_pb2_grpc
from edge_node.gen.edge.sync.v1 import sync_pb2, sync_pb2_grpc
from edge_node.hub.server import OPEN_METHOD_PREFIXES as HUB_OPEN, SERVICE_NAME as HUB_SERVICE
from edge_node.server.app import OPEN_METHOD_PREFIXES as NODE_OPEN, SERVICE_NAMES
from tests.attendance.test_tls import make_ca_and_server_cert
from tests.capture.link_camera import Memory
from tests.conftest import LiveNode, node_config, wait_until
from tests.faults.conftest import bearer

BAD_CREDENTIALS = {"missing": (), "wrong": bearer("not-the-token"), "no_bearer_prefix": None, "empty_bearer": bearer("")}


@pytest.fixture
def node(tmp_path, clock):
    config = node_config(tmp_path / "node")
    config = replace(config, capture=CaptureConfig(listen="127.0.0.1:0", mdns=False))
    live = LiveNode(config, clock)
    live.node.start_workers()  # the camera HTTP ingest
    yield live
    live.stop()


def _guarded(services, open_prefixes) -> list:
    pool = descriptor_pool.Default()
    found = methods([pool.FindServiceByName(n) for n in services])
    return [m for m in found if not f"/{m.containing_service.full_name}/{m.name}".startswith(tuple(open_prefixes))]


def _refusals(channel: grpc.Channel, guarded: list, token: str) -> dict[str, str]:
    """method -> status for every bad credential that was NOT answered with UNAUTHENTICATED."""
    wrong = {}
    for method in guarded:
        request = message_factory.GetMessageClass(method.input_type)()
        for name, metadata in BAD_CREDENTIALS.items():
            status, _ = call_once(channel, method, request, (("authorization", token),) if metadata is None else metadata)
            if status != "UNAUTHENTICATED":
                wrong[f"{method.full_name} ({name})"] = status
    return wrong


def test_every_admin_rpc_of_the_node_needs_the_admin_token(node):
    guarded = _guarded(SERVICE_NAMES, NODE_OPEN)
    assert len(guarded) >= 20 and {m.containing_service.name for m in guarded} >= {
        "AttendanceService", "RecognitionService", "CaptureService", "NodeService"}
    assert _refusals(node.channel, guarded, node.node.admin_token) == {}


def test_every_admin_rpc_of_the_hub_needs_the_hub_admin_token(hub):
    child, _ = hub
    node_token = create_hub_node(child.address, hub_token(child.log_path.parent / "hub"), "site-a")
    guarded = _guarded([HUB_SERVICE], HUB_OPEN)
    assert {m.name for m in guarded} >= {"CreateNode", "RevokeNode", "ListNodes", "QueryEvents", "DeletePerson"}
    with grpc.insecure_channel(child.address) as channel:
        assert _refusals(channel, guarded, node_token) == {}
        node_methods = [m for m in methods([descriptor_pool.Default().FindServiceByName(HUB_SERVICE)])
                        if m not in guarded]
        request = {"PushEvents": sync_pb2.PushEventsRequest, "PushRoster": sync_pb2.PushRosterRequest,
                   "PullRoster": sync_pb2.PullRosterRequest, "PushSchedules": sync_pb2.PushSchedulesRequest,
                   "PullSitePunches": sync_pb2.PullSitePunchesRequest}
        for method in node_methods:  # a node's RPCs: another node's id, or no token, is refused
            for metadata in (bearer(node_token), (), bearer("x")):
                status, _ = call_once(channel, method, request[method.name](node_id="site-b"), metadata)
                assert status == "UNAUTHENTICATED", (method.name, metadata)


def test_a_camera_that_is_not_paired_cannot_push_frames(node):
    stub = capture_pb2_grpc.CaptureServiceStub(node.channel)
    jpeg = people.face_photos()[0] if people.face_photos() else b"\xff\xd8\xff\xd9"
    frame = capture_pb2.PushFrameRequest(camera_id="ghost", session_id=b"s" * 8, sequence=1, mac=b"m" * 32, jpeg=jpeg)
    with pytest.raises(grpc.RpcError) as unknown:
        stub.PushFrame(frame, timeout=5)
    ask_to_pair(stub, "pending")
    with pytest.raises(grpc.RpcError) as pending:
        stub.PushFrame(replace_camera(frame, "pending"), timeout=5)
    assert unknown.value.code() == grpc.StatusCode.NOT_FOUND, unknown.value.details()
    assert pending.value.code() == grpc.StatusCode.FAILED_PRECONDITION, pending.value.details()
    stub.ApproveCamera(capture_pb2.ApproveCameraRequest(camera_id="pending"), metadata=node.auth, timeout=5)
    with pytest.raises(grpc.RpcError) as guessed:  # approved, but this caller does not hold the issued link key
        stub.PushFrame(replace_camera(frame, "pending"), timeout=5)
    assert guessed.value.code() == grpc.StatusCode.UNAUTHENTICATED, guessed.value.details()
    connection = http.client.HTTPConnection("127.0.0.1", node.node.capture.http_port, timeout=5)
    connection.request("POST", "/edge.capture.v1.CaptureService/PushFrame",
                       replace_camera(frame, "pending").SerializeToString(), {"Content-Type": "application/proto"})
    assert connection.getresponse().status == 401
    cameras = stub.ListCameras(capture_pb2.ListCamerasRequest(), metadata=node.auth, timeout=5).cameras
    assert all(c.frames_received == 0 for c in cameras)


def ask_to_pair(stub: capture_pb2_grpc.CaptureServiceStub, camera_id: str) -> None:
    """A new camera's Hellos (over gRPC) until its X25519 exchange is complete and it waits as PENDING."""
    link = CameraLink(camera_id, b"n" * 16, Memory())
    for _ in range(3):
        request = link.hello("1.0")
        if link.answer(request, stub.Hello(request, timeout=5).SerializeToString()).outcome != "AGAIN":
            break
    assert link.pairing_code


def replace_camera(frame: capture_pb2.PushFrameRequest, camera_id: str) -> capture_pb2.PushFrameRequest:
    copy = capture_pb2.PushFrameRequest()
    copy.CopyFrom(frame)
    copy.camera_id = camera_id
    return copy


def test_a_revoked_node_cannot_push_to_the_hub(hub, tmp_path, children):
    child, database = hub
    admin = hub_token(tmp_path / "hub")
    token = create_hub_node(child.address, admin, "site-r")
    node = node_child(tmp_path / "node", f"127.0.0.1:{free_port()}",
                      {**sync_env(child.address, "site-r", token), "EDGE_NODE_RECOGNITION_ENABLED": "0"}).start()
    children.append(node)
    with grpc.insecure_channel(node.address) as channel:
        auth = people.auth_for(tmp_path / "node")
        people.add_persons(channel, auth, ["a", "b"])
        _scans(channel, auth, 3)
        assert wait_until(lambda: len(hub_event_rows(database, "site-r")) == 3, timeout=15)
        with grpc.insecure_channel(child.address) as hub_channel:
            sync_pb2_grpc.SyncServiceStub(hub_channel).RevokeNode(sync_pb2.RevokeNodeRequest(node_id="site-r"),
                                                                  metadata=bearer(admin), timeout=5)
        _scans(channel, auth, 4)
        assert wait_until(lambda: "has been revoked" in node.log_path.read_text(), timeout=15), node.log_tail()
    assert len(hub_event_rows(database, "site-r")) == 3


def _scans(channel: grpc.Channel, auth: tuple, count: int) -> None:
    from tools.faults.load import record_scan_call
    scan = record_scan_call(["a", "b"], auth)
    for _ in range(count):
        scan(channel)


def test_secret_files_are_private(hub, tmp_path, children):
    node = node_child(tmp_path / "node", f"127.0.0.1:{free_port()}", {"EDGE_NODE_RECOGNITION_ENABLED": "0"}).start()
    children.append(node)
    mode = lambda p: stat.S_IMODE(p.stat().st_mode)  # noqa: E731
    assert mode(tmp_path / "node" / "admin.token") == 0o600
    assert mode(tmp_path / "hub" / "hub-admin.token") == 0o600
    # The database holds face templates and camera token hashes: private through its 0700 directory.
    assert mode(tmp_path / "node") == 0o700
    assert all(mode(p) & 0o007 == 0 for p in (tmp_path / "node").glob("edge-node.db*")), \
        {p.name: oct(mode(p)) for p in (tmp_path / "node").glob("edge-node.db*")}


def test_tls_end_to_end_clients_to_node_and_node_to_hub(tmp_path, children):
    from tools.faults.procs import pg_schema
    (tmp_path / "ca").mkdir()
    ca, cert, key = make_ca_and_server_cert(tmp_path / "ca")
    other = tmp_path / "other-ca"
    other.mkdir()
    wrong_ca, _, _ = make_ca_and_server_cert(other)
    credentials = grpc.ssl_channel_credentials(ca.read_bytes())
    tls = {"EDGE_NODE_RECOGNITION_ENABLED": "0"}
    with pg_schema() as database:
        hub = hub_child(database, tmp_path / "hub", f"localhost:{free_port()}",
                        {"EDGE_NODE_HUB_TLS_CERT": str(cert), "EDGE_NODE_HUB_TLS_KEY": str(key)}).start()
        children.append(hub)
        admin = hub_token(tmp_path / "hub")
        sites = {}
        for site, roots in (("site-tls", ca), ("site-wrong-ca", wrong_ca)):
            token = create_hub_node(hub.address, admin, site, credentials)
            env = {**sync_env(hub.address, site, token), **tls, "EDGE_NODE_SYNC_TLS": "1",
                   "EDGE_NODE_SYNC_TLS_CA": str(roots),
                   "EDGE_NODE_SERVER_TLS_CERT": str(cert), "EDGE_NODE_SERVER_TLS_KEY": str(key)}
            sites[site] = node_child(tmp_path / site, f"localhost:{free_port()}", env).start()
            children.append(sites[site])
            with grpc.secure_channel(sites[site].address, credentials) as channel:
                auth = people.auth_for(tmp_path / site)
                people.add_persons(channel, auth, ["a", "b"])
                _scans(channel, auth, 5)
            with grpc.insecure_channel(sites[site].address) as plain, pytest.raises(grpc.RpcError):
                _scans(plain, auth, 1)
        assert wait_until(lambda: len(hub_event_rows(database, "site-tls")) == 5, timeout=20), \
            sites["site-tls"].log_tail()
        assert wait_until(lambda: "UNAVAILABLE" in sites["site-wrong-ca"].log_path.read_text(), timeout=20)
        assert hub_event_rows(database, "site-wrong-ca") == []
