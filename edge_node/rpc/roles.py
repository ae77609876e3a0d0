"""Each RPC's required role, read once from the `edge.common.v1.required_role` method option of the descriptors."""
from __future__ import annotations

from typing import Iterable

from google.protobuf import descriptor_pool

from edge_node.gen.edge.common.v1 import auth_pb2

OPEN = auth_pb2.ROLE_OPEN
KIOSK = auth_pb2.ROLE_KIOSK
VIEWER = auth_pb2.ROLE_VIEWER
MANAGER = auth_pb2.ROLE_MANAGER
ADMIN = auth_pb2.ROLE_ADMIN
# Token roles as the token files and the CLI spell them.
BY_NAME = {"kiosk": KIOSK, "viewer": VIEWER, "manager": MANAGER, "admin": ADMIN}
NAME_OF = {number: name for name, number in BY_NAME.items()} | {OPEN: "open"}


def declared_role(method) -> int:
    """A method descriptor's required role; ADMIN when it declares none (fail closed)."""
    return method.GetOptions().Extensions[auth_pb2.required_role] or ADMIN


def required_roles(service_names: Iterable[str]) -> dict[str, int]:
    """'/package.Service/Method' -> required role, for every method of the named services."""
    pool = descriptor_pool.Default()
    return {f"/{service.full_name}/{method.name}": declared_role(method)
            for service in map(pool.FindServiceByName, service_names) for method in service.methods}
