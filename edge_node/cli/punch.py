"""`edge-node punch add|void|move`: corrections on a running node, each with a reason (the log names the owner of
the token used as the actor); `move` changes the person (--to), the time (--at) or both."""
from __future__ import annotations

import argparse
from datetime import datetime

from google.protobuf.timestamp_pb2 import Timestamp

from edge_node.cli.admin_call import call_attendance
from edge_node.cli.exits import OK, USAGE, CommandError
from edge_node.cli.node_client import add_connection_args
from edge_node.gen.edge.attendance.v1 import attendance_pb2 as pb


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("punch", help="correct punches: add a missed one, void one, move one to another person")
    actions = parser.add_subparsers(dest="punch_action", required=True, metavar="ACTION")
    add = actions.add_parser("add", help="add a punch the box missed (a forgotten check-out)")
    add.add_argument("--person", required=True)
    add.add_argument("--at", required=True, help="when, ISO 8601 with its offset, e.g. 2026-11-23T17:00:00+01:00")
    void = actions.add_parser("void", help="void a punch (it stays on the log)")
    void.add_argument("event_id", type=int)
    move = actions.add_parser("move", help="move a punch to the right person, the right time, or both")
    move.add_argument("event_id", type=int)
    move.add_argument("--to", default="", dest="to_person", help="the person the punch belongs to")
    move.add_argument("--at", default=None, help="when it really happened, ISO 8601 with its offset")
    for action in (add, void, move):
        action.add_argument("--reason", required=True, help="why (kept on the tamper-evident log)")
        add_connection_args(action)
        action.set_defaults(func=run)


def _stamp(text: str) -> Timestamp:
    """An ISO 8601 time with its UTC offset, as a protobuf Timestamp (a usage error naming the fix on bad input)."""
    try:
        at = datetime.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--at {text!r} is not an ISO 8601 time such as 2026-11-23T17:00:00+01:00", USAGE) from None
    if at.tzinfo is None:
        raise CommandError("--at needs its UTC offset (e.g. +01:00 or Z) so the time is not ambiguous", USAGE)
    stamp = Timestamp()
    stamp.FromDatetime(at)
    return stamp


def _request(args: argparse.Namespace):
    if args.punch_action == "add":
        return "AddPunch", pb.AddPunchRequest(person_id=args.person, occurred_at=_stamp(args.at), reason=args.reason)
    if args.punch_action == "void":
        return "VoidPunch", pb.VoidPunchRequest(event_id=args.event_id, reason=args.reason)
    if not args.to_person and args.at is None:
        raise CommandError("punch move needs --to PERSON, --at TIME or both", USAGE)
    return "MovePunch", pb.MovePunchRequest(event_id=args.event_id, to_person_id=args.to_person, reason=args.reason,
                                            to_time=_stamp(args.at) if args.at else None)


def run(args: argparse.Namespace) -> int:
    method, request = _request(args)
    reply = call_attendance(args, lambda stub, md: getattr(stub, method)(request, metadata=md, timeout=30))
    event = reply.event
    print(f"event {event.event_id}: {pb.EventType.Name(event.event_type)[len('EVENT_TYPE_'):]} for {event.person_id} "
          f"by {event.actor}: {event.reason}")
    removed = 0 if method == "AddPunch" else len(reply.learned_templates_removed)
    if removed:
        print(f"removed {removed} face{'s' if removed > 1 else ''} learned from this punch "
              "(the kiosk no longer recognises anyone by it)")
    return OK
