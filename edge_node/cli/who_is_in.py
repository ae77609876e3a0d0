"""`edge-node who-is-in`: everyone in now, since when, on which shift (the timecards' open days)."""
from __future__ import annotations

import argparse

from edge_node.cli.days import when
from edge_node.cli.exits import OK
from edge_node.cli.output import Table, add_format_args, emit
from edge_node.cli.node_session import add_connection_args, admin_session
from edge_node.gen.edge.attendance.v1 import attendance_pb2 as pb


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("who-is-in", help="everyone in now, since when, on which shift")
    add_format_args(parser)
    add_connection_args(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    with admin_session(args) as node:
        zone = node.site_zone()
        reply = node.attendance.GetWhoIsIn(pb.GetWhoIsInRequest(), metadata=node.metadata, timeout=60)
    rows = [[p.person_id, p.person_name, when(p.since, zone), p.shift] for p in reply.persons]
    emit(Table(f"in now: {len(rows)} ({zone.key} time)", ("person_id", "name", "since", "shift"), rows,
               empty="nobody is in"), args)
    return OK
