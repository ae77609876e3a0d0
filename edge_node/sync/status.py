"""What the monitor shows about sync: queue, lag, last success, last error."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class SyncStatus:
    hub: str
    node_id: str
    # Events logged on this node that the hub has not acknowledged yet.
    queue_depth: int
    # Age of the oldest unacknowledged event (0 when the queue is empty).
    lag_seconds: float
    last_seq: int
    acked_seq: int
    roster_version: int
    last_success_at: datetime | None
    last_error: str
    consecutive_failures: int

    @property
    def healthy(self) -> bool:
        return self.consecutive_failures == 0 and self.last_success_at is not None
