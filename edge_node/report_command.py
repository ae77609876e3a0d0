"""`edge-node report timecards --from DATE --to DATE [--format csv]`: timecards for payroll, from a running node.

The CSV has one row per person and shift day, with these columns (stable; new ones are only ever
appended): person_id, person_name, date (ISO, the shift day), shift, status, first_in, last_out (ISO
8601 with offset, site time zone), worked_hours, break_hours, overtime_hours (decimal hours),
late_minutes, early_leave_minutes, flags (';'-separated), punches, corrections, sources.
"""
from __future__ import annotations

import argparse
import csv
import io
import sys
from datetime import datetime
from pathlib import Path
from typing import Iterable
from zoneinfo import ZoneInfo

from edge_node.admin_call import CallFailed, call_attendance
from edge_node.client import add_connection_args
from edge_node.gen.edge.attendance.v1 import attendance_pb2 as pb

COLUMNS = ("person_id", "person_name", "date", "shift", "status", "first_in", "last_out", "worked_hours", "break_hours",
           "overtime_hours", "late_minutes", "early_leave_minutes", "flags", "punches", "corrections", "sources")


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("report", help="attendance reports from a running node")
    kinds = parser.add_subparsers(dest="report_kind", required=True, metavar="REPORT")
    cards = kinds.add_parser("timecards", help="one row per person and shift day, for payroll")
    cards.add_argument("--from", dest="from_date", required=True, help="first day, YYYY-MM-DD")
    cards.add_argument("--to", dest="to_date", required=True, help="last day, YYYY-MM-DD (inclusive)")
    cards.add_argument("--person", default="", help="only this person")
    cards.add_argument("--format", choices=("csv",), default="csv")
    cards.add_argument("--output", type=Path, default=None, help="file to write (default: standard output)")
    add_connection_args(cards)
    cards.set_defaults(func=run_timecards)


def rows(reply: pb.GetTimecardsResponse) -> Iterable[list]:
    """The CSV rows of a GetTimecards reply, in COLUMNS order."""
    zone = ZoneInfo(reply.time_zone)
    for card in reply.timecards:
        for day in card.days:
            yield [card.person_id, card.person_name, day.date, day.shift, pb.DayStatus.Name(day.status)[len("DAY_STATUS_"):],
                   _time(day, "first_in", zone), _time(day, "last_out", zone), f"{day.worked_hours:.2f}",
                   f"{day.break_hours:.2f}", f"{day.overtime_hours:.2f}", day.late_minutes, day.early_leave_minutes,
                   ";".join(pb.AnomalyKind.Name(f)[len("ANOMALY_KIND_"):] for f in day.flags), day.punches,
                   day.corrections, ";".join(day.sources)]


def _time(day: pb.TimecardDay, field: str, zone: ZoneInfo) -> str:
    if not day.HasField(field):
        return ""
    stamp = getattr(day, field)
    return datetime.fromtimestamp(stamp.seconds + stamp.nanos / 1e9, zone).isoformat(timespec="seconds")


def run_timecards(args: argparse.Namespace) -> int:
    request = pb.GetTimecardsRequest(from_date=args.from_date, to_date=args.to_date, person_id=args.person)
    try:
        reply = call_attendance(args, lambda stub, md: stub.GetTimecards(request, metadata=md, timeout=300))
    except CallFailed as exc:
        print(exc, file=sys.stderr)
        return 1
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows(rows(reply))
    if args.output:
        args.output.write_text(buffer.getvalue(), encoding="utf-8")
    else:
        sys.stdout.write(buffer.getvalue())
    return 0

