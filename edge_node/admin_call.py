"""One admin RPC from a command: connect, call with the token, and turn a gRPC error into one line."""
from __future__ import annotations

import argparse
from typing import Callable, TypeVar

import grpc

from edge_node.client import admin_token, auth_metadata, open_channel
from edge_node.gen.edge.attendance.v1 import attendance_pb2_grpc

T = TypeVar("T")


class CallFailed(Exception):
    """The node answered with an error; the message is the status and its details."""


def call_attendance(args: argparse.Namespace, call: Callable[[attendance_pb2_grpc.AttendanceServiceStub, tuple], T]) -> T:
    """Run `call(stub, metadata)` against the node named by the connection arguments."""
    metadata = auth_metadata(admin_token(args))
    with open_channel(args) as channel:
        try:
            return call(attendance_pb2_grpc.AttendanceServiceStub(channel), metadata)
        except grpc.RpcError as exc:
            raise CallFailed(f"error: {exc.code().name}: {exc.details()}") from None
