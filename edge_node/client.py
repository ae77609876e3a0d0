"""Connecting admin tools (enroll, monitor) to a node: address, TLS and the bearer token."""
from __future__ import annotations

import argparse
import os
from pathlib import Path

import grpc

from edge_node.config import default_data_dir

DEFAULT_TARGET = "127.0.0.1:50051"


def add_connection_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--target", default=os.environ.get("EDGE_NODE_TARGET", DEFAULT_TARGET),
                        help=f"node address HOST:PORT (default $EDGE_NODE_TARGET or {DEFAULT_TARGET})")
    parser.add_argument("--token", default=os.environ.get("EDGE_NODE_TOKEN", ""),
                        help="admin token (default $EDGE_NODE_TOKEN, else <data-dir>/admin.token)")
    parser.add_argument("--data-dir", type=Path, default=None, help="where to find admin.token (default: per-user data dir)")
    parser.add_argument("--tls-ca", type=Path, default=None, help="CA certificate for a TLS node")


def token_path(args: argparse.Namespace) -> Path:
    """The admin.token file read when no token is given on the command line or in the environment."""
    return (args.data_dir or default_data_dir()) / "admin.token"


def token_source(args: argparse.Namespace) -> str:
    """Where the admin token comes from, as a person would check it."""
    if not args.token:
        return str(token_path(args))
    return "$EDGE_NODE_TOKEN" if args.token == os.environ.get("EDGE_NODE_TOKEN") else "--token"


def admin_token(args: argparse.Namespace) -> str:
    if args.token:
        return args.token
    path = token_path(args)
    if not path.exists():
        raise SystemExit(f"no admin token: pass --token, set EDGE_NODE_TOKEN, or point --data-dir at the node's data ({path} missing)")
    return path.read_text().strip()


def open_channel(args: argparse.Namespace) -> grpc.Channel:
    if args.tls_ca:
        return grpc.secure_channel(args.target, grpc.ssl_channel_credentials(args.tls_ca.read_bytes()))
    return grpc.insecure_channel(args.target)


def auth_metadata(token: str) -> tuple[tuple[str, str], ...]:
    return (("authorization", f"Bearer {token}"),)
