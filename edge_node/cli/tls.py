"""`edge-node tls show`: the box's own CA (made on first start) and its fingerprint, to compare with what a
client pinned, and how to call the node with grpcurl or `buf curl`."""
from __future__ import annotations

import argparse
import sys

from edge_node.common.errors import DomainError
from edge_node.cli.data_args import add_data_args, storage_config
from edge_node.rpc.certs import HUB_TLS_DIR, SERVER_NAME, TLS_DIR, ensure_self_signed, fingerprint


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("tls", help="the node's TLS CA and fingerprint (`tls show`), made ahead with `tls init`")
    actions = parser.add_subparsers(dest="tls_action", metavar="ACTION", required=True)
    show = actions.add_parser("show", help="print the CA file and its SHA-256 fingerprint, and a grpcurl example")
    add_data_args(show)
    show.add_argument("--hub", action="store_true", help="the hub's CA instead of the node's")
    show.set_defaults(func=show_tls)
    init = actions.add_parser("init", help="make the CA and server certificate now (the node does at its first start "
                                           "with TLS), then show them")
    add_data_args(init)
    init.add_argument("--hub", action="store_true", help="the hub's CA instead of the node's")
    init.set_defaults(func=init_tls)


def init_tls(args: argparse.Namespace) -> int:
    try:
        data_dir = storage_config(args).data_path
        ensure_self_signed(data_dir / (HUB_TLS_DIR if args.hub else TLS_DIR), "edge-node hub" if args.hub else "edge-node")
    except (OSError, DomainError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return show_tls(args)


def show_tls(args: argparse.Namespace) -> int:
    try:
        ca = storage_config(args).data_path / (HUB_TLS_DIR if args.hub else TLS_DIR) / "ca.pem"
        pem = ca.read_bytes()
    except FileNotFoundError:
        print(f"error: no CA at {ca}: the {'hub' if args.hub else 'node'} makes it when it first starts with TLS "
              "(listening beyond loopback, or [server] tls = true)", file=sys.stderr)
        return 2
    except (OSError, DomainError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    port = 50061 if args.hub else 50051
    print(f"CA file:     {ca}")
    print(f"fingerprint: {fingerprint(pem)} (SHA-256)")
    print(f"server name: {SERVER_NAME} (in every certificate the box makes; clients check it, not the address)")
    print(f"grpcurl:     grpcurl -cacert {ca} -authority {SERVER_NAME} -H 'authorization: Bearer TOKEN' "
          f"BOX:{port} list")
    return 0
