"""A check-in's outcome as a LiveResult: the words on the kiosk and whether the camera shows green."""
from __future__ import annotations

from datetime import datetime, tzinfo

from edge_node.attendance.punch_feedback import punch_feedback
from edge_node.attendance.log import ScanResult
from edge_node.checkin import results as kinds
from edge_node.checkin.results import LiveResult
from edge_node.recognition.engine import RecognizeOutcome
from edge_node.vision.types import Decision

ACCEPTED_EVENTS = ("ENTRY", "EXIT", "DUPLICATE")
_GREETING = {"ENTRY": "Welcome, {}", "EXIT": "Goodbye, {}", "DUPLICATE": "Already recorded, {}",
             "REJECTED": "Not allowed: {}"}
_MESSAGE = {kinds.UNKNOWN: "Face not recognised", kinds.SPOOF: "Live face required",
            kinds.NO_FACE: "No face found; step closer", kinds.LOW_QUALITY: "Hold still and face the camera"}


def live_result(outcome: RecognizeOutcome, scan: ScanResult | None, camera_id: str, at: datetime,
                zone: tzinfo) -> LiveResult:
    result = outcome.result
    kind = result.decision.value
    if result.decision is Decision.MATCH and scan is not None:
        event = scan.event
        name = event.person_name or outcome.names.get(event.person_id, "") or event.person_id
        event_type = event.event_type.value
        if scan.card is not None:  # the punch as the person's day sees it: "Welcome, Ann - IN at 08:02"
            message = punch_feedback(scan, zone).message
        else:
            message = _GREETING.get(event_type, "{}").format(name)
            if event_type == "REJECTED" and event.reason:
                message = f"{message} ({event.reason})"
        return LiveResult(camera_id, at, kind, event.person_id, name, event_type, event.occurred_at, message)
    message = _MESSAGE.get(kind, kind)
    if result.decision is Decision.LOW_QUALITY and result.faces and result.faces[0].quality.reason:
        message = result.faces[0].quality.reason
    return LiveResult(camera_id, at, kind, message=message)


def repeated(earlier: LiveResult, at: datetime, zone: tzinfo) -> LiveResult:
    """The same person again within the linger window: no new punch, the earlier one restated."""
    state = "IN" if earlier.event_type == "ENTRY" else "OUT"
    since = f" since {earlier.event_time.astimezone(zone):%H:%M}" if earlier.event_time else ""
    return LiveResult(earlier.camera_id, at, kinds.MATCH, earlier.person_id, earlier.display_name, "DUPLICATE",
                      earlier.event_time, f"Already recorded - you are {state}{since}")


def logged(result: LiveResult) -> bool:
    """True when the result left a record (an event or an audit attempt), so the cooldown applies."""
    return result.kind in (kinds.MATCH, kinds.UNKNOWN, kinds.SPOOF)


def accepted(result: LiveResult) -> bool:
    """Whether the camera shows the accepted (green) signal."""
    return result.kind == kinds.MATCH and result.event_type in ACCEPTED_EVENTS
