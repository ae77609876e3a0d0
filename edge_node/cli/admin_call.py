"""One admin RPC from a command: connect, call with the token, and turn a gRPC error into one line a person
can act on (which address, which token file, which limit), raised as a CommandError that `edge_node.cli.main`
prints on stderr with its exit code."""
from __future__ import annotations

import argparse
import re
from typing import Callable, TypeVar

import grpc

from edge_node.cli.exits import REFUSED, UNREACHABLE, CommandError
from edge_node.cli.node_client import admin_token, auth_metadata, open_channel, token_source
from edge_node.gen.edge.attendance.v1 import attendance_pb2_grpc

T = TypeVar("T")
TOO_LARGE = re.compile(r"larger than max \((\d+) vs\. (\d+)\)")


class CallFailed(CommandError):
    """The node answered with an error (exit 1); the message is the status and its details."""

    def __init__(self, message: str) -> None:
        super().__init__(message, REFUSED)


class NodeUnreachable(CommandError):
    """No node answers at the address (exit 3); the message names the address and what to check."""

    def __init__(self, message: str) -> None:
        super().__init__(message, UNREACHABLE)


def call_attendance(args: argparse.Namespace, call: Callable[[attendance_pb2_grpc.AttendanceServiceStub, tuple], T]) -> T:
    """Run `call(stub, metadata)` against the node named by the connection arguments."""
    metadata = auth_metadata(admin_token(args))
    with open_channel(args) as channel:
        try:
            return call(attendance_pb2_grpc.AttendanceServiceStub(channel), metadata)
        except grpc.RpcError as exc:
            raise failure(exc, args) from None


def failure(exc: grpc.RpcError, args: argparse.Namespace) -> CallFailed | NodeUnreachable:
    """The error a failed call becomes: NodeUnreachable when nothing answers, else CallFailed with one line."""
    code, details = exc.code(), exc.details() or ""
    if code == grpc.StatusCode.UNAVAILABLE:
        tls = f" with the CA {args.tls_ca}" if getattr(args, "tls_ca", None) else ""
        return NodeUnreachable(f"no node answers at {args.target}{tls} (is `edge-node serve` running there? "
                               "pass --target HOST:PORT or set EDGE_NODE_TARGET)")
    if code == grpc.StatusCode.UNAUTHENTICATED:
        return CallFailed(f"UNAUTHENTICATED: {details} (the token was read from {token_source(args)}; "
                          "`edge-node token --data-dir DIR` prints the token of the node whose data is in DIR)")
    too_large = TOO_LARGE.search(details) if code == grpc.StatusCode.RESOURCE_EXHAUSTED else None
    if too_large:
        sent, limit = (int(n) for n in too_large.groups())
        return CallFailed(f"the request is {sent / 1e6:.1f} MB but the node at {args.target} accepts at most "
                          f"{limit / 1e6:.1f} MB per call (server.max_message_bytes = {limit}): send fewer or "
                          "smaller files")
    if code == grpc.StatusCode.DEADLINE_EXCEEDED:
        return CallFailed(f"the node at {args.target} did not answer in time ({details})")
    return CallFailed(f"{code.name}: {details}")
