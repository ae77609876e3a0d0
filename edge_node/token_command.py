"""`edge-node token`: print the node's admin token (for scripts and examples), or `--rotate` it.

A running node reads admin.token again when the file changes, so a rotated token takes effect at once
and the old one stops working, without a restart."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from edge_node.config import load_config
from edge_node.errors import DomainError
from edge_node.tokens import check_strength, new_token, write_private


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("token", help="print the node's admin token, or --rotate it (no restart needed)")
    parser.add_argument("--data-dir", type=Path, help="the node's data directory (default: from --config, else "
                                                      "the per-user data directory)")
    parser.add_argument("--config", type=Path, help="TOML config file whose [storage] data_dir holds the token")
    parser.add_argument("--rotate", action="store_true", help="write a new random token and print it")
    parser.set_defaults(func=run)


def token_path(args: argparse.Namespace) -> Path:
    """<data-dir>/admin.token, the data directory from the flag or the config (file and environment)."""
    data_dir = args.data_dir.expanduser() if args.data_dir else load_config(args.config).storage.data_path
    return data_dir / "admin.token"


def run(args: argparse.Namespace) -> int:
    try:
        path = token_path(args)
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
