"""`edge-node review list|show|done`: the camera punches a manager should look at, with their face crops."""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

from edge_node.cli.days import day, day_end, day_start, when
from edge_node.cli.exits import OK, REFUSED, USAGE, CommandError
from edge_node.cli.output import Table, add_format_args, emit
from edge_node.cli.node_session import AdminSession, add_connection_args, admin_session
from edge_node.gen.edge.attendance.v1 import attendance_pb2 as pb

COLUMNS = ("event_id", "time", "type", "person_id", "name", "reasons", "match_margin", "runner_up_margin",
           "liveness_margin", "crop", "reviewed_by", "note")
TIMEOUT = 60


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("review", help="the camera punches to look at (low margins, learned, doubted, corrected)")
    actions = parser.add_subparsers(dest="review_action", required=True, metavar="ACTION")
    listing = actions.add_parser("list", help="punches to review, oldest first, with why")
    listing.add_argument("--from", dest="from_day", type=day, help="first day, YYYY-MM-DD (site time)")
    listing.add_argument("--to", dest="to_day", type=day, help="last day, YYYY-MM-DD, inclusive (site time)")
    listing.add_argument("--all", action="store_true", help="include the punches already marked reviewed")
    listing.add_argument("--crops", type=Path, metavar="DIR", help="write each kept crop to DIR/EVENT_ID.jpg")
    listing.set_defaults(func=run_list)
    show = actions.add_parser("show", help="one camera punch (listed or not), its face crop written with --out")
    show.add_argument("event_id", type=int, help="event id (from `review list`)")
    show.add_argument("--out", type=Path, help="write the face crop (JPEG) to this file")
    show.set_defaults(func=run_show)
    done = actions.add_parser("done", help="mark a punch reviewed (kept on the chained log under your token's name)")
    done.add_argument("event_id", type=int, help="event id (from `review list`)")
    done.add_argument("--note", required=True, help="what you found, e.g. 'checked: it is her'")
    done.set_defaults(func=run_done)
    for action in (listing, show, done):
        add_format_args(action)
        add_connection_args(action)


def _row(review: pb.PunchReview, zone: ZoneInfo) -> list:
    event = review.event
    return [event.event_id, when(event.occurred_at, zone), pb.EventType.Name(event.event_type)[len("EVENT_TYPE_"):],
            event.person_id, event.person_name,
            " ".join(pb.ReviewReason.Name(r)[len("REVIEW_REASON_"):].lower() for r in review.reasons),
            round(review.match_margin, 3), round(review.runner_up_margin, 3), round(review.liveness_margin, 3),
            f"{len(review.crop_jpeg)} B" if review.crop_jpeg else ("kept" if review.has_crop else ""),
            review.reviewed_by, review.review_note]


def _reviews(node: AdminSession, request: pb.ListPunchReviewsRequest) -> list[pb.PunchReview]:
    reply = node.attendance.ListPunchReviews(request, metadata=node.metadata, timeout=TIMEOUT)
    if reply.truncated:
        print(f"note: only the oldest {len(reply.reviews)} punches to review are shown; "
              "narrow the period with --from/--to", file=sys.stderr)
    return list(reply.reviews)


def _write_crop(path: Path, jpeg: bytes) -> None:
    """A face is personal data: the file is private to its owner (0600)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(jpeg)


def run_list(args: argparse.Namespace) -> int:
    if args.from_day and args.to_day and args.to_day < args.from_day:
        raise CommandError(f"--to {args.to_day} is before --from {args.from_day}", USAGE)
    if args.crops is not None and not args.crops.is_dir():
        raise CommandError(f"--crops {args.crops}: not a directory", USAGE)
    with admin_session(args) as node:
        zone = node.site_zone()
        request = pb.ListPunchReviewsRequest(include_reviewed=args.all, without_crops=args.crops is None)
        if args.from_day:
            request.start_time.FromDatetime(day_start(args.from_day, zone))
        if args.to_day:
            request.end_time.FromDatetime(day_end(args.to_day, zone))
        reviews = _reviews(node, request)
    for review in reviews:
        if args.crops is not None and review.crop_jpeg:
            _write_crop(args.crops / f"{review.event.event_id}.jpg", review.crop_jpeg)
    emit(Table(f"punches to review ({zone.key} time)", COLUMNS, [_row(r, zone) for r in reviews],
               empty="no punches to review"), args)
    return OK


def run_show(args: argparse.Namespace) -> int:
    with admin_session(args) as node:
        zone = node.site_zone()
        review = _reviews(node, pb.ListPunchReviewsRequest(event_id=args.event_id))[0]
    if args.out is not None:
        if not review.crop_jpeg:
            raise CommandError(f"event {args.event_id} has no face crop kept (the site's [review] crops policy, "
                               "the retention, or an erasure)", REFUSED)
        _write_crop(args.out, review.crop_jpeg)
    emit(Table(f"punch {args.event_id}", COLUMNS, [_row(review, zone)]), args)
    return OK


def run_done(args: argparse.Namespace) -> int:
    with admin_session(args) as node:
        zone = node.site_zone()
        reply = node.attendance.MarkPunchReviewed(pb.MarkPunchReviewedRequest(event_id=args.event_id, note=args.note),
                                                  metadata=node.metadata, timeout=TIMEOUT)
    emit(Table(f"punch {args.event_id} reviewed (log event {reply.audit_event.event_id})", COLUMNS,
               [_row(reply.review, zone)]), args)
    return OK
