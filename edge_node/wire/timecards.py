"""Timecards (computed day cards of a person) as edge.attendance.v1 messages: the node and the hub serve the same."""
from __future__ import annotations

from datetime import date

from edge_node.attendance.corrections import CorrectionNote
from edge_node.attendance.timecard import DayCard, totals
from edge_node.attendance.verify import VerifyResult
from edge_node.gen.edge.attendance.v1 import attendance_pb2 as pb
from edge_node.gen.edge.sync.v1 import sync_pb2 as sync_pb
from edge_node.wire.timestamps import to_timestamp


def timecard_day_to_pb(card: DayCard) -> pb.TimecardDay:
    return pb.TimecardDay(
        date=card.day.isoformat(), shift=card.shift, status=pb.DayStatus.Value(f"DAY_STATUS_{card.status.value}"),
        day_kind=pb.DayKind.Value(f"DAY_KIND_{card.day_kind.value}"),
        scheduled_start=to_timestamp(card.scheduled_start), scheduled_end=to_timestamp(card.scheduled_end),
        scheduled_paid_minutes=card.scheduled_paid_minutes, scheduled_paid_hours=card.scheduled_paid_hours,
        first_in=to_timestamp(card.first_in), last_out=to_timestamp(card.last_out),
        punch_times=[to_timestamp(t) for t in card.punch_times],
        worked_minutes=card.worked_minutes, worked_hours=card.worked_hours,
        break_minutes=card.break_minutes, break_hours=card.break_hours,
        break_deducted_minutes=card.break_deducted_minutes, break_deducted_hours=card.break_deducted_hours,
        paid_minutes=card.paid_minutes, paid_hours=card.paid_hours,
        overtime_minutes=card.overtime_minutes, overtime_hours=card.overtime_hours,
        late_minutes=card.late_minutes, early_leave_minutes=card.early_leave_minutes,
        flags=[pb.AnomalyKind.Value(f"ANOMALY_KIND_{f.value}") for f in card.flags],
        exceptions=[pb.DayException.Value(f"DAY_EXCEPTION_{e.value}") for e in card.exceptions],
        punches=card.punches, corrections=card.corrections, is_in=card.is_in, sources=list(card.sources),
        time_zone=card.time_zone)


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


def annotate_timecards(reply: pb.GetTimecardsResponse, notes: dict[tuple[str, date], list[CorrectionNote]],
                       log_state: VerifyResult) -> None:
    """Add the log's state and each day's correction notes ({(person_id, date): [CorrectionNote]}) to a node's
    GetTimecards reply (see `mark_log_state`)."""
    mark_log_state(reply, log_state)
    for card in reply.timecards:
        for day in card.days:
            found = notes.get((card.person_id, date.fromisoformat(day.date)), ())
            day.correction_notes.extend(correction_note_to_pb(n) for n in found)


def mark_log_state(reply: pb.GetTimecardsResponse | sync_pb.GetTimecardsResponse, log_state: VerifyResult) -> None:
    """Set a timecards reply's (node's or hub's) log_verification, and add BROKEN_LOG to every row of a period
    whose log does not verify."""
    reply.log_verification.CopyFrom(verify_result_to_pb(log_state))
    if not log_state.ok:
        for card in reply.timecards:
            for day in card.days:
                day.exceptions.append(pb.DAY_EXCEPTION_BROKEN_LOG)
