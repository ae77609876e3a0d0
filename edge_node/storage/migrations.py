"""Forward-only schema migrations, recorded in `schema_version`."""
from __future__ import annotations

from typing import Callable

from edge_node.storage.schema import Tables


def _v1_initial(tables: Tables) -> None:
    tables.db.create_tables([tables.person, tables.event, tables.summary, tables.setting])


def _v2_templates_and_journal(tables: Tables) -> None:
    tables.db.create_tables([tables.template, tables.change])


def _v3_cameras(tables: Tables) -> None:
    tables.db.create_tables([tables.camera])


def _v4_camera_stream_settings(tables: Tables) -> None:
    if "stream_settings" not in {c.name for c in tables.db.get_columns("camera")}:  # v3 of this release has it
        tables.db.execute_sql("ALTER TABLE camera ADD COLUMN stream_settings TEXT NOT NULL DEFAULT ''")


MIGRATIONS: list[Callable[[Tables], None]] = [_v1_initial, _v2_templates_and_journal, _v3_cameras,
                                              _v4_camera_stream_settings]
SCHEMA_VERSION = len(MIGRATIONS)


def current_version(tables: Tables) -> int:
    tables.db.create_tables([tables.version])
    row = tables.version.select().order_by(tables.version.version.desc()).first()
    return row.version if row else 0


def migrate(tables: Tables) -> int:
    """Apply every migration newer than the database's version; return the final version."""
    version = current_version(tables)
    if version > SCHEMA_VERSION:
        raise RuntimeError(f"database schema version {version} is newer than this edge-node ({SCHEMA_VERSION}); upgrade edge-node")
    for number in range(version + 1, SCHEMA_VERSION + 1):
        with tables.db.atomic():
            MIGRATIONS[number - 1](tables)
            tables.version.delete().execute()
            tables.version.create(version=number)
    return SCHEMA_VERSION
