"""The node's channel to the hub: one SyncService stub with the node token on every call."""
from __future__ import annotations

from pathlib import Path

import grpc

from edge_node.gen.edge.sync.v1 import sync_pb2 as pb
from edge_node.gen.edge.sync.v1 import sync_pb2_grpc as pb_grpc
from edge_node.sync.config import SyncConfig

MAX_MESSAGE_BYTES = 16 * 1024 * 1024


class HubClient:
    """Blocking calls with the configured deadline; raises grpc.RpcError on any failure."""

    def __init__(self, config: SyncConfig, token: str) -> None:
        options = [("grpc.max_send_message_length", MAX_MESSAGE_BYTES),
                   ("grpc.max_receive_message_length", MAX_MESSAGE_BYTES)]
        if config.tls:
            roots = Path(config.tls_ca).read_bytes() if config.tls_ca else None
            self._channel = grpc.secure_channel(config.hub, grpc.ssl_channel_credentials(roots), options)
        else:
            self._channel = grpc.insecure_channel(config.hub, options)
        self._stub = pb_grpc.SyncServiceStub(self._channel)
        self._auth = (("authorization", f"Bearer {token}"),)
        self._timeout = config.rpc_timeout_seconds

    def push_events(self, request: pb.PushEventsRequest) -> pb.PushEventsResponse:
        return self._stub.PushEvents(request, metadata=self._auth, timeout=self._timeout)

    def push_roster(self, request: pb.PushRosterRequest) -> pb.PushRosterResponse:
        return self._stub.PushRoster(request, metadata=self._auth, timeout=self._timeout)

    def pull_roster(self, request: pb.PullRosterRequest) -> pb.PullRosterResponse:
        return self._stub.PullRoster(request, metadata=self._auth, timeout=self._timeout)

    def push_schedules(self, request: pb.PushSchedulesRequest) -> pb.PushSchedulesResponse:
        return self._stub.PushSchedules(request, metadata=self._auth, timeout=self._timeout)

    def pull_site_punches(self, request: pb.PullSitePunchesRequest) -> pb.PullSitePunchesResponse:
        return self._stub.PullSitePunches(request, metadata=self._auth, timeout=self._timeout)

    def close(self) -> None:
        self._channel.close()
