"""Network address parsing shared by every config section."""
from __future__ import annotations

from edge_node.common.errors import InvalidArgument


def check_listen(name: str, address: str) -> tuple[str, int]:
    """Split HOST:PORT, or raise InvalidArgument naming the config key."""
    host, sep, port = address.rpartition(":")
    if not sep or not host or not port.isdigit() or not 0 <= int(port) <= 65535:
        raise InvalidArgument(f"{name} must be HOST:PORT (got {address!r})")
    return host, int(port)
