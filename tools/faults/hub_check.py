"""After a fault run: let the node settle, wait for the hub to catch up, and compare the two event logs."""
from __future__ import annotations

import time
from pathlib import Path

from tools.faults.camera import CameraSim
from tools.faults.procs import hub_event_rows, wait_until
from tools.faults.sqlite_check import event_rows, wait_quiet


def settle(database: str, node_id: str, db: Path, camera: CameraSim | None, timeout: float) -> float | None:
    """Stop the camera, wait until the node's log is quiet, then until the hub holds exactly the node's events;
    the seconds that last wait took, or None when the hub did not catch up within `timeout`."""
    if camera is not None:
        camera.stop()
    wait_quiet(db)
    began = time.monotonic()
    if not wait_until(lambda: hub_event_rows(database, node_id) == event_rows(db), timeout=timeout, interval=0.2):
        return None
    return time.monotonic() - began


def compare(node_rows: list[tuple], hub_rows: list[tuple]) -> dict:
    """Event counts on both sides, what the hub lacks, holds extra or twice, and whether the logs are equal."""
    stored = {r[0] for r in node_rows}
    seqs = [r[0] for r in hub_rows]
    return {"node_events": len(node_rows), "hub_events": len(hub_rows), "hub_missing": len(stored - set(seqs)),
            "hub_extra": len(set(seqs) - stored), "hub_duplicated": len(seqs) - len(set(seqs)),
            "hub_equal": hub_rows == node_rows}
