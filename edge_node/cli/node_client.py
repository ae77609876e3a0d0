"""Connecting admin tools (enroll, monitor, every command that calls a node) to a node: address, TLS with
the node's CA pinned on first use, and the bearer token."""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Callable

import grpc

from edge_node.common.addresses import is_loopback
from edge_node.cli.exits import USAGE, CommandError
from edge_node.config import default_data_dir
from edge_node.rpc.certs import channel_options
from edge_node.rpc.pinning import KnownNodes, PinRefused, Unreachable, presented_ca

DEFAULT_TARGET = "127.0.0.1:50051"


def add_connection_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--target", default=os.environ.get("EDGE_NODE_TARGET", DEFAULT_TARGET),
                        help=f"node address HOST:PORT (default $EDGE_NODE_TARGET or {DEFAULT_TARGET})")
    parser.add_argument("--token", default=os.environ.get("EDGE_NODE_TOKEN", ""),
                        help="your token (default $EDGE_NODE_TOKEN, else <data-dir>/admin.token)")
    parser.add_argument("--data-dir", type=Path, default=None, help="where to find admin.token (default: per-user data dir)")
    parser.add_argument("--tls-ca", type=Path, default=None,
                        help="CA certificate of the node (default: the one pinned on first use; `edge-node tls show`)")
    parser.add_argument("--tls-fingerprint", default=os.environ.get("EDGE_NODE_TLS_FINGERPRINT", ""),
                        help="the CA fingerprint the node must present the first time (from `edge-node tls show`)")


def token_path(args: argparse.Namespace) -> Path:
    """The admin.token file read when no token is given on the command line or in the environment."""
    return (args.data_dir or default_data_dir()) / "admin.token"


def token_source(args: argparse.Namespace) -> str:
    """Where the admin token comes from, as a person would check it."""
    if not args.token:
        return str(token_path(args))
    return "$EDGE_NODE_TOKEN" if args.token == os.environ.get("EDGE_NODE_TOKEN") else "--token"


def admin_token(args: argparse.Namespace) -> str:
    """The token to send; a missing token file is a usage error that names the file."""
    if args.token:
        return args.token
    path = token_path(args)
    if not path.exists():
        raise CommandError(f"no admin token: pass --token, set EDGE_NODE_TOKEN, or point --data-dir at the node's data "
                           f"({path} missing)", USAGE)
    return path.read_text().strip()


def open_channel(args: argparse.Namespace) -> grpc.Channel:
    """A channel to `args.target`: TLS with --tls-ca, else with the CA pinned in the known-nodes file (pinned
    now if new), else plain text (warned beyond loopback). SystemExit when the pin does not match."""
    return channel_factory(args)()


def channel_factory(args: argparse.Namespace) -> Callable[[], grpc.Channel]:
    """Makes channels to `args.target` (as open_channel) for a client that reconnects (the monitor): the node's
    certificate is checked against the pin once, when it first answers; later channels trust what was decided."""
    if getattr(args, "tls_ca", None):
        roots = args.tls_ca.read_bytes()
        return lambda: grpc.secure_channel(args.target, grpc.ssl_channel_credentials(roots), channel_options(roots))
    known = KnownNodes()
    decided: list[bytes | None] = []

    def make() -> grpc.Channel:
        if decided:
            ca = decided[0]
        else:
            try:
                ca = known.trusted_ca(args.target, presented_ca(args.target), getattr(args, "tls_fingerprint", ""),
                                      lambda message: print(f"edge-node: {message}", file=sys.stderr))
                decided.append(ca)
            except Unreachable:  # nothing answers yet: the call says so; decide when it answers
                ca = known.pinned(args.target)
            except PinRefused as exc:
                raise SystemExit(f"edge-node: refused: {exc}") from None
            if ca is None and decided and not is_loopback(args.target):
                print(f"edge-node: warning: {args.target} speaks plain text: your token crosses the network in clear",
                      file=sys.stderr)
        if ca is None:
            return grpc.insecure_channel(args.target)
        return grpc.secure_channel(args.target, grpc.ssl_channel_credentials(ca), channel_options(ca))
    return make


def auth_metadata(token: str) -> tuple[tuple[str, str], ...]:
    return (("authorization", f"Bearer {token}"),)
