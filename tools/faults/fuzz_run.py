"""The fuzz run of scripts/fuzz_rpc: a real node (recognition on the shared models) and a real hub as targets."""
from __future__ import annotations

from contextlib import ExitStack
from pathlib import Path

import grpc
from google.protobuf import descriptor_pool
from google.protobuf.descriptor import MethodDescriptor

from tools.faults import people
from tools.faults.fuzz import FuzzResult, FuzzTarget, call_once, run_fuzz
from tools.faults.images import corpus
from tools.faults.procs import create_hub_node, free_port, hub_child, hub_token, node_child, pg_schema
from tools.faults.protogen import MessageStrategies
from edge_node.gen.edge.recognition.v1 import recognition_pb2
from edge_node.gen.edge.sync.v1 import sync_pb2
from edge_node.hub.server import REQUIRED_ROLES as HUB_ROLES, SERVICE_NAME as HUB_SERVICE
from edge_node.rpc.roles import OPEN
from edge_node.server.app import SERVICE_NAMES

FUZZ_NODE = "fuzz-node"
DESTRUCTIVE = ("Delete", "Revoke", "Remove")


def _services(names) -> list:
    pool = descriptor_pool.Default()
    return [pool.FindServiceByName(n) for n in names]


def _bearer(token: str) -> tuple:
    return (("authorization", f"Bearer {token}"),)


def _strategies(blobs: list[bytes], known: dict[str, list[str]]):
    """Known ids for most methods; none for destructive ones, so the known fixtures survive the run."""
    hinted, plain = MessageStrategies(blobs, known), MessageStrategies(blobs)
    return lambda method: plain if method.name.startswith(DESTRUCTIVE) else hinted


def node_target(stack: ExitStack, work: Path, blobs: list[bytes], extra_env: dict[str, str]) -> FuzzTarget:
    child = node_child(work / "node", f"127.0.0.1:{free_port()}", {**people.models_env(), **extra_env}).start(60)
    stack.callback(child.stop)
    token = (work / "node" / "admin.token").read_text().strip()
    with grpc.insecure_channel(child.address) as channel:
        people.add_persons(channel, _bearer(token), ["p1", "p2"])
        photos = people.face_photos()
        if len(photos) >= 3 and "EDGE_NODE_RECOGNITION_MODELS_DIR" in people.models_env():
            people.enroll(channel, _bearer(token), "face-0", photos[:3])
    auths = [_bearer(token)] * 8 + [(), _bearer("wrong"), (("authorization", "Basic x"),)]
    known = {"person_id": ["p1", "p2", "face-0"], "camera_id": ["cam-1"]}
    return FuzzTarget("node", child, _services(SERVICE_NAMES), lambda _m: auths, _strategies(blobs, known))


def hub_target(stack: ExitStack, work: Path, blobs: list[bytes]) -> FuzzTarget:
    database = stack.enter_context(pg_schema())
    child = hub_child(database, work / "hub", f"127.0.0.1:{free_port()}").start(60)
    stack.callback(child.stop)
    admin = hub_token(work / "hub")
    node_token = create_hub_node(child.address, admin, FUZZ_NODE)
    node_auths = [_bearer(node_token)] * 8 + [(), _bearer("wrong"), _bearer(admin)]
    admin_auths = [_bearer(admin)] * 8 + [(), _bearer("wrong"), _bearer(node_token)]

    def metadata(method: MethodDescriptor) -> list[tuple]:
        return node_auths if HUB_ROLES[f"/{HUB_SERVICE}/{method.name}"] == OPEN else admin_auths
    known = {"node_id": [FUZZ_NODE], "installation_id": ["fuzz-box"], "person_id": ["p1", "face-0"]}
    return FuzzTarget("hub", child, _services([HUB_SERVICE]), metadata, _strategies(blobs, known))


def oversized_probes(node: FuzzTarget, hub: FuzzTarget) -> dict[str, str]:
    """Messages just over each server's limit: the status each answers with (RESOURCE_EXHAUSTED expected)."""
    big_image = recognition_pb2.RecognizeRequest(image=b"\xff\xd8" + b"\0" * (9 * 1024 * 1024))
    pool = descriptor_pool.Default()
    recognize = pool.FindMethodByName("edge.recognition.v1.RecognitionService.Recognize")
    big_batch = sync_pb2.PushEventsRequest(node_id=FUZZ_NODE, installation_id="fuzz-box", events=[
        sync_pb2.SyncEvent(seq=i + 1, person_id="p" * 64, camera_id="c" * 64, reason="r" * 200) for i in range(60_000)])
    push = pool.FindMethodByName(f"{HUB_SERVICE}.PushEvents")
    out = {}
    for name, target, method, request in (("node_9MiB_recognize", node, recognize, big_image),
                                          ("hub_17MiB_push", hub, push, big_batch)):
        with grpc.insecure_channel(target.child.address, [("grpc.max_send_message_length", 64 << 20)]) as channel:
            out[name] = call_once(channel, method, request, target.metadata(method)[0])[0]
    return out


def run(work: Path, total_cases: int, run_seed: int, extra_env: dict[str, str] | None = None) -> dict:
    blobs = corpus(people.face_photos(), run_seed)
    with ExitStack() as stack:
        targets = [node_target(stack, work, blobs, extra_env or {}), hub_target(stack, work, blobs)]
        result: FuzzResult = run_fuzz(targets, total_cases, run_seed)
        probes = oversized_probes(*targets)
    return {**result.figures(), "oversized": probes, "seed": run_seed}


def passed(figures: dict) -> bool:
    return (figures["crashes"] == 0 and figures["hangs"] == 0 and figures["bad_statuses"] == 0
            and set(figures["oversized"].values()) == {"RESOURCE_EXHAUSTED"})
