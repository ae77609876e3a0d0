"""`edge-node people list|show|add|remove|faces`: the roster of a running node."""
from __future__ import annotations

import argparse
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from google.protobuf.timestamp_pb2 import Timestamp

from edge_node.cli.exits import OK, REFUSED, USAGE, CommandError
from edge_node.cli.output import Table, add_format_args, emit
from edge_node.cli.session import AdminSession, add_connection_args, admin_session
from edge_node.gen.edge.attendance.v1 import attendance_pb2 as pb
from edge_node.gen.edge.recognition.v1 import recognition_pb2 as rpb

PERSON_COLUMNS = ("person_id", "name", "active", "faces", "last_seen", "created")
PAGE = 500
TIMEOUT = 60
ENROL_TIMEOUT = 300


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("people", help="list, show, add and remove the persons of a running node")
    actions = parser.add_subparsers(dest="people_action", required=True, metavar="ACTION")
    listing = actions.add_parser("list", help="everyone on the roster, with their face count")
    listing.add_argument("--all", action="store_true", help="include inactive persons")
    listing.set_defaults(func=run_list)
    add = actions.add_parser("add", help="add a person (or rename one) and enrol their photos")
    add.add_argument("person", help="person id, e.g. an employee number")
    add.add_argument("name", help="display name, as the kiosk and the reports show it (quote it: \"Ann Lee\")")
    add.add_argument("photos", nargs="*", type=Path, help="JPEG or PNG files with one clear face each")
    add.add_argument("--allow-duplicate", action="store_true", help="enrol even if a face matches another person")
    add.set_defaults(func=run_add)
    of_one = [actions.add_parser("show", help="one person: name, face count, last seen"),
              actions.add_parser("remove", help="remove a person and their face templates (their punches stay)"),
              actions.add_parser("faces", help="a person's face templates")]
    for action, func in zip(of_one, (run_show, run_remove, run_faces)):
        action.add_argument("person", help="person id")
        action.set_defaults(func=func)
    for action in (listing, add, *of_one):
        add_format_args(action)
        add_connection_args(action)


def when(stamp: Timestamp, zone: ZoneInfo) -> datetime | None:
    """A protobuf instant on the site's wall clock; None when unset (zero)."""
    return stamp.ToDatetime(tzinfo=zone) if stamp.seconds or stamp.nanos else None


def _person_row(person: pb.Person, zone: ZoneInfo) -> list:
    return [person.person_id, person.display_name, person.active, person.template_count,
            when(person.last_seen_at, zone), when(person.created_at, zone)]


def run_list(args: argparse.Namespace) -> int:
    with admin_session(args) as node:
        zone = node.site_zone()
        persons, token = [], ""
        while True:
            reply = node.attendance.ListPersons(pb.ListPersonsRequest(page_size=PAGE, page_token=token,
                                                                      include_inactive=args.all),
                                                metadata=node.metadata, timeout=TIMEOUT)
            persons.extend(reply.persons)
            token = reply.next_page_token
            if not token:
                break
    emit(Table("people", PERSON_COLUMNS, [_person_row(p, zone) for p in persons],
               empty="no persons yet (add one with `edge-node people add ID NAME PHOTO...`)"), args)
    return OK


def run_show(args: argparse.Namespace) -> int:
    with admin_session(args) as node:
        zone = node.site_zone()
        person = node.attendance.GetPerson(pb.GetPersonRequest(person_id=args.person), metadata=node.metadata,
                                           timeout=TIMEOUT).person
    emit(Table(f"person {args.person}", PERSON_COLUMNS, [_person_row(person, zone)]), args)
    return OK


def run_add(args: argparse.Namespace) -> int:
    photos = _read_photos(args.photos)
    with admin_session(args) as node:
        reply = node.attendance.UpsertPerson(
            pb.UpsertPersonRequest(person=pb.Person(person_id=args.person, display_name=args.name)),
            metadata=node.metadata, timeout=TIMEOUT)
        verb = "added" if reply.created else "updated"
        if not photos:
            emit(Table("people", ("person_id", "name", "result"), [[args.person, args.name, verb]]), args)
            return OK
        enrolled = _enrol(node, args.person, photos, args.allow_duplicate)
    rows = [[args.person, str(args.photos[r.index]), "accepted" if r.accepted else "rejected",
             r.template_id if r.accepted else r.reason] for r in enrolled.results]
    emit(Table(f"{args.person} ({args.name}) {verb}: {enrolled.template_count} face template(s)",
               ("person_id", "photo", "result", "template_or_reason"), rows), args)
    return OK if any(r.accepted for r in enrolled.results) else REFUSED


def _read_photos(paths: list[Path]) -> list[bytes]:
    try:
        return [path.read_bytes() for path in paths]
    except OSError as exc:
        raise CommandError(f"cannot read {exc.filename}: {exc.strerror}", USAGE) from None


def _enrol(node: AdminSession, person: str, photos: list[bytes], allow_duplicate: bool) -> rpb.EnrollResponse:
    return node.recognition.Enroll(rpb.EnrollRequest(person_id=person, images=photos, allow_duplicate=allow_duplicate),
                                   metadata=node.metadata, timeout=ENROL_TIMEOUT)


def run_remove(args: argparse.Namespace) -> int:
    with admin_session(args) as node:
        reply = node.attendance.DeletePerson(pb.DeletePersonRequest(person_id=args.person), metadata=node.metadata,
                                             timeout=TIMEOUT)
    emit(Table("people", ("person_id", "result", "templates_deleted"),
               [[args.person, "removed", reply.templates_deleted]]), args)
    return OK


def run_faces(args: argparse.Namespace) -> int:
    with admin_session(args) as node:
        zone = node.site_zone()
        reply = node.recognition.ListTemplates(rpb.ListTemplatesRequest(person_id=args.person),
                                               metadata=node.metadata, timeout=TIMEOUT)
    emit(Table(f"face templates of {args.person}", ("template_id", "model", "created"),
               [[t.template_id, t.model_id, when(t.created_at, zone)] for t in reply.templates],
               empty="no face templates (enrol photos with `edge-node people add ID NAME PHOTO...`)"), args)
    return OK
