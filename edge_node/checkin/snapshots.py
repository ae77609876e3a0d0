"""Anomaly snapshots: the HQ frame of selected results under <data_dir>/snapshots, kept for N days.

File names never contain a raw person id: `<UTC time>_<camera>_<kind>_<hmac(person)>.jpg`, with
the HMAC key in `snapshots/.key`, so a person's snapshots can be found (and deleted) by id.
"""
from __future__ import annotations

import hashlib
import hmac
import logging
import threading
import time
from datetime import datetime
from pathlib import Path

from edge_node.common.tokens import load_or_create_token, write_private

log = logging.getLogger(__name__)
PRUNE_EVERY_SECONDS = 3600.0


class SnapshotStore:
    def __init__(self, root: Path, retention_days: float) -> None:
        self.root = root
        self._retention_s = retention_days * 86400.0
        self._key = load_or_create_token(root / ".key")[0].encode()
        self._lock = threading.Lock()
        self._next_prune = 0.0

    def person_tag(self, person_id: str) -> str:
        return hmac.new(self._key, person_id.encode(), hashlib.sha256).hexdigest()[:16] if person_id else "none"

    def save(self, jpeg: bytes, at: datetime, camera_id: str, kind: str, person_id: str = "") -> Path:
        name = f"{at.strftime('%Y%m%dT%H%M%S%fZ')}_{camera_id}_{kind}_{self.person_tag(person_id)}.jpg"
        path = self.root / name
        with self._lock:
            write_private(path, jpeg)
        self.prune_if_due()
        return path

    def snapshots_for_person(self, person_id: str) -> list[Path]:
        return sorted(self.root.glob(f"*_{self.person_tag(person_id)}.jpg"))

    def delete_person(self, person_id: str) -> int:
        """Person-delete hook: remove their snapshots; returns 0 (no templates removed)."""
        for path in self.snapshots_for_person(person_id):
            path.unlink(missing_ok=True)
        return 0

    def prune_if_due(self) -> None:
        now = time.monotonic()
        if now < self._next_prune:
            return
        self._next_prune = now + PRUNE_EVERY_SECONDS
        self.prune()

    def prune(self) -> int:
        """Delete snapshots older than the retention; returns how many."""
        cutoff = time.time() - self._retention_s
        removed = 0
        for path in self.root.glob("*.jpg"):
            try:
                if path.stat().st_mtime < cutoff:
                    path.unlink()
                    removed += 1
            except FileNotFoundError:
                continue
        if removed:
            log.info("removed %d snapshots older than the retention", removed)
        return removed
