"""Plain records the capture layer shows the admin API, the kiosk and the monitor."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from edge_node.capture.stream_settings import StreamSettings


@dataclass(frozen=True)
class CameraStatus:
    camera_id: str
    state: str  # PENDING, PAIRED, REVOKED
    source_kind: str  # PUSH, MJPEG, VIDEO, FOLDER
    address: str
    fps: float
    last_frame_age_ms: int  # -1 when no frame was received
    frames_received: int
    frames_dropped: int
    frames_corrupt: int
    frames_oversized: int = 0
    firmware_version: str = ""
    pairing_code: str = ""
    last_seen_at: datetime | None = None
    stream_settings: StreamSettings | None = None  # push cameras only
    repair_code: str = ""  # a device without the link key asks to take over this paired camera


@dataclass(frozen=True)
class LatestFrame:
    jpeg: bytes
    captured_at: datetime
    width: int
    height: int
