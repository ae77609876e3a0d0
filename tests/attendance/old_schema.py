"""A node database left at an old schema version, built with that version's frozen DDL (not today's models)."""
from __future__ import annotations

from pathlib import Path

from edge_node.storage.migrations import apply_version, current_version
from edge_node.storage.schema import Tables, bind, open_database


def database_at(path: Path, version: int) -> Tables:
    """A new database file at schema `version`, open (the caller fills it, then closes it)."""
    old = bind(open_database(path))
    assert current_version(old) == 0  # creates the version table
    for number in range(1, version + 1):
        with old.db.atomic():
            apply_version(old.db, number)
    old.db.execute_sql("INSERT INTO schema_version (version) VALUES (?)", (version,))
    return old
