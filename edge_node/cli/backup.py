"""`edge-node backup DEST` (online, while the node serves) and `edge-node restore SRC [--force]` (node stopped).

Restore says what the replaced database held that the backup lacks, needs --force when some of it never
reached the hub, and keeps the replaced database beside the new one. The restored box continues its
event and roster numbering after every number already used (see edge_node.storage.backup)."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from edge_node.cli.data_args import add_data_args, storage_config
from edge_node.common.errors import DomainError
from edge_node.storage.backup import BackupSummary, RestoreSummary, backup, restore


def register(sub: argparse._SubParsersAction) -> None:
    saver = sub.add_parser("backup", help="copy the node's database to DEST, consistently, while it serves")
    saver.add_argument("destination", type=Path, help="new file for the copy (mode 0600)")
    add_data_args(saver)
    saver.set_defaults(func=run_backup)
    loader = sub.add_parser("restore", help="put a backup in place of a stopped node's database")
    loader.add_argument("source", type=Path, help="a file made by `edge-node backup`")
    loader.add_argument("--force", action="store_true",
                        help="restore even though events, people or templates the hub has not received are discarded")
    add_data_args(loader)
    loader.set_defaults(func=run_restore)


def run_backup(args: argparse.Namespace) -> int:
    try:
        summary = backup(storage_config(args).database_path, args.destination)
    except (DomainError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"backed up {_figures(summary)}")
    return 0


def run_restore(args: argparse.Namespace) -> int:
    try:
        done: RestoreSummary = restore(args.source, storage_config(args).database_path, args.force)
    except (DomainError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"restored {_figures(done.restored)}")
    if done.kept is not None:
        print(f"discarded {done.discarded.describe()}; the replaced database is kept at {done.kept}")
    print(f"new events are numbered from {done.sequences_from + 1}")
    return 0


def _figures(summary: BackupSummary) -> str:
    return (f"{summary.path}: {summary.events} events (last id {summary.last_event_id}), {summary.bytes} bytes, "
            "integrity ok")
