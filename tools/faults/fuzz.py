"""RPC fuzzing: arbitrary requests for every method of every service, sent to a real node and a real hub.

Each call has a deadline; every answer must be a status other than UNKNOWN or INTERNAL, the server must
stay up (a crash is counted and the server restarted), and a unary call must not run into its deadline.
"""
from __future__ import annotations

import http.client
import random
from collections import Counter
from dataclasses import dataclass, field
from typing import Callable, Sequence

import grpc
from google.protobuf import message_factory
from google.protobuf.descriptor import MethodDescriptor, ServiceDescriptor
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st

from tools.faults.procs import Child
from tools.faults.protogen import MessageStrategies

BAD_STATUSES = frozenset({"UNKNOWN", "INTERNAL"})
UNARY_DEADLINE_S = 10.0
STREAM_DEADLINE_S = 1.0


@dataclass
class FuzzTarget:
    """A running server, the services it serves, and the metadata sets to call each method with."""

    name: str
    child: Child
    services: Sequence[ServiceDescriptor]
    metadata: Callable[[MethodDescriptor], list[tuple]]
    strategies: Callable[[MethodDescriptor], MessageStrategies]


@dataclass
class FuzzResult:
    cases: int = 0
    crashes: int = 0
    hangs: int = 0
    statuses: Counter = field(default_factory=Counter)
    per_method: dict[str, int] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)

    @property
    def bad(self) -> int:
        return sum(self.statuses[s] for s in (*BAD_STATUSES, "HTTP_BAD"))

    def figures(self) -> dict:
        return {"cases": self.cases, "crashes": self.crashes, "hangs": self.hangs, "bad_statuses": self.bad,
                "methods": len(self.per_method), "statuses": dict(self.statuses.most_common()),
                "failures": self.failures[:10]}


def methods(services: Sequence[ServiceDescriptor]) -> list[MethodDescriptor]:
    return [m for s in services for m in s.methods]


def call_once(channel: grpc.Channel, method: MethodDescriptor, request, metadata: tuple) -> tuple[str, str]:
    """(status name, details) of one call: "OK" for a reply; "STREAM_OPEN" for a stream still open at its deadline."""
    path = f"/{method.containing_service.full_name}/{method.name}"
    reply_cls = message_factory.GetMessageClass(method.output_type)
    streaming = method.server_streaming
    factory = channel.unary_stream if streaming else channel.unary_unary
    stub = factory(path, request_serializer=lambda m: m.SerializeToString(), response_deserializer=reply_cls.FromString)
    try:
        if streaming:
            replies = stub(request, metadata=metadata, timeout=STREAM_DEADLINE_S)
            next(replies, None)
            replies.cancel()
        else:
            stub(request, metadata=metadata, timeout=UNARY_DEADLINE_S)
    except grpc.RpcError as exc:
        if streaming and exc.code() == grpc.StatusCode.DEADLINE_EXCEEDED:
            return "STREAM_OPEN", ""
        return exc.code().name, exc.details() or ""
    return "OK", ""


def fuzz_method(target: FuzzTarget, channel: grpc.Channel, method: MethodDescriptor, budget: int, run_seed: int,
                result: FuzzResult) -> int:
    """Up to `budget` generated requests to one method (fewer when the request space is smaller); cases run."""
    ran = 0

    @seed(run_seed)
    @settings(max_examples=budget, database=None, phases=[Phase.generate], deadline=None,
              suppress_health_check=list(HealthCheck))
    @given(target.strategies(method).message(method.input_type), st.sampled_from(target.metadata(method)))
    def case(request, metadata: tuple) -> None:
        nonlocal ran
        ran += 1
        status, details = call_once(channel, method, request, metadata)
        if target.child.proc is not None and target.child.proc.poll() is not None:
            result.crashes += 1
            result.failures.append(f"{target.name} {method.full_name}: server exited; request {str(request)[:300]!r}")
            target.child.start(60)
            status = "CRASH"
        elif status == "DEADLINE_EXCEEDED":
            result.hangs += 1
        if status in BAD_STATUSES or status == "DEADLINE_EXCEEDED":
            result.failures.append(f"{target.name} {method.full_name}: {status} {details[:200]!r}; "
                                   f"request {str(request)[:300]!r}")
        result.statuses[status] += 1

    case()
    return ran


def post_once(address: str, path: str, content_type: str, body: bytes) -> str:
    """POST to the camera ingest over HTTP/1.1: "HTTP_<status>", or "TIMEOUT" when no answer came in time."""
    host, _, port = address.rpartition(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=UNARY_DEADLINE_S)
    try:
        connection.request("POST", path, body, {"Content-Type": content_type})
        return f"HTTP_{connection.getresponse().status}"
    except TimeoutError:
        return "TIMEOUT"
    finally:
        connection.close()


def fuzz_http_ingest(target: FuzzTarget, budget: int, run_seed: int, result: FuzzResult) -> int:
    """Fuzzed Hello/PushFrame bodies (and wrong paths, content types and bytes) to the camera's HTTP ingest;
    HTTP 500 (Connect's internal/unknown) or a timeout is a failure."""
    ran = 0
    service = target.services[0].file.pool.FindServiceByName("edge.capture.v1.CaptureService")
    hello, push = service.methods_by_name["Hello"], service.methods_by_name["PushFrame"]
    bodies = st.one_of(target.strategies(hello).message(hello.input_type).map(lambda m: ("Hello", m.SerializeToString())),
                       target.strategies(push).message(push.input_type).map(lambda m: ("PushFrame", m.SerializeToString())),
                       st.tuples(st.sampled_from(["Hello", "PushFrame", "Nope", "../Hello", ""]), st.binary(max_size=512)))
    content_types = st.sampled_from(["application/proto"] * 6 + ["application/json", "", "text/plain; x=\x7f"])

    @seed(run_seed)
    @settings(max_examples=budget, database=None, phases=[Phase.generate], deadline=None,
              suppress_health_check=list(HealthCheck))
    @given(bodies, content_types)
    def case(named_body: tuple[str, bytes], content_type: str) -> None:
        nonlocal ran
        ran += 1
        name, body = named_body
        status = post_once(target.child.capture_address, f"/edge.capture.v1.CaptureService/{name}", content_type, body)
        if status == "TIMEOUT":
            result.hangs += 1
        if status in ("TIMEOUT", "HTTP_500"):
            result.failures.append(f"{target.name} HTTP {name}: {status}; body {body[:100]!r}")
            status = "HTTP_BAD" if status != "TIMEOUT" else status
        result.statuses[status] += 1

    case()
    return ran


def run_fuzz(targets: Sequence[FuzzTarget], total_cases: int, run_seed: int, http_share: float = 0.1) -> FuzzResult:
    """Spread `total_cases` over every method of every target; methods with a small request space give
    their unused share to the ones after them."""
    result = FuzzResult()
    work = [(t, m) for t in targets for m in methods(t.services)]
    work.sort(key=lambda tm: len(tm[1].input_type.fields))
    rng = random.Random(run_seed)
    left = total_cases
    for target in targets:
        if target.child.capture_address:
            ran = fuzz_http_ingest(target, int(total_cases * http_share), rng.randrange(1 << 30), result)
            result.per_method[f"HTTP {target.child.capture_address}"] = ran
            result.cases += ran
            left -= ran
    for index, (target, method) in enumerate(work):
        budget = max(1, left // (len(work) - index))
        with grpc.insecure_channel(target.child.address) as channel:
            ran = fuzz_method(target, channel, method, budget, rng.randrange(1 << 30), result)
        result.per_method[method.full_name] = ran
        result.cases += ran
        left -= ran
    return result
