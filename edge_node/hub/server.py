"""The hub's gRPC server: SyncService with health, reflection, the admin/node auth split and limits."""
from __future__ import annotations

from dataclasses import dataclass

from grpc import aio
from grpc_health.v1 import health

from edge_node.gen.edge.sync.v1 import sync_pb2, sync_pb2_grpc
from edge_node.hub.hub import Hub
from edge_node.hub.servicer import SyncServicer
from edge_node.rpc.serving import OPEN_HEALTH_AND_REFLECTION, add_health_and_reflection, bind
from edge_node.rpc.access import AccessList
from edge_node.rpc.certs import describe_tls, server_files
from edge_node.rpc.guard import GuardInterceptor
from edge_node.rpc.roles import OPEN, required_roles

SERVICE_NAME = sync_pb2.DESCRIPTOR.services_by_name["SyncService"].full_name
# Each method's role from its `required_role` option; the node RPCs are OPEN: they check the node token themselves.
REQUIRED_ROLES = required_roles((SERVICE_NAME,))
OPEN_METHOD_PREFIXES = (*OPEN_HEALTH_AND_REFLECTION, *(m for m, role in REQUIRED_ROLES.items() if role == OPEN))


@dataclass
class RunningHub:
    server: aio.Server
    port: int
    health: health.aio.HealthServicer
    servicer: SyncServicer
    scheme: str = "plaintext"

    async def stop(self, grace: float) -> None:
        await self.health.enter_graceful_shutdown()
        await self.server.stop(grace)
        self.servicer.close()


async def start_hub_server(hub: Hub) -> RunningHub:
    """Create, bind and start the server; `hub.config.listen` may use port 0."""
    settings = hub.config
    options = [("grpc.max_receive_message_length", settings.max_message_bytes),
               ("grpc.max_send_message_length", settings.max_message_bytes), ("grpc.so_reuseport", 0)]
    access = AccessList(hub.admin_token_source, hub.token_book)
    guard = GuardInterceptor(access, REQUIRED_ROLES, OPEN_HEALTH_AND_REFLECTION)
    server = aio.server(interceptors=[guard], options=options)
    servicer = SyncServicer(hub)
    sync_pb2_grpc.add_SyncServiceServicer_to_server(servicer, server)
    health_servicer = await add_health_and_reflection(server, (SERVICE_NAME,))
    cert, key = server_files(settings.tls_cert, settings.tls_key, settings.uses_tls, hub.tls_dir, "edge-node hub")
    port = bind(server, settings.listen, cert, key)
    await server.start()
    return RunningHub(server, port, health_servicer, servicer, describe_tls(cert, settings.tls_cert))
