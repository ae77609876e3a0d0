"""Network address parsing shared by every config section."""
from __future__ import annotations

import ipaddress

from edge_node.common.errors import InvalidArgument


def check_listen(name: str, address: str) -> tuple[str, int]:
    """Split HOST:PORT, or raise InvalidArgument naming the config key."""
    host, sep, port = address.rpartition(":")
    if not sep or not host or not port.isdigit() or not 0 <= int(port) <= 65535:
        raise InvalidArgument(f"{name} must be HOST:PORT (got {address!r})")
    return host, int(port)


def is_loopback(address: str) -> bool:
    """True when HOST:PORT names this machine only (127.0.0.0/8, ::1, localhost): nothing on the LAN reaches it."""
    host = address.rpartition(":")[0].strip("[]")
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
