"""`edge-node token`: print the node's admin token (for scripts and examples), or `--rotate` it.

A running node reads admin.token again when the file changes, so a rotated token takes effect at once
and the old one stops working, without a restart."""
from __future__ import annotations

import argparse
import sys
from edge_node.data_args import add_data_args, storage_config
from edge_node.common.errors import DomainError
from edge_node.tokens import check_strength, new_token, write_private


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("token", help="print the node's admin token, or --rotate it (no restart needed)")
    add_data_args(parser)
    parser.add_argument("--rotate", action="store_true", help="write a new random token and print it")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:
        path = storage_config(args).data_path / "admin.token"
    except DomainError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    try:
        if args.rotate:
            token = new_token()
            path.parent.mkdir(parents=True, exist_ok=True)
            write_private(path, token + "\n")
        else:
            token = path.read_text().strip()
            check_strength(token, path)
    except FileNotFoundError:
        print(f"error: no admin token at {path}: start the node once (it creates one), or pass --data-dir or "
              "--config of the node", file=sys.stderr)
        return 2
    except (OSError, DomainError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(token)
    return 0
