"""`edge-node enroll --person ID [--name NAME] IMG...`: add a person's face templates on a running node."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import grpc

from edge_node.client import add_connection_args, admin_token, auth_metadata, open_channel
from edge_node.gen.edge.attendance.v1 import attendance_pb2, attendance_pb2_grpc
from edge_node.gen.edge.recognition.v1 import recognition_pb2, recognition_pb2_grpc


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("enroll", help="enrol face images for a person on a running node")
    parser.add_argument("--person", required=True, help="person id")
    parser.add_argument("--name", help="display name; creates or renames the person first")
    parser.add_argument("--allow-duplicate", action="store_true", help="enrol even if the face matches another person")
    parser.add_argument("images", nargs="+", type=Path, help="JPEG or PNG files with one clear face each")
    add_connection_args(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:
        images = [path.read_bytes() for path in args.images]
    except OSError as exc:
        print(f"error: cannot read {exc.filename}: {exc.strerror}", file=sys.stderr)
        return 2
    metadata = auth_metadata(admin_token(args))
    with open_channel(args) as channel:
        try:
            if args.name:
                person = attendance_pb2.Person(person_id=args.person, display_name=args.name)
                attendance_pb2_grpc.AttendanceServiceStub(channel).UpsertPerson(
                    attendance_pb2.UpsertPersonRequest(person=person), metadata=metadata, timeout=30)
            reply = recognition_pb2_grpc.RecognitionServiceStub(channel).Enroll(
                recognition_pb2.EnrollRequest(person_id=args.person, images=images, allow_duplicate=args.allow_duplicate),
                metadata=metadata, timeout=120)
        except grpc.RpcError as exc:
            print(f"error: {exc.code().name}: {exc.details()}")
            return 1
    for result in reply.results:
        verdict = f"accepted  template {result.template_id}" if result.accepted else f"rejected  {result.reason}"
        print(f"{args.images[result.index]}: {verdict}")
    print(f"{args.person}: {reply.template_count} template(s)")
    return 0 if any(r.accepted for r in reply.results) else 1
