"""Online backup and restore of the node's SQLite file.

Backup uses SQLite's backup API, so the copy is consistent while the node keeps writing. Restore puts a
backup in place of the database of a stopped node, and loses nothing silently: it first counts what the
replaced database holds that the backup does not (events, people, templates) and how much of that never
reached the hub, refuses without `force` when some did not, and keeps the replaced database beside the
new one. The hub-facing sequences (event ids, roster journal numbers, schedule versions) continue after
the highest number either database used, so no number is ever used twice. Only when the hub holds events
of this box newer than the backup (or there is no database to replace, so the box cannot know how far
the hub got) do they move to the next epoch of 2**32: the hub accepts a box's chain forking from an
older event only in a new epoch. The node keeps its installation id and node id, so the hub keeps
accepting it."""
from __future__ import annotations

import json
import os
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timezone
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
    """Copy `database` to `destination` (mode 0600) through the backup API, as one file in rollback-journal mode
    (the node switches it back to WAL when it opens a restored copy), and check the copy."""
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
        target.execute("PRAGMA journal_mode=DELETE")  # one self-contained file: no -wal or -shm beside the copy
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


@dataclass(frozen=True)
class Discarded:
    """What the replaced database holds that the backup does not: per kind, (how many, of them not on the hub)."""

    events: tuple[int, int] = (0, 0)
    people: tuple[int, int] = (0, 0)
    templates: tuple[int, int] = (0, 0)

    @property
    def unsent(self) -> int:
        return self.events[1] + self.people[1] + self.templates[1]

    def describe(self) -> str:
        """One line for the admin, e.g. "1 event, 0 people and 2 templates newer than the backup (1 not on the hub)"."""
        people = self.people[0]
        return (f"{_count(self.events[0], 'event')}, {people} {'person' if people == 1 else 'people'} and "
                f"{_count(self.templates[0], 'template')} newer than the backup ({self.unsent} not on the hub)")


@dataclass(frozen=True)
class RestoreSummary:
    restored: BackupSummary
    discarded: Discarded
    kept: Path | None  # the replaced database, kept beside the new one (None: there was none)
    sequences_from: int  # numbering continues after this


# Sync cursors in the setting table (JSON integers), as edge_node.sync.state keeps them.
_EVENTS_ACKED = "sync.events_acked_seq"
_ROSTER_PUSHED = "sync.roster_pushed_seq"


def restore(source: Path, database: Path, force: bool = False, now: datetime | None = None) -> RestoreSummary:
    """Replace the stopped node's `database` with the backup at `source`; the replaced one is kept as
    `<database>.replaced-<UTC time>`. FailedPrecondition, without `force`, when the replacement would
    discard events, people or templates the hub has not received."""
    summarize(source)
    holders = processes_holding(database)
    if holders:
        raise FailedPrecondition(f"{database} is open in process {', '.join(map(str, holders))}: stop the node "
                                 "first (systemctl stop edge-node)")
    old = database if database.exists() else None
    discarded = compare(old, source) if old is not None else Discarded()
    if discarded.unsent and not force:
        raise FailedPrecondition(f"restoring {source} would discard {discarded.describe()}; nothing was changed. "
                                 "Let the node sync with the hub first, or pass --force to discard them (the "
                                 "replaced database is kept beside the new one)")
    database.parent.mkdir(parents=True, exist_ok=True)
    kept = None
    if old is not None:
        stamp = (now or datetime.now(timezone.utc)).strftime("%Y%m%dT%H%M%SZ")
        kept = _copy(old, database.with_name(f"{database.name}.replaced-{stamp}"))
    staged = _copy(source, database.with_name(database.name + ".restoring"), replace_existing=True)
    dst = sqlite3.connect(staged)
    try:
        floor = continue_sequences(dst, kept)
    finally:
        dst.close()
    for stale in (Path(f"{database}-wal"), Path(f"{database}-shm")):  # the old WAL must never replay on the new file
        stale.unlink(missing_ok=True)
    os.replace(staged, database)
    return RestoreSummary(summarize(database), discarded, kept, floor)


def _copy(source: Path, destination: Path, replace_existing: bool = False) -> Path:
    """A consistent copy (WAL included) through the backup API, created 0600."""
    if replace_existing:
        destination.unlink(missing_ok=True)
    fd = os.open(destination, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.close(fd)
    src, dst = sqlite3.connect(f"file:{source}?mode=ro", uri=True), sqlite3.connect(destination)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()
    return destination


def compare(current: Path, backup_file: Path) -> Discarded:
    """What `current` holds that `backup_file` lacks; "unsent": past the hub's acknowledgement (events) or
    still in the change journal (people, templates)."""
    conn = sqlite3.connect(f"file:{current}?mode=ro", uri=True)
    try:
        conn.execute("ATTACH DATABASE ? AS b", (f"file:{backup_file}?mode=ro",))
        acked = _setting(conn, _EVENTS_ACKED)
        pushed = _setting(conn, _ROSTER_PUSHED)
        events, events_unsent = conn.execute(
            "SELECT count(*), coalesce(sum(id > ?), 0) FROM main.event WHERE id NOT IN (SELECT id FROM b.event)",
            (acked,)).fetchone()
        counts = []
        for table, key, entity in (("person", "person_id", "person"), ("face_template", "template_id", "template")):
            counts += conn.execute(
                f"SELECT count(*), coalesce(sum(EXISTS (SELECT 1 FROM main.change_journal c WHERE c.entity = ? "
                f"AND c.key = t.{key} AND c.seq > ?)), 0) FROM main.{table} t "
                f"WHERE t.{key} NOT IN (SELECT {key} FROM b.{table})", (entity, pushed)).fetchone()
    except sqlite3.DatabaseError as exc:
        raise FailedPrecondition(f"cannot compare {current} with {backup_file}: {exc}; move {current} aside "
                                 "by hand if it is damaged, then restore") from None
    finally:
        conn.close()
    return Discarded((events, events_unsent), (counts[0], counts[1]), (counts[2], counts[3]))


def _setting(conn: sqlite3.Connection, key: str) -> int:
    row = conn.execute("SELECT value FROM main.setting WHERE key = ?", (key,)).fetchone()
    return int(json.loads(row[0])) if row else 0


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def continue_sequences(conn: sqlite3.Connection, replaced: Path | None) -> int:
    """Set every hub-facing sequence of the restored database past the highest number it or the replaced
    database used; past the next multiple of EPOCH instead when the hub holds events newer than the
    restored ones (or there was no database to replace). Returns the new floor of the event ids."""
    marks = ", ".join("?" * len(HUB_SEQUENCES))
    query = f"SELECT name, seq FROM sqlite_sequence WHERE name IN ({marks})"
    rows = dict(conn.execute(query, HUB_SEQUENCES))
    used: dict[str, int] = {}
    hub_ahead = replaced is None
    if replaced is not None:
        old = sqlite3.connect(f"file:{replaced}?mode=ro", uri=True)
        try:
            used = dict(old.execute(query, HUB_SEQUENCES))
            hub_ahead = _setting(old, _EVENTS_ACKED) > rows.get("event", 0)
        finally:
            old.close()
    seqs = {name: max(rows.get(name, 0), used.get(name, 0)) for name in HUB_SEQUENCES}
    if hub_ahead:
        floor = (max(seqs.values(), default=0) // EPOCH + 1) * EPOCH
        seqs = {name: floor for name in HUB_SEQUENCES}
    with conn:
        for name, seq in seqs.items():
            conn.execute("DELETE FROM sqlite_sequence WHERE name = ?", (name,))
            conn.execute("INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)", (name, seq))
    return seqs["event"]


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
