"""The node's channel to the hub: one SyncService stub with the node token on every call, over TLS with the
hub's CA pinned (or given)."""
from __future__ import annotations

import logging
from pathlib import Path

import grpc

from edge_node.gen.edge.sync.v1 import sync_pb2 as pb
from edge_node.gen.edge.sync.v1 import sync_pb2_grpc as pb_grpc
from edge_node.rpc.certs import channel_options
from edge_node.rpc.pinning import KnownNodes, PinRefused, presented_ca
from edge_node.sync.config import SyncConfig

log = logging.getLogger(__name__)

MAX_MESSAGE_BYTES = 16 * 1024 * 1024
# The hub CAs this box pinned, next to its sync token.
KNOWN_HUBS_FILE = "known_hubs"


class HubClient:
    """Blocking calls with the configured deadline; raises grpc.RpcError on any failure.

    Over TLS (the default beyond loopback), the hub's certificate is checked against `tls_ca` when given,
    else against the hub CA pinned in `known_hubs` the first time this box reached the hub (with the
    `tls_fingerprint` the hub printed, when set); a changed CA is refused (PinRefused)."""

    def __init__(self, config: SyncConfig, token: str, known_hubs: Path | None = None) -> None:
        options = [("grpc.max_send_message_length", MAX_MESSAGE_BYTES),
                   ("grpc.max_receive_message_length", MAX_MESSAGE_BYTES)]
        if config.uses_tls:
            ca = Path(config.tls_ca).read_bytes() if config.tls_ca else self._pinned_ca(config, known_hubs)
            options.extend(channel_options(ca))
            self._channel = grpc.secure_channel(config.hub, grpc.ssl_channel_credentials(ca), options)
        else:
            self._channel = grpc.insecure_channel(config.hub, options)
        self._stub = pb_grpc.SyncServiceStub(self._channel)
        self._auth = (("authorization", f"Bearer {token}"),)
        self._timeout = config.rpc_timeout_seconds

    @staticmethod
    def _pinned_ca(config: SyncConfig, known_hubs: Path | None) -> bytes:
        ca = KnownNodes(known_hubs).trusted_ca(config.hub, presented_ca(config.hub), config.tls_fingerprint,
                                               lambda message: log.warning("%s", message))
        if ca is None:
            raise PinRefused(f"the hub {config.hub} answers in plain text; set [sync] insecure = true for that, "
                             "on a trusted network only")
        return ca

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
