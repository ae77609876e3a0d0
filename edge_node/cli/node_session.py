"""A command's connection to a running node: the same address, token and TLS lookup as every other command
(`edge_node.cli.node_client`), and every gRPC failure turned into a CommandError with its exit code
(`edge_node.cli.admin_call.failure`)."""
from __future__ import annotations

import argparse
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Iterator
from zoneinfo import ZoneInfo

import grpc

from edge_node.cli.admin_call import failure
from edge_node.cli.node_client import add_connection_args, admin_token, auth_metadata, open_channel
from edge_node.gen.edge.attendance.v1 import attendance_pb2 as pb
from edge_node.gen.edge.attendance.v1 import attendance_pb2_grpc
from edge_node.gen.edge.recognition.v1 import recognition_pb2_grpc

TIMEOUT_SECONDS = 60

__all__ = ["AdminSession", "add_connection_args", "admin_session"]


@dataclass
class AdminSession:
    """Stubs on one channel to the node, and the metadata that authorises each call."""

    channel: grpc.Channel
    metadata: tuple[tuple[str, str], ...]
    attendance: attendance_pb2_grpc.AttendanceServiceStub
    recognition: recognition_pb2_grpc.RecognitionServiceStub

    def site_zone(self) -> ZoneInfo:
        """The site's time zone, in which the node shows days and times."""
        reply = self.attendance.GetConfig(pb.GetConfigRequest(), metadata=self.metadata, timeout=TIMEOUT_SECONDS)
        return ZoneInfo(reply.config.time_zone or "UTC")


@contextmanager
def admin_session(args: argparse.Namespace) -> Iterator[AdminSession]:
    """A session on the node named by the connection arguments; a gRPC error inside becomes a CommandError."""
    metadata = auth_metadata(admin_token(args))
    with open_channel(args) as channel:
        try:
            yield AdminSession(channel, metadata, attendance_pb2_grpc.AttendanceServiceStub(channel),
                               recognition_pb2_grpc.RecognitionServiceStub(channel))
        except grpc.RpcError as exc:
            raise failure(exc, args) from None
