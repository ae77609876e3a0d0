"""`edge-node backup DEST` (online, while the node serves) and `edge-node restore SRC` (node stopped).

A restored box continues its event and roster numbering from a new epoch, past anything the hub can
have acknowledged, so the hub accepts what it records next (see edge_node.storage.backup)."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Callable

from edge_node.data_args import add_data_args, storage_config
from edge_node.common.errors import DomainError
from edge_node.storage.backup import BackupSummary, backup, restore


def register(sub: argparse._SubParsersAction) -> None:
    saver = sub.add_parser("backup", help="copy the node's database to DEST, consistently, while it serves")
    saver.add_argument("destination", type=Path, help="new file for the copy (mode 0600)")
    add_data_args(saver)
    saver.set_defaults(func=run_backup)
    loader = sub.add_parser("restore", help="put a backup in place of a stopped node's database")
    loader.add_argument("source", type=Path, help="a file made by `edge-node backup`")
    add_data_args(loader)
    loader.set_defaults(func=run_restore)


def run_backup(args: argparse.Namespace) -> int:
    return _report("backed up", lambda: backup(storage_config(args).database_path, args.destination))


def run_restore(args: argparse.Namespace) -> int:
    return _report("restored", lambda: restore(args.source, storage_config(args).database_path))


def _report(verb: str, action: Callable[[], BackupSummary]) -> int:
    try:
        summary = action()
    except (DomainError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"{verb} {summary.path}: {summary.events} events (last id {summary.last_event_id}), "
          f"{summary.bytes} bytes, integrity ok")
    return 0
