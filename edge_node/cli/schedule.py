"""`edge-node schedule show|history|set FILE`: the shifts, weekly patterns, assignments and holidays of a running node.

Every `set` stores a new version in force from a day on (`--from`, default today in the site's time zone);
days before it keep the version that was in force on them. `show --at DATE` prints the version of a day,
`history` lists every version. The file is the JSON form of `edge.attendance.v1.Schedule` (what `show`
prints), for example
{"shifts": [{"name": "night", "startMinute": 1320, "endMinute": 1800, "tracked": true}],
 "patterns": [{"name": "nights", "days": ["night", "night", "night", "night", "night", "", ""]}],
 "defaultPattern": "default", "personPatterns": {"emp007": "nights"}, "holidays": ["2026-12-25"]}
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from google.protobuf import json_format

from edge_node.cli.admin_call import call_attendance
from edge_node.attendance.schedule_history import SINCE_EVER
from edge_node.cli.exits import OK, USAGE, CommandError
from edge_node.cli.node_client import add_connection_args
from edge_node.gen.edge.attendance.v1 import attendance_pb2 as pb


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("schedule", help="shifts, weekly patterns, assignments and holidays")
    actions = parser.add_subparsers(dest="schedule_action", required=True, metavar="ACTION")
    show = actions.add_parser("show", help="print the schedule in force today (or --at DATE) as JSON")
    show.add_argument("--at", default="", metavar="DATE", help="the shift day (YYYY-MM-DD) whose version to print")
    history = actions.add_parser("history", help="list every version: number, in force from, who set it and when")
    put = actions.add_parser("set", help="a new version of the whole schedule from a JSON file (as printed by show)")
    put.add_argument("file", type=Path)
    put.add_argument("--from", dest="effective_from", default="", metavar="DATE",
                     help="first day the version is in force (YYYY-MM-DD; default: today in the site's time zone). "
                          "An earlier date corrects the past up to the next version and is marked back-dated on the log")
    for action in (show, history, put):
        add_connection_args(action)
        action.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.schedule_action in ("show", "history"):
        request = pb.GetScheduleRequest(at=getattr(args, "at", ""), history=args.schedule_action == "history")
        reply = call_attendance(args, lambda stub, md: stub.GetSchedule(request, metadata=md, timeout=30))
    else:
        try:
            schedule = json_format.Parse(args.file.read_text(), pb.Schedule())
        except (OSError, json_format.ParseError) as exc:
            raise CommandError(f"{args.file}: {exc}", USAGE) from None
        update = pb.UpdateScheduleRequest(schedule=schedule, effective_from=args.effective_from)
        reply = call_attendance(args, lambda stub, md: stub.UpdateSchedule(update, metadata=md, timeout=30))
    if args.schedule_action == "history":
        print("\n".join(version_line(v) for v in reply.versions) or "no versions: the built-in default is in force")
        return OK
    print(json.dumps(json_format.MessageToDict(reply.schedule), indent=2))
    print(version_line(reply.version), file=sys.stderr)
    return OK


def version_line(v: pb.ScheduleVersion) -> str:
    """One version in one line (for `history`, and on stderr after `show` and `set`)."""
    if not v.version:
        return "version 0: the built-in default"
    since = "since ever" if v.effective_from == SINCE_EVER.isoformat() else f"from {v.effective_from}"
    recorded = v.recorded_at.ToDatetime().strftime("%Y-%m-%dT%H:%M:%SZ") if v.HasField("recorded_at") else "?"
    shape = (f": {len(v.schedule.shifts)} shift(s), {len(v.schedule.patterns)} pattern(s), "
             f"{len(v.schedule.holidays)} holiday(s)") if v.HasField("schedule") else ""
    return f"version {v.version} {since}, set by {v.actor or '?'} at {recorded}{shape}"
