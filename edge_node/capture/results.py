"""A recognition outcome as a LiveResult, and what the camera signals for it."""
from __future__ import annotations

from datetime import datetime

from edge_node.capture import live_types as kinds
from edge_node.capture.live_types import LiveResult
from edge_node.gen.edge.capture.v1 import capture_pb2
from edge_node.recognition.engine import RecognizeOutcome
from edge_node.vision.types import Decision

ACCEPTED_EVENTS = ("ENTRY", "EXIT", "DUPLICATE")
_GREETING = {"ENTRY": "Welcome, {}", "EXIT": "Goodbye, {}", "DUPLICATE": "Already recorded, {}",
             "REJECTED": "Not allowed: {}"}
_MESSAGE = {kinds.UNKNOWN: "Face not recognised", kinds.SPOOF: "Live face required",
            kinds.NO_FACE: "No face found; step closer", kinds.LOW_QUALITY: "Hold still and face the camera"}


def live_result(outcome: RecognizeOutcome, camera_id: str, at: datetime) -> LiveResult:
    result = outcome.result
    kind = result.decision.value
    if result.decision is Decision.MATCH and outcome.scan is not None:
        event = outcome.scan.event
        name = event.person_name or outcome.names.get(event.person_id, "") or event.person_id
        event_type = event.event_type.value
        message = _GREETING.get(event_type, "{}").format(name)
        if event_type == "REJECTED" and event.reason:
            message = f"{message} ({event.reason})"
        return LiveResult(camera_id, at, kind, event.person_id, name, event_type, event.occurred_at, message)
    message = _MESSAGE.get(kind, kind)
    if result.decision is Decision.LOW_QUALITY and result.faces and result.faces[0].quality.reason:
        message = result.faces[0].quality.reason
    return LiveResult(camera_id, at, kind, message=message)


def logged(result: LiveResult) -> bool:
    """True when the result left a record (an event or an audit attempt), so the cooldown applies."""
    return result.kind in (kinds.MATCH, kinds.UNKNOWN, kinds.SPOOF)


def signal(result: LiveResult) -> int:
    if result.kind == kinds.MATCH and result.event_type in ACCEPTED_EVENTS:
        return capture_pb2.RESULT_SIGNAL_ACCEPTED
    return capture_pb2.RESULT_SIGNAL_REJECTED
