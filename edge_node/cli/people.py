"""`edge-node people list|show|add|remove|faces`: the roster of a running node."""
from __future__ import annotations

import argparse
from zoneinfo import ZoneInfo

from edge_node.cli.days import when
from edge_node.cli.exits import OK
from edge_node.cli.output import Table, add_format_args, emit
from edge_node.cli.node_session import add_connection_args, admin_session
from edge_node.gen.edge.attendance.v1 import attendance_pb2 as pb
from edge_node.gen.edge.recognition.v1 import recognition_pb2 as rpb

PERSON_COLUMNS = ("person_id", "name", "active", "faces", "last_seen", "created")
PAGE = 500
TIMEOUT = 60


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("people", help="list, show, add and remove the persons of a running node")
    actions = parser.add_subparsers(dest="people_action", required=True, metavar="ACTION")
    listing = actions.add_parser("list", help="everyone on the roster, with their face count")
    listing.add_argument("--all", action="store_true", help="include inactive persons")
    listing.set_defaults(func=run_list)
    add = actions.add_parser("add", help="add a person, or rename one (enrol their faces with `edge-node enroll`)")
    add.add_argument("person", help="person id, e.g. an employee number")
    add.add_argument("--name", required=True, help="display name, as the kiosk and the reports show it")
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
               empty="no persons yet (add one with `edge-node people add ID --name NAME`)"), args)
    return OK


def run_show(args: argparse.Namespace) -> int:
    with admin_session(args) as node:
        zone = node.site_zone()
        person = node.attendance.GetPerson(pb.GetPersonRequest(person_id=args.person), metadata=node.metadata,
                                           timeout=TIMEOUT).person
    emit(Table(f"person {args.person}", PERSON_COLUMNS, [_person_row(person, zone)]), args)
    return OK


def run_add(args: argparse.Namespace) -> int:
    with admin_session(args) as node:
        reply = node.attendance.UpsertPerson(
            pb.UpsertPersonRequest(person=pb.Person(person_id=args.person, display_name=args.name)),
            metadata=node.metadata, timeout=TIMEOUT)
    emit(Table("people", ("person_id", "name", "result"),
               [[args.person, args.name, "added" if reply.created else "updated"]]), args)
    return OK


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
               empty="no face templates (enrol photos with `edge-node enroll --person ID PHOTO...`)"), args)
    return OK
