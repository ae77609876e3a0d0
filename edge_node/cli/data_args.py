"""Command-line flags that locate a node's data on this machine: --data-dir, or the --config it runs with."""
from __future__ import annotations

import argparse
from dataclasses import replace
from pathlib import Path

from edge_node.config import StorageConfig, load_config


def add_data_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data-dir", type=Path, help="the node's data directory (default: from --config, else "
                                                      "the per-user data directory)")
    parser.add_argument("--config", type=Path, help="the node's TOML config file ([storage] data_dir, database)")


def storage_config(args: argparse.Namespace) -> StorageConfig:
    """The node's storage settings: its config file and environment, with --data-dir on top."""
    storage = load_config(args.config).storage
    return replace(storage, data_dir=str(args.data_dir.expanduser())) if args.data_dir else storage
