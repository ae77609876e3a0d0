"""Read-only checks of a node's SQLite file: event ids, integrity, id gaps."""
from __future__ import annotations

import sqlite3
import time
from pathlib import Path


def _connect(db: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=10)


def event_rows(db: Path) -> list[tuple[int, str, int, str]]:
    """(id, person_id, occurred_us, camera_id) of every event, by id."""
    with _connect(db) as conn:
        return conn.execute("SELECT id, person_id, occurred_us, camera_id FROM event ORDER BY id").fetchall()


def integrity(db: Path) -> str:
    """The result of PRAGMA integrity_check ('ok' when the file is sound)."""
    with _connect(db) as conn:
        return "; ".join(r[0] for r in conn.execute("PRAGMA integrity_check").fetchall())


def id_gaps(ids: list[int]) -> int:
    """How many ids are missing between the first and the last."""
    return (ids[-1] - ids[0] + 1 - len(ids)) if ids else 0


def wait_quiet(db: Path, quiet: float = 1.0, timeout: float = 30.0) -> bool:
    """Wait until the node's event log has not changed for `quiet` seconds (work already in the pipeline,
    such as an HQ frame being recognised, is done), so the hub can be compared with a log that stays put."""
    deadline = time.monotonic() + timeout
    last = len(event_rows(db))
    while time.monotonic() < deadline:
        time.sleep(quiet)
        now = len(event_rows(db))
        if now == last:
            return True
        last = now
    return False
