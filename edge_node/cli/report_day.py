"""`edge-node report day [DATE]`: one day of the timecards, a row per person (the same states and words as
`edge-node report timecards`); and the day checks of `report timecards --from/--to`."""
from __future__ import annotations

import argparse
from collections import Counter
from datetime import datetime

from edge_node.cli.days import day, day_text, when
from edge_node.cli.exits import OK
from edge_node.cli.output import Table, add_format_args, emit
from edge_node.cli.node_session import add_connection_args, admin_session
from edge_node.gen.edge.attendance.v1 import attendance_pb2 as pb

COLUMNS = ("person_id", "name", "shift", "status", "first_in", "last_out", "worked_hours", "late_minutes",
           "early_leave_minutes", "flags", "in_now")


def extend(sub: argparse._SubParsersAction) -> None:
    """Add `day` to the `report` command (registered by edge_node.cli.report), and check the days that
    `report timecards` passes on, so `--from 2026-02-30` is refused here with what is wrong."""
    kinds = _subcommands(sub.choices["report"])
    for action in kinds.choices["timecards"]._actions:
        if action.dest in ("from_date", "to_date"):
            action.type = day_text
    parser = kinds.add_parser("day", help="one day: each person's shift, status, in and out, hours and flags")
    parser.add_argument("date", nargs="?", type=day, default=None, help="the day, YYYY-MM-DD (default: today, site time)")
    add_format_args(parser)
    add_connection_args(parser)
    parser.set_defaults(func=run_day)


def _subcommands(parser: argparse.ArgumentParser) -> argparse._SubParsersAction:
    return next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))


def run_day(args: argparse.Namespace) -> int:
    with admin_session(args) as node:
        zone = node.site_zone()
        wanted = (args.date or datetime.now(zone).date()).isoformat()
        reply = node.attendance.GetTimecards(pb.GetTimecardsRequest(from_date=wanted, to_date=wanted),
                                             metadata=node.metadata, timeout=300)
    rows = []
    for card in reply.timecards:
        for shift_day in card.days:
            rows.append([card.person_id, card.person_name, shift_day.shift,
                         pb.DayStatus.Name(shift_day.status)[len("DAY_STATUS_"):],
                         when(shift_day.first_in, zone), when(shift_day.last_out, zone), shift_day.worked_hours,
                         shift_day.late_minutes, shift_day.early_leave_minutes,
                         ";".join(pb.AnomalyKind.Name(f)[len("ANOMALY_KIND_"):] for f in shift_day.flags),
                         shift_day.is_in])
    counts = Counter(row[3] for row in rows)
    summary = ", ".join(f"{n} {status.lower().replace('_', ' ')}" for status, n in sorted(counts.items()))
    emit(Table(f"{wanted} ({zone.key} time): {summary or 'nobody on the roster'}", COLUMNS, rows,
               empty="nobody on the roster"), args)
    return OK
