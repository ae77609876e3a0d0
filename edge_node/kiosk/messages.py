"""What the kiosk page receives over server-sent events: plain JSON-ready dicts."""
from __future__ import annotations

from datetime import datetime, tzinfo
from typing import Any

from edge_node.attendance.model import Event, EventType
from edge_node.attendance.trusted_time import ClockState
from edge_node.checkin.camera_enrolment import EnrolmentProgress

# Attendance events as the live pipeline's result kinds, so the page has one vocabulary.
_KIND_OF_EVENT = {EventType.UNKNOWN_FACE: "UNKNOWN", EventType.SPOOF: "SPOOF"}


def _clock(when: datetime | None, zone: tzinfo) -> str:
    return when.astimezone(zone).strftime("%H:%M") if when is not None else ""


def presence(last_counted: Event | None, zone: tzinfo) -> dict[str, str]:
    """Whether a person is IN or OUT, from their last ENTRY/EXIT ({} when they have none)."""
    if last_counted is None:
        return {}
    return {"state": "IN" if last_counted.event_type is EventType.ENTRY else "OUT",
            "since": _clock(last_counted.occurred_at, zone)}


def result_message(result: Any, zone: tzinfo, present: dict[str, str] | None = None) -> dict[str, str]:
    """A check-in LiveResult (camera_id, kind, display_name, event_type, event_time, message);
    ``present`` (see :func:`presence`) tells a DUPLICATE whether the person is IN or OUT."""
    return {"camera_id": result.camera_id, "kind": result.kind, "name": result.display_name or result.person_id,
            "event_type": result.event_type, "time": _clock(result.event_time or result.at, zone),
            "message": result.message, **(present or {})}


def event_message(event: Event, zone: tzinfo, present: dict[str, str] | None = None) -> dict[str, str]:
    """A logged attendance event (for example a RecordScan from the admin API)."""
    kind = _KIND_OF_EVENT.get(event.event_type, "MATCH")
    return {"camera_id": event.camera_id, "kind": kind, "name": event.person_name or event.person_id,
            "event_type": "" if kind != "MATCH" else event.event_type.value,
            "time": _clock(event.occurred_at, zone), "message": event.reason, **(present or {})}


def status_message(hub: str, cameras: int, camera: str, clock: dict[str, Any] | None = None,
                   enrolment: dict[str, Any] | None = None) -> dict[str, Any]:
    """hub: "reachable", "unreachable" or "off" (standalone node); camera: "live" or "missing".

    Hooks, rendered by the page when not None: ``clock`` = {"state": "synced" | "unsynced" | ...,
    "detail": text}; ``enrolment`` = {"person": name, "hint": "turn slightly left", "done": n, "total": m}.
    """
    return {"hub": hub, "cameras": cameras, "camera": camera, "clock": clock, "enrolment": enrolment}


def clock_message(clock: ClockState) -> dict[str, Any]:
    """The clock hook from the node's trusted-time state."""
    if clock.held_since is not None:
        return {"state": "held", "detail": f"clock behind by {clock.behind_seconds:.0f} s; times held"}
    if clock.synchronised is None:
        return {"state": "unknown", "detail": "sync unknown"}
    return {"state": "synced", "detail": ""} if clock.synchronised else {"state": "unsynced", "detail": "not synced"}


def enrolment_message(person: str, progress: EnrolmentProgress) -> dict[str, Any]:
    """The enrolment hook from the enrolment running at the kiosk's camera."""
    return {"person": person, "hint": progress.guidance, "done": progress.accepted, "total": progress.needed}


def faces_message(faces: list[Any]) -> dict[str, Any]:
    """Face boxes as fractions of the frame: LiveFace tuples ((x, y, w, h), width, height)."""
    return {"boxes": [[x / width, y / height, w / width, h / height]
                      for (x, y, w, h), width, height in faces if width > 0 and height > 0]}
