"""Pieces every gRPC server of the project shares: binding with optional TLS, health and reflection."""
from __future__ import annotations

from pathlib import Path

import grpc
from grpc import aio
from grpc_health.v1 import health, health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection

OPEN_HEALTH_AND_REFLECTION = ("/grpc.health.v1.Health/", "/grpc.reflection.")


def bind(server: aio.Server, listen: str, tls_cert: str = "", tls_key: str = "") -> int:
    """Add the listening port (TLS when a certificate is given); return the bound port number.

    OSError when the address cannot be bound (grpcio raises RuntimeError, older releases returned 0)."""
    try:
        if tls_cert:
            credentials = grpc.ssl_server_credentials([(Path(tls_key).read_bytes(), Path(tls_cert).read_bytes())])
            port = server.add_secure_port(listen, credentials)
        else:
            port = server.add_insecure_port(listen)
    except RuntimeError:
        port = 0
    if port == 0:
        raise OSError(f"cannot listen on {listen}: address in use or not available")
    return port


async def add_health_and_reflection(server: aio.Server, service_names: tuple[str, ...]) -> health.aio.HealthServicer:
    """Register grpc.health.v1 (all services SERVING) and server reflection for `service_names`."""
    health_servicer = health.aio.HealthServicer()
    health_pb2_grpc.add_HealthServicer_to_server(health_servicer, server)
    for name in ("", *service_names):
        await health_servicer.set(name, health_pb2.HealthCheckResponse.SERVING)
    reflection.enable_server_reflection((*service_names, health.SERVICE_NAME, reflection.SERVICE_NAME), server)
    return health_servicer
