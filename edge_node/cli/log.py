"""`edge-node log verify`: recompute the hash chain of the attendance log and name the first broken record."""
from __future__ import annotations

import argparse
from pathlib import Path

import peewee as pw

from edge_node.cli.admin_call import call_attendance
from edge_node.attendance.verify import verify_log
from edge_node.cli.exits import USAGE, CommandError
from edge_node.cli.node_client import add_connection_args
from edge_node.gen.edge.attendance.v1 import attendance_pb2 as pb
from edge_node.storage.schema import bind, open_database


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("log", help="the tamper-evident attendance log")
    actions = parser.add_subparsers(dest="log_command", required=True, metavar="ACTION")
    verify = actions.add_parser("verify", help="recompute the hash chain; exit 1 naming the first broken record")
    verify.add_argument("--database", type=Path, default=None,
                        help="check this SQLite file directly (the node may be stopped) instead of asking the node")
    add_connection_args(verify)
    verify.set_defaults(func=run_verify)


def run_verify(args: argparse.Namespace) -> int:
    if args.database is not None:
        ok, checked, seq, problem = _verify_file(args.database)
    else:
        reply = call_attendance(args, lambda stub, md: stub.VerifyLog(pb.VerifyLogRequest(), metadata=md, timeout=300))
        ok, checked, seq, problem = reply.ok, reply.checked, reply.broken_event_id, reply.problem
    if ok:
        print(f"log ok: {checked} record(s) verified")
        return 0
    print(f"log BROKEN at event {seq}: {problem} ({checked} record(s) before it verified)")
    return 1


def _verify_file(path: Path) -> tuple[bool, int, int, str]:
    if not path.is_file():
        raise CommandError(f"no database at {path}", USAGE)
    tables = bind(open_database(path))
    try:
        result = verify_log(tables)
    except pw.DatabaseError as exc:
        raise CommandError(f"{path} is not an edge-node database of this version ({exc})", USAGE) from None
    finally:
        tables.db.close()
    return result.ok, result.checked, result.broken.seq if result.broken else 0, \
        result.broken.problem if result.broken else ""
