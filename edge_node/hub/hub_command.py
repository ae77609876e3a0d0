"""`edge-node hub`: run the hub; `edge-node hub add-node` / `revoke-node`: manage node tokens."""
from __future__ import annotations

import argparse
import asyncio
import logging
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Callable
from urllib.parse import urlsplit, urlunsplit

import peewee as pw

from edge_node.common.addresses import is_loopback
from edge_node.config import Config, load_config
from edge_node.common.errors import DomainError
from edge_node.daemon.port_check import Listener, report_busy_ports
from edge_node.rpc.certs import fingerprint
from edge_node.daemon.systemd_notify import serve_until_signalled

if TYPE_CHECKING:
    from edge_node.hub.hub import Hub

log = logging.getLogger("edge_node.hub")
MISSING_EXTRA = "the hub needs PostgreSQL support: pip install 'edge-node[hub]' (missing module: {module})"


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("hub", help="run the sync hub (PostgreSQL) or manage its nodes")
    parser.add_argument("--config", type=Path, help="TOML config file ([hub] section)")
    parser.add_argument("--listen", help="HOST:PORT to listen on (default 127.0.0.1:50061)")
    parser.add_argument("--database", help="postgresql:// URL of the hub database")
    parser.add_argument("--data-dir", help="directory of hub-admin.token (default: per-user data directory)")
    parser.set_defaults(func=run)
    actions = parser.add_subparsers(dest="hub_action", metavar="ACTION")
    add = actions.add_parser("add-node", help="create a node and print its token (shown once)")
    add.add_argument("node_id")
    add.set_defaults(func=add_node)
    revoke = actions.add_parser("revoke-node", help="revoke a node's token")
    revoke.add_argument("node_id")
    revoke.set_defaults(func=revoke_node)


def config_from_args(args: argparse.Namespace) -> Config:
    config = load_config(args.config)
    hub = config.hub
    if args.listen:
        hub = replace(hub, listen=args.listen)
    if args.database:
        hub = replace(hub, database=args.database)
    storage = replace(config.storage, data_dir=args.data_dir) if args.data_dir else config.storage
    return replace(config, hub=hub, storage=storage).validate()


def _open(args: argparse.Namespace) -> Hub | None:
    """The hub on its database; None (after one `error:` line) when the config is wrong, the database cannot be
    opened or the [hub] extra is not installed."""
    try:
        from edge_node.hub.hub import Hub  # imports psycopg2: only `edge-node hub` needs the extra
    except ModuleNotFoundError as exc:
        print(f"error: {MISSING_EXTRA.format(module=exc.name)}", file=sys.stderr)
        return None
    try:
        config = config_from_args(args)
        config.storage.data_path.mkdir(parents=True, exist_ok=True)
        return Hub(config.hub, config.storage.data_path)
    except DomainError as exc:
        print(f"error: {exc}", file=sys.stderr)
    except pw.OperationalError as exc:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        print(f"error: the hub cannot open its database {_without_password(config.hub.database)}: {reason} "
              "(is PostgreSQL running there, with that database? e.g. `createdb edge_hub`; or pass "
              "--database postgresql://USER@HOST:PORT/DB, or set [hub] database in --config)", file=sys.stderr)
    return None


def _without_password(url: str) -> str:
    parts = urlsplit(url)
    if parts.password is None:
        return url
    return urlunsplit(parts._replace(netloc=parts.netloc.replace(f":{parts.password}@", ":***@")))


def add_node(args: argparse.Namespace) -> int:
    return _with_hub(args, lambda hub: _print_node_token(hub, args.node_id))


def _print_node_token(hub: Hub, node_id: str) -> None:
    """The new node's token on stdout; on stderr, the hub CA's fingerprint for the node's [sync] tls_fingerprint."""
    print(hub.nodes.create(node_id, time.time_ns() // 1000))
    ca = hub.tls_dir / "ca.pem"
    if ca.exists():
        print(f"hub CA fingerprint: {fingerprint(ca.read_bytes())}: set it as [sync] tls_fingerprint on the node, "
              "which then pins the hub's CA the first time it connects", file=sys.stderr)


def revoke_node(args: argparse.Namespace) -> int:
    return _with_hub(args, lambda hub: hub.nodes.revoke(args.node_id))


def _with_hub(args: argparse.Namespace, action: Callable[[Hub], object]) -> int:
    """Open the hub's database, run one admin action, close it; exit code 0, 1 (refused) or 2 (no hub)."""
    hub = _open(args)
    if hub is None:
        return 2
    try:
        action(hub)
    except DomainError as exc:
        log.error("%s", exc)
        return 1
    finally:
        hub.close()
    return 0


def run(args: argparse.Namespace) -> int:
    hub = _open(args)
    if hub is None:
        return 2
    if report_busy_ports([Listener("hub", hub.config.listen, "--listen HOST:PORT ([hub] listen)")]):
        hub.close()
        return 2
    return asyncio.run(serve(hub))


async def serve(hub: Hub) -> int:
    from edge_node.hub.server import start_hub_server

    try:
        running = await start_hub_server(hub)
    except OSError as exc:  # the port was taken after the check: one line, not a traceback
        log.error("%s; choose another with --listen HOST:PORT ([hub] listen)", exc)
        hub.close()
        return 2
    log.info("hub serving on %s:%d (%s)", hub.config.listen.rpartition(":")[0], running.port, running.scheme)
    if not hub.config.uses_tls and not is_loopback(hub.config.listen):
        log.warning("the hub listens on %s in plain text ([hub] insecure = true): anyone on the network can read "
                    "node and admin tokens; remove insecure = true to use TLS", hub.config.listen)
    if hub.admin_token_created:
        log.info("created hub admin token (shown once): %s", hub.admin_token)
    await serve_until_signalled()
    await running.stop(hub.config.grace_seconds)
    hub.close()
    return 0
