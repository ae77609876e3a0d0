"""`edge-node report timecards --from DATE --to DATE [--format csv|xlsx]`: timecards for payroll, from a running node.

The CSV has one row per person and shift day, with these columns (stable; new ones are only ever
appended): person_id, person_name, date (ISO, the shift day), shift, status, first_in, last_out (ISO
8601 with offset, site time zone), worked_hours, break_hours, overtime_hours (decimal hours),
late_minutes, early_leave_minutes, flags (';'-separated), punches, corrections, sources.
The XLSX (extra `xlsx`) has the same rows and columns as typed cells (first_in and last_out as the
site's wall-clock time), and a sheet of each person's totals.
"""
from __future__ import annotations

import argparse
import csv
import io
import sys
from datetime import date, datetime
from pathlib import Path
from types import ModuleType
from typing import Any, Iterable
from zoneinfo import ZoneInfo

from edge_node.admin_call import CallFailed, call_attendance
from edge_node.client import add_connection_args
from edge_node.gen.edge.attendance.v1 import attendance_pb2 as pb

COLUMNS = ("person_id", "person_name", "date", "shift", "status", "first_in", "last_out", "worked_hours", "break_hours",
           "overtime_hours", "late_minutes", "early_leave_minutes", "flags", "punches", "corrections", "sources")
TOTAL_COLUMNS = ("person_id", "person_name", "present_days", "half_days", "absent_days", "worked_hours", "break_hours",
                 "overtime_hours", "late_minutes", "early_leave_minutes")
MISSING_EXTRA = "--format xlsx needs XlsxWriter: pip install 'edge-node[xlsx]'"


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("report", help="attendance reports from a running node")
    kinds = parser.add_subparsers(dest="report_kind", required=True, metavar="REPORT")
    cards = kinds.add_parser("timecards", help="one row per person and shift day, for payroll")
    cards.add_argument("--from", dest="from_date", required=True, help="first day, YYYY-MM-DD")
    cards.add_argument("--to", dest="to_date", required=True, help="last day, YYYY-MM-DD (inclusive)")
    cards.add_argument("--person", default="", help="only this person")
    cards.add_argument("--format", choices=("csv", "xlsx"), default="csv", help="xlsx needs the extra `xlsx`")
    cards.add_argument("--output", type=Path, default=None,
                       help="file to write (default: standard output; required for xlsx)")
    add_connection_args(cards)
    cards.set_defaults(func=run_timecards)


def rows(reply: pb.GetTimecardsResponse) -> Iterable[list[Any]]:
    """The rows of a GetTimecards reply in COLUMNS order, typed: dates, times in the site's zone, hours
    rounded to the two decimals the CSV shows."""
    zone = ZoneInfo(reply.time_zone)
    for card in reply.timecards:
        for day in card.days:
            yield [card.person_id, card.person_name, date.fromisoformat(day.date), day.shift,
                   pb.DayStatus.Name(day.status)[len("DAY_STATUS_"):], _time(day, "first_in", zone),
                   _time(day, "last_out", zone), round(day.worked_hours, 2), round(day.break_hours, 2),
                   round(day.overtime_hours, 2), day.late_minutes, day.early_leave_minutes,
                   ";".join(pb.AnomalyKind.Name(f)[len("ANOMALY_KIND_"):] for f in day.flags), day.punches,
                   day.corrections, ";".join(day.sources)]


def _totals(reply: pb.GetTimecardsResponse) -> Iterable[list[Any]]:
    """Each person's totals over the period, in TOTAL_COLUMNS order."""
    for card in reply.timecards:
        t = card.totals
        yield [card.person_id, card.person_name, t.present_days, t.half_days, t.absent_days, round(t.worked_hours, 2),
               round(t.break_hours, 2), round(t.overtime_hours, 2), t.late_minutes, t.early_leave_minutes]


def _csv_cell(value: Any) -> Any:
    """A typed cell as the CSV shows it."""
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:.2f}"
    return "" if value is None else value


def _time(day: pb.TimecardDay, field: str, zone: ZoneInfo) -> datetime | None:
    if not day.HasField(field):
        return None
    stamp = getattr(day, field)
    return datetime.fromtimestamp(stamp.seconds + stamp.nanos / 1e9, zone)


def run_timecards(args: argparse.Namespace) -> int:
    if args.format == "xlsx":
        if args.output is None:
            print("--format xlsx needs --output FILE (a workbook is not text)", file=sys.stderr)
            return 2
        try:
            from edge_node import workbook  # imports XlsxWriter: only the xlsx export needs the extra
        except ModuleNotFoundError as exc:
            if exc.name != "xlsxwriter":
                raise
            print(MISSING_EXTRA, file=sys.stderr)
            return 2
    request = pb.GetTimecardsRequest(from_date=args.from_date, to_date=args.to_date, person_id=args.person)
    try:
        reply = call_attendance(args, lambda stub, md: stub.GetTimecards(request, metadata=md, timeout=300))
    except CallFailed as exc:
        print(exc, file=sys.stderr)
        return 1
    if args.format == "xlsx":
        _write_xlsx(workbook, args.output, reply)
    else:
        _write_csv(args.output, reply)
    return 0


def _write_xlsx(workbook: ModuleType, path: Path, reply: pb.GetTimecardsResponse) -> None:
    """The day rows and the totals as two sheets; times as the site's wall-clock time (Excel has no zones)."""
    days = [[v.replace(tzinfo=None) if isinstance(v, datetime) else v for v in row] for row in rows(reply)]
    workbook.write_workbook(path, [workbook.Sheet("timecards", COLUMNS, days),
                                   workbook.Sheet("totals", TOTAL_COLUMNS, list(_totals(reply)))],
                            comments=f"times are wall-clock times in {reply.time_zone}")


def _write_csv(path: Path | None, reply: pb.GetTimecardsResponse) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows([_csv_cell(v) for v in row] for row in rows(reply))
    if path:
        path.write_text(buffer.getvalue(), encoding="utf-8")
    else:
        sys.stdout.write(buffer.getvalue())
