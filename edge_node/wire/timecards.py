"""Timecards (computed day cards of a person) as edge.attendance.v1 messages: the node and the hub serve the same."""
from __future__ import annotations

from datetime import date

from edge_node.attendance.corrections import CorrectionNote
from edge_node.attendance.timecard import DayCard, totals
from edge_node.attendance.verify import VerifyResult
from edge_node.gen.edge.attendance.v1 import attendance_pb2 as pb
from edge_node.wire.timestamps import to_timestamp


def timecard_day_to_pb(card: DayCard) -> pb.TimecardDay:
    return pb.TimecardDay(
        date=card.day.isoformat(), shift=card.shift, status=pb.DayStatus.Value(f"DAY_STATUS_{card.status.value}"),
        first_in=to_timestamp(card.first_in), last_out=to_timestamp(card.last_out), worked_hours=card.worked_hours,
        break_hours=card.break_hours, late_minutes=card.late_minutes, early_leave_minutes=card.early_leave_minutes,
        overtime_hours=card.overtime_hours, flags=[pb.AnomalyKind.Value(f"ANOMALY_KIND_{f.value}") for f in card.flags],
        punches=card.punches, corrections=card.corrections, is_in=card.is_in, sources=list(card.sources))


def timecard_to_pb(person_id: str, person_name: str, days: list[DayCard]) -> pb.Timecard:
    return pb.Timecard(person_id=person_id, person_name=person_name, days=[timecard_day_to_pb(d) for d in days],
                       totals=pb.TimecardTotals(**totals(days)))


def verify_result_to_pb(result: VerifyResult) -> pb.VerifyLogResponse:
    """The log's verification state, as `log verify` and the reports carry it."""
    return pb.VerifyLogResponse(ok=result.ok, checked=result.checked, head=result.head,
                                broken_event_id=result.broken.seq if result.broken else 0,
                                problem=result.broken.problem if result.broken else "")


def correction_note_to_pb(note: CorrectionNote) -> pb.CorrectionNote:
    return pb.CorrectionNote(event_id=note.event_id, event_type=pb.EventType.Value(f"EVENT_TYPE_{note.kind.value}"),
                             occurred_at=to_timestamp(note.at), reason=note.reason, actor=note.actor)


def annotate_timecards(reply: pb.GetTimecardsResponse, notes: dict[tuple[str, date], list[CorrectionNote]]) -> None:
    """Add each day's correction notes ({(person_id, date): [CorrectionNote]}) to a GetTimecards reply."""
    for card in reply.timecards:
        for day in card.days:
            found = notes.get((card.person_id, date.fromisoformat(day.date)), ())
            day.correction_notes.extend(correction_note_to_pb(n) for n in found)
