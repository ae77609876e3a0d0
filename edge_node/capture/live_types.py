"""Plain records the capture layer shares with the kiosk, the monitor and the admin API."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from edge_node.capture.stream_settings import StreamSettings

# LiveResult.kind values.
MATCH, UNKNOWN, SPOOF, LOW_QUALITY, NO_FACE, LOOK_AT_CAMERA = (
    "MATCH", "UNKNOWN", "SPOOF", "LOW_QUALITY", "NO_FACE", "LOOK_AT_CAMERA")

# (x, y, w, h) in frame pixels, frame width, frame height: one face of node.live_faces().
LiveFace = tuple[tuple[int, int, int, int], int, int]


@dataclass(frozen=True)
class LiveResult:
    """What a camera's live pipeline concluded; published on node.live_results."""

    camera_id: str
    at: datetime
    kind: str
    person_id: str = ""
    display_name: str = ""
    # ENTRY, EXIT, DUPLICATE or REJECTED for a MATCH; "" otherwise.
    event_type: str = ""
    event_time: datetime | None = None
    message: str = ""


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


@dataclass(frozen=True)
class LatestFrame:
    jpeg: bytes
    captured_at: datetime
    width: int
    height: int
