"""A real COMMIT failure on a node's SQLite file, as a failing or full disk gives one.

For each event of one camera id a trigger inserts a row whose deferred foreign key has no parent: the
insert and its savepoint succeed, and SQLite refuses the transaction's COMMIT (SQLITE_CONSTRAINT_FOREIGNKEY,
checked at commit because the key is deferred; the node's connections enforce foreign keys).
"""
from __future__ import annotations

import sqlite3
from pathlib import Path

_SCRIPT = """
CREATE TABLE IF NOT EXISTS fault_parent (id INTEGER PRIMARY KEY);
CREATE TABLE IF NOT EXISTS fault_orphan (parent INTEGER REFERENCES fault_parent (id) DEFERRABLE INITIALLY DEFERRED);
CREATE TRIGGER IF NOT EXISTS fault_refuse_commit AFTER INSERT ON event WHEN NEW.camera_id = '{camera_id}'
BEGIN INSERT INTO fault_orphan (parent) VALUES (1); END;
"""


def refuse_commits_of(db: Path, camera_id: str) -> None:
    """From now on a transaction that stores an event of `camera_id` fails at its COMMIT."""
    if not camera_id.replace("-", "").isalnum():
        raise ValueError(f"camera id {camera_id!r}: letters, digits and dashes only")
    conn = sqlite3.connect(db, timeout=10)
    try:
        conn.executescript(_SCRIPT.format(camera_id=camera_id))
    finally:
        conn.close()
