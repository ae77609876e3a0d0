"""What the kiosk says after a scan, from the stored punch and the person's shift day (plain text)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from edge_node.attendance.log import ScanResult
from edge_node.attendance.model import EventType


@dataclass(frozen=True)
class PunchFeedback:
    """`state` is IN, OUT or REJECTED after the scan; `since` is when that state began."""

    event_type: EventType
    state: str
    since: datetime | None
    message: str


def punch_feedback(result: ScanResult, zone: ZoneInfo) -> PunchFeedback:
    """"Welcome, Ann - IN at 08:02", "Already recorded - you are IN since 08:02", or the reason of a rejection."""
    event, card = result.event, result.card
    name = event.person_name or event.person_id
    if card is None:
        return PunchFeedback(event.event_type, "REJECTED", None, event.reason)
    # A door's kiosk records its direction even when this box has not heard of the other door's last punch.
    state = {EventType.ENTRY: "IN", EventType.EXIT: "OUT"}.get(event.event_type, "IN" if card.punches % 2 else "OUT")
    since = card.last_punch
    at = f"{since.astimezone(zone):%H:%M}" if since else ""
    if event.event_type is EventType.ENTRY:
        message = f"Welcome, {name} - IN at {at}"
    elif event.event_type is EventType.EXIT:
        message = f"Goodbye, {name} - OUT at {at} ({card.paid_hours:.1f} h today)"
    else:
        message = f"Already recorded - you are {state} since {at}"
    return PunchFeedback(event.event_type, state, since, message)

