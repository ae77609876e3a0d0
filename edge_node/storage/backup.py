"""Online backup and restore of the node's SQLite file.

Backup uses SQLite's backup API, so the copy is consistent while the node keeps writing. Restore puts a
backup in place of the database of a stopped node and moves the hub-facing sequences (event ids, roster
journal numbers, schedule versions) to the next epoch: numbers the hub can never have seen from this
node, since it cannot know how far the box had gone after the backup was taken. The node keeps its
installation id and node id, so the hub keeps accepting it; nothing it records after the restore is dropped as a duplicate."""
from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from edge_node.common.errors import FailedPrecondition, InvalidArgument

# Sequences that the hub deduplicates by number (table name in sqlite_sequence).
HUB_SEQUENCES = ("event", "change_journal", "schedule_version")
# Each restore starts a new epoch of 2**32 numbers: far more events than a box records between backups.
EPOCH = 1 << 32


@dataclass(frozen=True)
class BackupSummary:
    path: Path
    events: int
    last_event_id: int
    bytes: int


def backup(database: Path, destination: Path) -> BackupSummary:
    """Copy `database` to `destination` (mode 0600) through the backup API and check the copy."""
    if not database.exists():
        raise InvalidArgument(f"no database at {database}")
    if destination.exists():
        raise InvalidArgument(f"{destination} exists; choose a new file")
    destination.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(destination, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)  # never readable by others
    os.close(fd)
    source = sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=30)
    target = sqlite3.connect(destination)
    try:
        source.backup(target)
    finally:
        source.close()
        target.close()
    return summarize(destination)


def summarize(path: Path) -> BackupSummary:
    """Integrity-checked figures of a database file; InvalidArgument if it is not a sound node database."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            integrity = "; ".join(row[0] for row in conn.execute("PRAGMA integrity_check"))
            events, last = conn.execute("SELECT count(*), coalesce(max(id), 0) FROM event").fetchone()
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise InvalidArgument(f"{path} is not an edge-node database: {exc}") from None
    if integrity != "ok":
        raise InvalidArgument(f"{path} fails the integrity check: {integrity}")
    return BackupSummary(path, events, last, path.stat().st_size)


def restore(source: Path, database: Path) -> BackupSummary:
    """Replace the stopped node's `database` with the backup at `source`, sequences moved to a new epoch."""
    summarize(source)
    holders = processes_holding(database)
    if holders:
        raise FailedPrecondition(f"{database} is open in process {', '.join(map(str, holders))}: stop the node "
                                 "first (systemctl stop edge-node)")
    database.parent.mkdir(parents=True, exist_ok=True)
    staged = database.with_name(database.name + ".restoring")
    staged.unlink(missing_ok=True)
    fd = os.open(staged, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.close(fd)
    src, dst = sqlite3.connect(f"file:{source}?mode=ro", uri=True), sqlite3.connect(staged)
    try:
        src.backup(dst)
        advance_epoch(dst)
    finally:
        src.close()
        dst.close()
    for stale in (Path(f"{database}-wal"), Path(f"{database}-shm")):  # the old WAL must never replay on the new file
        stale.unlink(missing_ok=True)
    os.replace(staged, database)
    return summarize(database)


def advance_epoch(conn: sqlite3.Connection) -> int:
    """Move every hub-facing sequence past the next multiple of EPOCH; the new floor."""
    with conn:
        marks = ", ".join("?" * len(HUB_SEQUENCES))
        rows = dict(conn.execute(f"SELECT name, seq FROM sqlite_sequence WHERE name IN ({marks})", HUB_SEQUENCES))
        floor = (max(rows.values(), default=0) // EPOCH + 1) * EPOCH
        for name in HUB_SEQUENCES:
            if name in rows:
                conn.execute("UPDATE sqlite_sequence SET seq = ? WHERE name = ?", (floor, name))
            else:
                conn.execute("INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)", (name, floor))
    return floor


def processes_holding(path: Path) -> list[int]:
    """Ids of processes with `path` (or its WAL) open, from /proc (Linux); empty where /proc is unreadable."""
    targets = {str(path.resolve()), str(path.resolve()) + "-wal"}
    holders = []
    for fd_dir in Path("/proc").glob("[0-9]*/fd"):
        try:
            if any(os.readlink(fd) in targets for fd in fd_dir.iterdir()):
                holders.append(int(fd_dir.parent.name))
        except OSError:
            continue
    return holders
