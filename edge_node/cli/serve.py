"""`edge-node serve`: run the node's services until SIGTERM/SIGINT."""
from __future__ import annotations

import argparse
import asyncio
import gc
import logging
from dataclasses import replace
from pathlib import Path

from edge_node.config import Config, load_config
from edge_node.common.errors import DomainError
from edge_node.kiosk.page_server import start_kiosk
from edge_node.metrics.wiring import start_metrics
from edge_node.node import Node
from edge_node.daemon.port_check import Listener, report_busy_ports
from edge_node.server.app import start_server
from edge_node.status.setup_warnings import setup_warnings
from edge_node.daemon.systemd_notify import serve_until_signalled

log = logging.getLogger("edge_node.serve")


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("serve", help="run the node's gRPC services")
    parser.add_argument("--config", type=Path, help="TOML config file (default: built-in defaults)")
    parser.add_argument("--listen", help="HOST:PORT to listen on (default 127.0.0.1:50051)")
    parser.add_argument("--data-dir", help="data directory (default: per-user data directory)")
    parser.set_defaults(func=run)


def config_from_args(args: argparse.Namespace) -> Config:
    """The config file and environment, with the command-line flags on top."""
    config = load_config(args.config)
    if args.listen:
        config = replace(config, server=replace(config.server, listen=args.listen))
    if args.data_dir:
        config = replace(config, storage=replace(config.storage, data_dir=args.data_dir))
    return config.validate()


def run(args: argparse.Namespace) -> int:
    try:
        config = config_from_args(args)
    except DomainError as exc:
        log.error("%s", exc)
        return 2
    if report_busy_ports(listeners(config)):
        return 2
    warn_setup_problems(config)
    return asyncio.run(serve(config))


def listeners(config: Config) -> list[Listener]:
    """Every address `serve` listens on, with the setting that moves it."""
    found = [Listener("gRPC", config.server.listen, "--listen HOST:PORT ([server] listen)")]
    if config.capture.enabled:
        found.append(Listener("camera ingest", config.capture.listen,
                              "[capture] listen or EDGE_NODE_CAPTURE_LISTEN"))
    if config.kiosk.enabled:
        found.append(Listener("kiosk", config.kiosk.listen, "[kiosk] listen or EDGE_NODE_KIOSK_LISTEN"))
    if config.metrics.enabled:
        found.append(Listener("metrics", config.metrics.listen, "[metrics] listen or EDGE_NODE_METRICS_LISTEN"))
    return found


def warn_setup_problems(config: Config) -> None:
    """Say at start what the node status also shows (e.g. mDNS on without zeroconf)."""
    for warning in setup_warnings(config):
        log.warning("%s", warning)


async def serve(config: Config) -> int:
    """Start the node and its server; stop gracefully on SIGTERM or SIGINT."""
    try:
        node = Node(config)
    except DomainError as exc:  # e.g. an admin token too short to be a secret
        log.error("%s", exc)
        return 2
    try:
        running = await start_server(node, config.server)
    except OSError as exc:  # the port was taken between the check and the bind
        log.error("%s", exc)
        node.close()
        return 2
    node.start_workers()
    gc.freeze()  # everything loaded so far (models, code, config) is permanent: cheaper, shorter GC pauses
    host = config.server.listen.rpartition(":")[0]
    log.info("serving on %s:%d (%s), data in %s", host, running.port, running.scheme, node.data_dir)
    if node.admin_token_created:
        log.info("created admin token in %s (shown once): %s", node.data_dir / "admin.token", node.admin_token)
    kiosk = start_kiosk(node, config.kiosk)
    metrics = start_metrics(node, config.metrics)
    await serve_until_signalled()
    log.info("shutting down (grace %.0f s)", config.server.grace_seconds)
    for http_server in (kiosk, metrics):
        if http_server is not None:
            http_server.stop()
    await running.stop(config.server.grace_seconds)
    node.close()
    return 0
