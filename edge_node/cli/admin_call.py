"""One admin RPC from a command: connect, call with the token, and turn a gRPC error into one line a person
can act on (which address, which token file, which limit)."""
from __future__ import annotations

import argparse
import re
from typing import Callable, TypeVar

import grpc

from edge_node.cli.node_client import admin_token, auth_metadata, open_channel, token_source
from edge_node.gen.edge.attendance.v1 import attendance_pb2_grpc

T = TypeVar("T")
TOO_LARGE = re.compile(r"larger than max \((\d+) vs\. (\d+)\)")


class CallFailed(Exception):
    """The node answered with an error; the message is the status and its details."""


class NodeUnreachable(Exception):
    """No node answers at the address; the message names the address and what to check."""


def call_attendance(args: argparse.Namespace, call: Callable[[attendance_pb2_grpc.AttendanceServiceStub, tuple], T]) -> T:
    """Run `call(stub, metadata)` against the node named by the connection arguments."""
    metadata = auth_metadata(admin_token(args))
    with open_channel(args) as channel:
        try:
            return call(attendance_pb2_grpc.AttendanceServiceStub(channel), metadata)
        except grpc.RpcError as exc:
            raise failure(exc, args) from None


def refusal(exc: grpc.RpcError, args: argparse.Namespace) -> CallFailed:
    """The one line of a call the node refused; raises NodeUnreachable when no node answered at all."""
    error = failure(exc, args)
    if isinstance(error, NodeUnreachable):
        raise error from None
    return error


def failure(exc: grpc.RpcError, args: argparse.Namespace) -> CallFailed | NodeUnreachable:
    """The error a failed call becomes: NodeUnreachable when nothing answers, else CallFailed with one line."""
    code, details = exc.code(), exc.details() or ""
    if code == grpc.StatusCode.UNAVAILABLE:
        tls = f" with the CA {args.tls_ca}" if getattr(args, "tls_ca", None) else ""
        return NodeUnreachable(f"error: no node answers at {args.target}{tls} (is `edge-node serve` running there? "
                               "pass --target HOST:PORT or set EDGE_NODE_TARGET)")
    if code == grpc.StatusCode.UNAUTHENTICATED:
        return CallFailed(f"error: UNAUTHENTICATED: {details} (the token was read from {token_source(args)}; "
                          "`edge-node token --data-dir DIR` prints the token of the node whose data is in DIR)")
    too_large = TOO_LARGE.search(details) if code == grpc.StatusCode.RESOURCE_EXHAUSTED else None
    if too_large:
        sent, limit = (int(n) for n in too_large.groups())
        return CallFailed(f"error: the request is {sent / 1e6:.1f} MB but the node at {args.target} accepts at most "
                          f"{limit / 1e6:.1f} MB per call (server.max_message_bytes = {limit}): send fewer or "
                          "smaller files")
    if code == grpc.StatusCode.DEADLINE_EXCEEDED:
        return CallFailed(f"error: the node at {args.target} did not answer in time ({details})")
    return CallFailed(f"error: {code.name}: {details}")
