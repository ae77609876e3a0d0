"""The node's status snapshot: records the collector fills and the adapters (gRPC, kiosk) present."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from edge_node.attendance.model import Event
from edge_node.attendance.trusted_time import ClockState
from edge_node.status.host import HostStatus
from edge_node.sync.status import SyncStatus


@dataclass(frozen=True)
class StageLatency:
    stage: str
    p50_ms: float
    p95_ms: float


@dataclass(frozen=True)
class ModelVersion:
    role: str
    name: str
    sha256_prefix: str


@dataclass(frozen=True)
class RecognitionStatus:
    enabled: bool
    error: str = ""
    model_id: str = ""
    template_count: int = 0
    person_count: int = 0
    models: tuple[ModelVersion, ...] = ()
    match_threshold: float = 0.0


@dataclass(frozen=True)
class NodeStatus:
    taken_at: datetime
    version: str
    uptime_seconds: float
    # The capture service's CameraStatus records (camera_id, state, fps, ...), as it reports them.
    cameras: tuple[Any, ...]
    stages: tuple[StageLatency, ...]
    recent_events: tuple[Event, ...]
    recognition: RecognitionStatus
    # None when sync is disabled.
    sync: SyncStatus | None
    host: HostStatus
    # Problems of the setup an admin should fix (edge_node.status.setup_warnings), one sentence each.
    warnings: tuple[str, ...] = ()
    clock: ClockState | None = None
