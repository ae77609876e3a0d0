"""`edge-node report timecards --from DATE --to DATE [--format csv|xlsx] [--bom] [--totals]`: the payroll export
of a running node's timecards (rows, totals and cells: `edge_node.cli.payroll`, documented in docs/payroll-export.md).

The CSV has one row per person and shift day (or, with --totals, one per person); the XLSX (extra `xlsx`) has
the same rows as typed cells (times as the site's wall-clock time) and a sheet of each person's totals. When
the node's log fails verification for the period, the export is still written, every row carries BROKEN_LOG,
a warning goes to standard error and the exit status is 1 (refused: 3 stays "no node answers"): do not pay from it
before the log is explained.
"""
from __future__ import annotations

import argparse
import sys
from datetime import datetime
from pathlib import Path
from types import ModuleType

from edge_node.cli import payroll
from edge_node.cli.admin_call import call_attendance
from edge_node.cli.exits import USAGE, CommandError
from edge_node.cli.node_client import add_connection_args
from edge_node.gen.edge.attendance.v1 import attendance_pb2 as pb

MISSING_EXTRA = "--format xlsx needs XlsxWriter: pip install 'edge-node[xlsx]'"
EXIT_BROKEN_LOG = 1


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
    cards.add_argument("--bom", action="store_true",
                       help="CSV: start with a UTF-8 byte order mark, so Excel shows names in any script rightly")
    cards.add_argument("--totals", action="store_true", help="CSV: each person's totals instead of the day rows")
    cards.add_argument("--include-unenrolled", action="store_true",
                       help="also the active people without a face or an employment period")
    add_connection_args(cards)
    cards.set_defaults(func=run_timecards)


def run_timecards(args: argparse.Namespace) -> int:
    if args.format == "xlsx":
        if args.output is None:
            raise CommandError("--format xlsx needs --output FILE (a workbook is not text)", USAGE)
        try:
            from edge_node.cli import workbook  # imports XlsxWriter: only the xlsx export needs the extra
        except ModuleNotFoundError as exc:
            if exc.name != "xlsxwriter":
                raise
            raise CommandError(MISSING_EXTRA, USAGE) from None
    request = pb.GetTimecardsRequest(from_date=args.from_date, to_date=args.to_date, person_id=args.person,
                                     include_unenrolled=args.include_unenrolled)
    reply = call_attendance(args, lambda stub, md: stub.GetTimecards(request, metadata=md, timeout=300))
    rows = payroll.day_rows(reply)
    if args.format == "xlsx":
        zones = sorted({d.time_zone or reply.time_zone for c in reply.timecards for d in c.days} or {reply.time_zone})
        _write_xlsx(workbook, args.output, ", ".join(zones), rows)
    else:
        columns, table = (payroll.TOTAL_COLUMNS, payroll.total_rows(rows)) if args.totals else (payroll.COLUMNS, rows)
        text = payroll.csv_text(columns, table, args.bom)
        if args.output:
            args.output.write_text(text, encoding="utf-8")
        else:
            sys.stdout.write(text)
    state = reply.log_verification
    if reply.HasField("log_verification") and not state.ok:
        print(f"WARNING: the node's log is BROKEN at event {state.broken_event_id}: {state.problem}. Every row is "
              "marked BROKEN_LOG; do not pay from this export before the log is explained (edge-node log verify).",
              file=sys.stderr)
        return EXIT_BROKEN_LOG
    return 0


def _write_xlsx(workbook: ModuleType, path: Path, time_zone: str, rows: list[list]) -> None:
    """The day rows and the totals as two sheets; times as the site's wall-clock time (Excel has no zones)."""
    days = [[v.replace(tzinfo=None) if isinstance(v, datetime) else v for v in row] for row in rows]
    workbook.write_workbook(path, [workbook.Sheet("timecards", payroll.COLUMNS, days),
                                   workbook.Sheet("totals", payroll.TOTAL_COLUMNS, payroll.total_rows(rows))],
                            comments=f"times are wall-clock times in {time_zone}")
