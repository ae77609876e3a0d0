"""Before starting: is every port the node will listen on free? One clear line per busy port."""
from __future__ import annotations

import errno
import socket
import sys
from dataclasses import dataclass


@dataclass(frozen=True)
class Listener:
    what: str  # "gRPC", "camera ingest", "kiosk"
    address: str  # HOST:PORT as configured
    hint: str  # how to choose another, e.g. "--listen HOST:PORT or [server] listen"


def busy_ports(listeners: list[Listener]) -> list[str]:
    """A message for each listener whose address cannot be bound now (port 0, any free port, is never busy)."""
    problems = []
    for listener in listeners:
        host, _, port = listener.address.rpartition(":")
        if not port.isdigit() or int(port) == 0:
            continue
        reason = _bind_refusal(host.strip("[]"), int(port))
        if reason:
            problems.append(f"{listener.what} cannot listen on {listener.address}: {reason}; "
                            f"free the port or choose another with {listener.hint}")
    return problems


def report_busy_ports(listeners: list[Listener]) -> bool:
    """Print `error: ...` on stderr for each busy port; True if there was any (the caller exits with 2)."""
    problems = busy_ports(listeners)
    for problem in problems:
        print(f"error: {problem}", file=sys.stderr)
    return bool(problems)


def _bind_refusal(host: str, port: int) -> str | None:
    """Why a listening socket cannot bind host:port, or None when it can."""
    try:
        family, kind, proto, _, sockaddr = socket.getaddrinfo(host or None, port, type=socket.SOCK_STREAM,
                                                              flags=socket.AI_PASSIVE)[0]
    except socket.gaierror as exc:
        return f"unknown host {host!r} ({exc.strerror})"
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the servers do: TIME_WAIT is not busy
        try:
            probe.bind(sockaddr)
        except OSError as exc:
            return "the port is already in use" if exc.errno == errno.EADDRINUSE else exc.strerror or str(exc)
    return None
