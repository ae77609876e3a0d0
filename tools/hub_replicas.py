"""Several `edge-node hub` processes on one PostgreSQL database, behind one address (HAProxy in TCP mode).

Each replica connects with its own `application_name` (`hub-0`, `hub-1`, ...), so `pg_stat_activity` tells
which replica a database session belongs to. All replicas share one admin token.
"""
from __future__ import annotations

import secrets
import shutil
import signal
from contextlib import ExitStack
from pathlib import Path

from tools.faults.procs import Child, free_port, hub_child


def with_application_name(database: str, name: str) -> str:
    """The libpq URL with `application_name` set (it may already carry `?options=...`)."""
    return f"{database}{'&' if '?' in database else '?'}application_name={name}"


def haproxy_config(listen: str, backends: list[str]) -> str:
    """A TCP load balancer for gRPC (HTTP/2 passes through untouched): round robin, a dead replica taken out by
    its health check within a second, and a refused connection retried on another replica."""
    servers = "\n".join(f"  server hub{i} {address} check inter 200ms fall 1 rise 2"
                        for i, address in enumerate(backends))
    return f"""global
  maxconn 4096
defaults
  mode tcp
  timeout connect 2s
  timeout client 1h
  timeout server 1h
  retries 3
  option redispatch
listen hub
  bind {listen}
  balance roundrobin
{servers}
"""


def haproxy_child(directory: Path, listen: str, backends: list[str]) -> Child:
    """HAProxy from Debian (`apt-get install haproxy`) in the foreground on `listen` (not started)."""
    binary = shutil.which("haproxy") or "/usr/sbin/haproxy"
    config = directory / "haproxy.cfg"
    config.write_text(haproxy_config(listen, backends))
    return Child([binary, "-db", "-f", str(config)], listen, directory / "haproxy.log")


class HubReplicas:
    """`count` hub replicas on `database`, each on a free loopback port, and HAProxy in front of them."""

    def __init__(self, database: str, directory: Path, count: int = 2) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        self.database = database
        self.admin_token = secrets.token_urlsafe(32)
        env = {"EDGE_NODE_HUB_ADMIN_TOKEN": self.admin_token}
        self.replicas = [hub_child(with_application_name(database, f"hub-{i}"), directory / f"hub-{i}",
                                   f"127.0.0.1:{free_port()}", env) for i in range(count)]
        self.proxy = haproxy_child(directory, f"127.0.0.1:{free_port()}", [r.address for r in self.replicas])
        self._stack = ExitStack()

    @property
    def address(self) -> str:
        """The one address boxes use."""
        return self.proxy.address

    def __enter__(self) -> "HubReplicas":
        # One after the other: the first applies the schema migrations, the next find them done.
        for replica in self.replicas:
            replica.start()
            self._stack.callback(replica.stop)
        self.proxy.start()
        self._stack.callback(self.proxy.stop)
        return self

    def __exit__(self, *exc: object) -> None:
        self._stack.close()

    def kill(self, index: int) -> None:
        """SIGKILL one replica: its in-flight requests and open transactions die with it."""
        self.replicas[index].stop(signal.SIGKILL)
