"""What the check-in flow tells the kiosk, the monitor and the camera: one LiveResult per decision."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

# LiveResult.kind values.
MATCH, UNKNOWN, SPOOF, LOW_QUALITY, NO_FACE, LOOK_AT_CAMERA, ENROLLING = (
    "MATCH", "UNKNOWN", "SPOOF", "LOW_QUALITY", "NO_FACE", "LOOK_AT_CAMERA", "ENROLLING")

# (x, y, w, h) in frame pixels, frame width, frame height: one face of a camera's latest analysed frame.
LiveFace = tuple[tuple[int, int, int, int], int, int]


@dataclass(frozen=True)
class LiveResult:
    """What a camera's check-in concluded; published on the flow's `results`."""

    camera_id: str
    at: datetime
    kind: str
    person_id: str = ""
    display_name: str = ""
    # ENTRY, EXIT, DUPLICATE or REJECTED for a MATCH; "" otherwise.
    event_type: str = ""
    event_time: datetime | None = None
    message: str = ""
