"""Builds the gRPC server (grpc.aio): every service on one port, with health, reflection, auth and limits."""
from __future__ import annotations

import asyncio
import threading
from dataclasses import dataclass

from grpc import aio
from grpc_health.v1 import health, health_pb2

from edge_node.config import ServerConfig
from edge_node.gen.edge.attendance.v1 import attendance_pb2, attendance_pb2_grpc
from edge_node.gen.edge.capture.v1 import capture_pb2, capture_pb2_grpc
from edge_node.gen.edge.node.v1 import node_pb2
from edge_node.gen.edge.recognition.v1 import recognition_pb2, recognition_pb2_grpc
from edge_node.node import Node
from edge_node.server.attendance_servicer import AttendanceServicer
from edge_node.server import capture_servicer
from edge_node.rpc.serving import OPEN_HEALTH_AND_REFLECTION, add_health_and_reflection, bind
from edge_node.rpc.access import AccessList
from edge_node.rpc.certs import TLS_DIR, describe_tls, server_files
from edge_node.rpc.guard import GuardInterceptor
from edge_node.rpc.roles import OPEN, required_roles
from edge_node.server import node_servicer
from edge_node.server.recognition_servicer import RecognitionServicer
from edge_node.status.collect import StatusCollector
from edge_node.common.tokens import TOKENS_FILE, TokenBook

SERVICE_NAMES = (
    attendance_pb2.DESCRIPTOR.services_by_name["AttendanceService"].full_name,
    recognition_pb2.DESCRIPTOR.services_by_name["RecognitionService"].full_name,
    capture_pb2.DESCRIPTOR.services_by_name["CaptureService"].full_name,
    node_pb2.DESCRIPTOR.services_by_name["NodeService"].full_name,
)
# Each method's role, from its `required_role` option (the camera protocol is OPEN: its frames carry a MAC).
REQUIRED_ROLES = required_roles(SERVICE_NAMES)
OPEN_METHOD_PREFIXES = (*OPEN_HEALTH_AND_REFLECTION, *(m for m, role in REQUIRED_ROLES.items() if role == OPEN))


@dataclass
class RunningServer:
    server: aio.Server
    port: int
    health: health.aio.HealthServicer
    closing: asyncio.Event
    # How clients reach it: "plaintext", or "TLS" and the CA's fingerprint for the self-made certificate.
    scheme: str = "plaintext"

    async def stop(self, grace: float) -> None:
        """Report NOT_SERVING, end the open watch streams, and let unary RPCs finish for up to `grace` seconds."""
        await self.health.enter_graceful_shutdown()
        self.closing.set()
        await self.server.stop(grace)


async def start_server(node: Node, settings: ServerConfig) -> RunningServer:
    """Create, bind and start the server; `settings.listen` may use port 0 for any free port."""
    limits = [("grpc.max_receive_message_length", settings.max_message_bytes),
              ("grpc.max_send_message_length", settings.max_message_bytes),
              ("grpc.so_reuseport", 0)]
    access = AccessList(node.admin_token_source(), TokenBook(node.data_dir / TOKENS_FILE))
    guard = GuardInterceptor(access, REQUIRED_ROLES, OPEN_HEALTH_AND_REFLECTION, settings.max_concurrent_rpcs)
    server = aio.server(interceptors=[guard], options=limits)
    engine = node.recognition
    closing = asyncio.Event()
    attendance = AttendanceServicer(node.store, node.settings, closing, node.punch_corrections,
                                    engine.templates.count if engine else lambda _pid: 0)
    attendance_pb2_grpc.add_AttendanceServiceServicer_to_server(attendance, server)
    recognition = RecognitionServicer(engine, node.checkin, node.recognition_error, node.config.recognition.workers,
                                      attendance.audit)
    recognition_pb2_grpc.add_RecognitionServiceServicer_to_server(recognition, server)
    capture_pb2_grpc.add_CaptureServiceServicer_to_server(capture_servicer.CaptureServicer(node.capture), server)
    node_servicer.add_to_server(server, StatusCollector(node), closing)
    health_servicer = await add_health_and_reflection(server, SERVICE_NAMES)
    if engine is None:
        await health_servicer.set(SERVICE_NAMES[1], health_pb2.HealthCheckResponse.NOT_SERVING)
    cert, key = server_files(settings.tls_cert, settings.tls_key, settings.uses_tls, node.data_dir / TLS_DIR,
                             "edge-node")
    port = bind(server, settings.listen, cert, key)
    await server.start()
    return RunningServer(server, port, health_servicer, closing, describe_tls(cert, settings.tls_cert))


class ServerThread:
    """Runs the server on its own event loop in a background thread (tests, benchmarks, embedding)."""

    def __init__(self, node: Node, settings: ServerConfig) -> None:
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="grpc-loop", daemon=True)
        self._thread.start()
        self.running: RunningServer = asyncio.run_coroutine_threadsafe(start_server(node, settings), self._loop).result(30)
        self.port = self.running.port

    def stop(self, grace: float = 0) -> None:
        asyncio.run_coroutine_threadsafe(self.running.stop(grace), self._loop).result(grace + 30)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)
