"""`edge-node enroll --person ID [--name NAME] IMG...`: add a person's face templates on a running node
from photos; `edge-node enroll --camera CAM --person ID`: enrol them standing at a kiosk camera;
`edge-node enroll --person ID --list` / `--remove TEMPLATE_ID`: see and remove their templates.
New faces must match the person's enrolled ones; `--override REASON` enrols them anyway (audited)."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import grpc

from edge_node.cli.admin_call import failure
from edge_node.cli.node_client import add_connection_args, admin_token, auth_metadata, open_channel
from edge_node.gen.edge.attendance.v1 import attendance_pb2, attendance_pb2_grpc
from edge_node.gen.edge.recognition.v1 import recognition_pb2, recognition_pb2_grpc


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("enroll", help="enrol face images for a person on a running node")
    parser.add_argument("--person", required=True, help="person id")
    parser.add_argument("--name", help="display name; creates or renames the person first")
    parser.add_argument("--allow-duplicate", action="store_true", help="enrol even if the face matches another person")
    parser.add_argument("--camera", help="enrol at this kiosk camera instead of from photos (the kiosk guides the person)")
    parser.add_argument("--frames", type=int, default=0, help="with --camera: frames to collect, 3-10 (default 5)")
    parser.add_argument("--timeout", type=int, default=0, help="with --camera: give up after this many seconds "
                                                                   "(default 60)")
    parser.add_argument("--override", default="", metavar="REASON",
                        help="enrol faces that do not match the person's enrolled ones, saying why (kept on the admin "
                             "log under the name of the token used)")
    parser.add_argument("--list", action="store_true", help="list the person's templates: when, from where, which kind")
    parser.add_argument("--remove", metavar="TEMPLATE_ID", action="append", default=[],
                        help="remove one of the person's templates (repeatable)")
    parser.add_argument("images", nargs="*", type=Path, help="JPEG or PNG files with one clear face each")
    add_connection_args(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.list or args.remove:
        if args.camera or args.images:
            print("error: --list and --remove take no images and no --camera", file=sys.stderr)
            return 2
        return _templates(args)
    if bool(args.camera) == bool(args.images):
        print("error: give either image files or --camera CAMERA_ID", file=sys.stderr)
        return 2
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
            if args.camera:
                return _at_camera(channel, args, metadata)
            reply = recognition_pb2_grpc.RecognitionServiceStub(channel).Enroll(
                recognition_pb2.EnrollRequest(person_id=args.person, images=images, allow_duplicate=args.allow_duplicate,
                                              override_reason=args.override,
                                              sources=[path.name for path in args.images]),
                metadata=metadata, timeout=120)
        except grpc.RpcError as exc:
            raise failure(exc, args) from None
    for result in reply.results:
        verdict = f"accepted  template {result.template_id}" if result.accepted else f"rejected  {result.reason}"
        print(f"{args.images[result.index]}: {verdict}")
    print(f"{args.person}: {reply.template_count} template(s)")
    return 0 if any(r.accepted for r in reply.results) else 1


def _at_camera(channel: grpc.Channel, args: argparse.Namespace, metadata: tuple[tuple[str, str], ...]) -> int:
    """Follow an enrolment at a camera, one line per step; Ctrl-C cancels it on the node."""
    request = recognition_pb2.EnrollFromCameraRequest(person_id=args.person, camera_id=args.camera,
                                                      frames=args.frames, timeout_seconds=args.timeout,
                                                      allow_duplicate=args.allow_duplicate,
                                                      override_reason=args.override)
    call = recognition_pb2_grpc.RecognitionServiceStub(channel).EnrollFromCamera(request, metadata=metadata)
    last = None
    try:
        for last in call:
            note = f"  ({last.reason})" if last.reason else ""
            print(f"{args.camera}: {last.accepted_frames}/{last.needed_frames}  {last.guidance}{note}", flush=True)
    except KeyboardInterrupt:
        call.cancel()
        print(f"{args.camera}: enrolment cancelled")
        return 1
    done = last is not None and last.state == recognition_pb2.ENROLLMENT_STATE_DONE
    if done:
        print(f"{args.person}: {last.template_count} template(s)")
    return 0 if done else 1


def _templates(args: argparse.Namespace) -> int:
    """List the person's templates, after removing those named by --remove."""
    metadata = auth_metadata(admin_token(args))
    with open_channel(args) as channel:
        stub = recognition_pb2_grpc.RecognitionServiceStub(channel)
        try:
            if args.remove:
                removed = stub.DeleteTemplates(recognition_pb2.DeleteTemplatesRequest(
                    person_id=args.person, template_ids=args.remove), metadata=metadata, timeout=30)
                print(f"{args.person}: removed {removed.deleted} template(s)")
            listed = stub.ListTemplates(recognition_pb2.ListTemplatesRequest(person_id=args.person),
                                        metadata=metadata, timeout=30)
        except grpc.RpcError as exc:
            raise failure(exc, args) from None
    for t in listed.templates:
        when = t.created_at.ToDatetime().strftime("%Y-%m-%d %H:%M:%S UTC")
        punch = f"  from punch {t.learned_from_event}" if t.learned_from_event else ""
        print(f"{t.template_id}  {when}  {t.kind or 'photo':6}  {t.source or '-'}{punch}")
    print(f"{args.person}: {len(listed.templates)} template(s)")
    return 0
