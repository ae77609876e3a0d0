"""Conversions between attendance domain records and their protobuf messages."""
from __future__ import annotations

from typing import Any


from edge_node.attendance.punch_reviews import PunchReview
from edge_node.attendance.model import AnomalyKind, AttendanceStatus, DailyReport, DailySummary, Employment, Event, EventType, Person
from edge_node.attendance.reports import parse_local_date
from edge_node.attendance.timecard import DayCard
from edge_node.common.errors import InvalidArgument
from edge_node.gen.edge.attendance.v1 import attendance_pb2 as pb
from edge_node.wire.timestamps import to_timestamp
from edge_node.settings import RuntimeSettings, runtime_field_names


def person_to_pb(person: Person, template_count: int = 0) -> pb.Person:
    return pb.Person(person_id=person.person_id, display_name=person.display_name, active=person.active,
                     created_at=to_timestamp(person.created_at), updated_at=to_timestamp(person.updated_at),
                     last_seen_at=to_timestamp(person.last_seen_at), template_count=template_count,
                     employed_from=person.employment.start.isoformat() if person.employment.start else "",
                     employed_until=person.employment.end.isoformat() if person.employment.end else "")


def employment_from_pb(person: pb.Person, paths: set[str], kept: Employment) -> Employment:
    """The employment period after an upsert: the fields the mask names from `person`, the rest kept."""
    start = parse_local_date(person.employed_from, "employed_from") if person.employed_from else None
    end = parse_local_date(person.employed_until, "employed_until") if person.employed_until else None
    return Employment(start if "employed_from" in paths else kept.start, end if "employed_until" in paths else kept.end)


# The wire value of each domain enum member, looked up once (a scan's answer uses three of them).
_EVENT_TYPE = {t: pb.EventType.Value(f"EVENT_TYPE_{t.value}") for t in EventType}
_ANOMALY_KIND = {k: pb.AnomalyKind.Value(f"ANOMALY_KIND_{k.value}") for k in AnomalyKind}
_STATUS = {s: pb.AttendanceStatus.Value(f"ATTENDANCE_STATUS_{s.value}") for s in AttendanceStatus}


def event_type_to_pb(event_type: EventType) -> int:
    return _EVENT_TYPE[event_type]


def event_type_from_pb(value: int) -> EventType:
    name = pb.EventType.Name(value) if value in pb.EventType.values() else ""
    if not name or value == pb.EVENT_TYPE_UNSPECIFIED:
        raise InvalidArgument(f"event type {value} is not a known EventType")
    return EventType(name.removeprefix("EVENT_TYPE_"))


def event_to_pb(event: Event) -> pb.AttendanceEvent:
    return pb.AttendanceEvent(
        event_id=event.event_id, person_id=event.person_id, person_name=event.person_name,
        event_type=event_type_to_pb(event.event_type), occurred_at=to_timestamp(event.occurred_at),
        local_date=event.local_date.isoformat(), confidence=event.confidence, camera_id=event.camera_id,
        anomalies=[pb.Anomaly(kind=_ANOMALY_KIND[a.kind], reason=a.reason)
                   for a in event.anomalies],
        reason=event.reason, liveness=event.liveness, ref_event_id=event.ref_seq or 0, actor=event.actor,
        hash=event.hash)


def summary_to_pb(summary: DailySummary) -> pb.DailySummary:
    return pb.DailySummary(
        person_id=summary.person_id, person_name=summary.person_name, local_date=summary.local_date.isoformat(),
        first_entry_at=to_timestamp(summary.first_entry_at), last_exit_at=to_timestamp(summary.last_exit_at),
        entry_count=summary.entry_count, exit_count=summary.exit_count, hours_worked=summary.hours_worked,
        status=_STATUS[summary.status],
        anomaly_count=summary.anomaly_count, open_entry=summary.open_entry)


def report_to_pb(report: DailyReport) -> pb.GetDailyReportResponse:
    return pb.GetDailyReportResponse(
        local_date=report.local_date.isoformat(), time_zone=report.time_zone,
        summaries=[summary_to_pb(s) for s in report.summaries],
        present_count=report.count(AttendanceStatus.PRESENT), half_day_count=report.count(AttendanceStatus.HALF_DAY),
        absent_count=report.count(AttendanceStatus.ABSENT))


def settings_to_pb(settings: RuntimeSettings) -> pb.NodeConfig:
    values = settings.as_dict()
    values["weekend_days"] = list(values["weekend_days"])
    return pb.NodeConfig(**values)


def settings_changes_from_pb(config: pb.NodeConfig, paths: list[str]) -> dict[str, Any]:
    """The NodeConfig fields named in the update mask, by name."""
    known = set(runtime_field_names())
    unknown = [p for p in paths if p not in known]
    if unknown:
        raise InvalidArgument(f"update_mask names unknown field(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}")
    return {p: (tuple(getattr(config, p)) if p == "weekend_days" else getattr(config, p)) for p in paths}


def person_in_to_pb(person_id: str, person_name: str, day: DayCard) -> pb.PersonIn:
    """In since the open punch (the kiosk's "IN since"), not the day's first punch: a person who went out and
    came back is in since they came back."""
    return pb.PersonIn(person_id=person_id, person_name=person_name, since=to_timestamp(day.last_punch),
                       shift=day.shift)



def review_to_pb(review: PunchReview) -> pb.PunchReview:
    return pb.PunchReview(event=event_to_pb(review.event),
                          reasons=[pb.ReviewReason.Value(f"REVIEW_REASON_{r.value}") for r in review.reasons],
                           match_margin=review.match_margin, runner_up_margin=review.runner_up_margin,
                           liveness_margin=review.liveness_margin, crop_jpeg=review.crop or b"",
                           has_crop=review.has_crop, reviewed_at=to_timestamp(review.reviewed_at),
                           reviewed_by=review.reviewed_by, review_note=review.note)
