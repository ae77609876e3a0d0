"""Background WAL checkpoints, so the fsync of a checkpoint never lands on a writer's request."""
from __future__ import annotations

import logging
import sqlite3
import threading
from pathlib import Path

log = logging.getLogger(__name__)

# Writers checkpoint by themselves only if the background thread falls this far behind (pages of 4 KiB).
FALLBACK_AUTOCHECKPOINT_PAGES = 16000


class Checkpointer:
    """Runs `PRAGMA wal_checkpoint(PASSIVE)` on its own connection every `interval` seconds."""

    def __init__(self, path: Path, interval: float = 1.0) -> None:
        self._path = path
        self._interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="wal-checkpoint", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        connection = sqlite3.connect(self._path, check_same_thread=False)
        try:
            while not self._stop.wait(self._interval):
                try:
                    connection.execute("PRAGMA wal_checkpoint(PASSIVE)")
                except sqlite3.Error as exc:  # a busy database is retried on the next tick
                    log.debug("checkpoint skipped: %s", exc)
        finally:
            connection.close()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
