"""Schedules and their versions as edge.attendance.v1 messages: node servicers, the sync worker and the hub."""
from __future__ import annotations

from dataclasses import asdict, fields

from edge_node.attendance.reports import parse_local_date
from edge_node.attendance.rules import PayRules
from edge_node.attendance.schedule import OvertimeRule, Schedule, Shift, schedule_from_dict
from edge_node.attendance.schedule_history import ScheduleVersion
from edge_node.gen.edge.attendance.v1 import attendance_pb2 as pb
from edge_node.wire.timestamps import from_timestamp, to_timestamp


def schedule_to_pb(schedule: Schedule) -> pb.Schedule:
    return pb.Schedule(
        shifts=[pb.Shift(**asdict(s)) for s in schedule.shifts],
        patterns=[pb.WeeklyPattern(name=p.name, days=list(p.days)) for p in schedule.patterns],
        default_pattern=schedule.default_pattern, person_patterns=dict(schedule.person_patterns),
        group_patterns=dict(schedule.group_patterns), person_groups=dict(schedule.person_groups),
        holidays=sorted(d.isoformat() for d in schedule.holidays),
        pay=pb.PayRules(**asdict(schedule.pay)) if schedule.pay else None,
        overtime=pb.OvertimeRule(**asdict(schedule.overtime)), day_off_shift=schedule.day_off_shift)


def schedule_from_pb(message: pb.Schedule) -> Schedule:
    """The schedule as sent; checked by the store (an unset default_pattern means "default"; unset pay rules
    are the node's settings)."""
    shifts = [_fields_of(Shift, s) for s in message.shifts]
    return schedule_from_dict({
        "shifts": shifts, "patterns": [{"name": p.name, "days": list(p.days)} for p in message.patterns],
        "default_pattern": message.default_pattern or "default", "person_patterns": dict(message.person_patterns),
        "group_patterns": dict(message.group_patterns), "person_groups": dict(message.person_groups),
        "holidays": list(message.holidays),
        "pay": _fields_of(PayRules, message.pay) if message.HasField("pay") else None,
        "overtime": _fields_of(OvertimeRule, message.overtime), "day_off_shift": message.day_off_shift})


def _fields_of(kind: type, message) -> dict:
    """The message's fields named like the dataclass `kind`'s (repeated fields as lists)."""
    return {f.name: list(v) if not isinstance(v := getattr(message, f.name), (str, int, float, bool)) else v
            for f in fields(kind)}


def pay_to_pb(pay: PayRules) -> pb.PayRules:
    return pb.PayRules(**asdict(pay))


def pay_from_pb(message: pb.PayRules) -> PayRules:
    """Received pay rules, checked as the settings are (InvalidArgument naming the bad field)."""
    return PayRules.from_dict(_fields_of(PayRules, message))


def version_to_pb(version: ScheduleVersion | None, with_schedule: bool = True) -> pb.ScheduleVersion:
    """A version as sent; None (the built-in default in force) is version 0."""
    if version is None:
        return pb.ScheduleVersion()
    return pb.ScheduleVersion(version=version.version, effective_from=version.effective_from.isoformat(),
                              schedule=schedule_to_pb(version.schedule) if with_schedule else None,
                              actor=version.actor, recorded_at=to_timestamp(version.recorded_at))


def version_from_pb(message: pb.ScheduleVersion, field: str, source: str = "") -> ScheduleVersion:
    """A received version (not yet validated against the rules); bad dates are InvalidArgument."""
    return ScheduleVersion(message.version, parse_local_date(message.effective_from, f"{field}.effective_from"),
                           schedule_from_pb(message.schedule), message.actor, from_timestamp(message, "recorded_at"),
                           source)
