"""`edge-node schedule show|set FILE`: the shifts, weekly patterns, assignments and holidays of a running node.

The file is the JSON form of `edge.attendance.v1.Schedule` (what `show` prints), for example
{"shifts": [{"name": "night", "startMinute": 1320, "endMinute": 1800, "tracked": true}],
 "patterns": [{"name": "nights", "days": ["night", "night", "night", "night", "night", "", ""]}],
 "defaultPattern": "default", "personPatterns": {"emp007": "nights"}, "holidays": ["2026-12-25"]}
"""
from __future__ import annotations

import argparse
import getpass
import json
from pathlib import Path

from google.protobuf import json_format

from edge_node.admin_call import CallFailed, call_attendance
from edge_node.client import add_connection_args
from edge_node.gen.edge.attendance.v1 import attendance_pb2 as pb


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("schedule", help="shifts, weekly patterns, assignments and holidays")
    actions = parser.add_subparsers(dest="schedule_action", required=True, metavar="ACTION")
    show = actions.add_parser("show", help="print the schedule as JSON")
    put = actions.add_parser("set", help="replace the whole schedule with a JSON file (as printed by show)")
    put.add_argument("file", type=Path)
    put.add_argument("--actor", default=getpass.getuser(), help="who makes the change (default: your login)")
    for action in (show, put):
        add_connection_args(action)
        action.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:
        if args.schedule_action == "show":
            reply = call_attendance(args, lambda stub, md: stub.GetSchedule(pb.GetScheduleRequest(), metadata=md,
                                                                             timeout=30))
        else:
            try:
                schedule = json_format.Parse(args.file.read_text(), pb.Schedule())
            except (OSError, json_format.ParseError) as exc:
                print(f"error: {args.file}: {exc}")
                return 1
            request = pb.UpdateScheduleRequest(schedule=schedule, actor=args.actor)
            reply = call_attendance(args, lambda stub, md: stub.UpdateSchedule(request, metadata=md, timeout=30))
    except CallFailed as exc:
        print(exc)
        return 1
    print(json.dumps(json_format.MessageToDict(reply.schedule), indent=2))
    return 0
