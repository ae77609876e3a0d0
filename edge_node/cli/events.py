"""`edge-node events list`: the attendance log of a running node, with the event ids `punch void|move` take."""
from __future__ import annotations

import argparse

from edge_node.cli.days import day, day_end, day_start, when
from edge_node.cli.exits import OK, USAGE, CommandError
from edge_node.cli.output import Table, add_format_args, emit
from edge_node.cli.node_session import add_connection_args, admin_session
from edge_node.gen.edge.attendance.v1 import attendance_pb2 as pb

COLUMNS = ("event_id", "time", "type", "person_id", "name", "camera", "confidence", "corrects", "by", "reason")
TYPES = [name[len("EVENT_TYPE_"):].lower() for name in pb.EventType.keys() if name != "EVENT_TYPE_UNSPECIFIED"]
PAGE = 500


def register(sub: argparse._SubParsersAction) -> None:
    group = sub.add_parser("events", help="the attendance log of a running node")
    listing = group.add_subparsers(dest="events_action", required=True, metavar="ACTION").add_parser(
        "list", help="events, oldest first, with the ids `edge-node punch void|move` take")
    listing.add_argument("--person", default="", help="only this person")
    listing.add_argument("--from", dest="from_day", type=day, help="first day, YYYY-MM-DD (site time)")
    listing.add_argument("--to", dest="to_day", type=day, help="last day, YYYY-MM-DD, inclusive (site time)")
    listing.add_argument("--type", dest="types", action="append", choices=TYPES, default=[],
                         help="only events of this type (repeatable)")
    listing.add_argument("--limit", type=int, default=1000, help="at most this many, the newest (default 1000)")
    add_format_args(listing)
    add_connection_args(listing)
    listing.set_defaults(func=run_list)


def run_list(args: argparse.Namespace) -> int:
    if args.from_day and args.to_day and args.to_day < args.from_day:
        raise CommandError(f"--to {args.to_day} is before --from {args.from_day}", USAGE)
    if args.limit < 1:
        raise CommandError("--limit must be at least 1", USAGE)
    with admin_session(args) as node:
        zone = node.site_zone()
        request = pb.ListEventsRequest(person_id=args.person, page_size=min(PAGE, args.limit),
                                       event_types=[pb.EventType.Value(f"EVENT_TYPE_{t.upper()}") for t in args.types])
        if args.from_day:
            request.start_time.FromDatetime(day_start(args.from_day, zone))
        if args.to_day:
            request.end_time.FromDatetime(day_end(args.to_day, zone))
        events: list[pb.AttendanceEvent] = []
        while len(events) < args.limit:
            reply = node.attendance.ListEvents(request, metadata=node.metadata, timeout=60)
            events.extend(reply.events)
            if not reply.next_page_token:
                break
            request.page_token = reply.next_page_token
    rows = [[e.event_id, when(e.occurred_at, zone), pb.EventType.Name(e.event_type)[len("EVENT_TYPE_"):],
             e.person_id, e.person_name, e.camera_id, round(e.confidence, 3) if e.confidence else None,
             e.ref_event_id or None, e.actor, e.reason] for e in reversed(events[:args.limit])]
    emit(Table(f"events ({zone.key} time)", COLUMNS, rows, empty="no events match"), args)
    return OK
