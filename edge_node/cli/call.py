"""`edge-node call SERVICE/METHOD '{json}'`, grpcurl-style, from the node's own descriptors (edge_node/gen), with
the admin token and TLS settings every command uses; `call list [SERVICE]` and `call describe NAME`."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from google.protobuf import json_format, message_factory
from google.protobuf.descriptor import Descriptor, FieldDescriptor, MethodDescriptor, ServiceDescriptor

from edge_node.cli.exits import OK, USAGE, CommandError
from edge_node.cli.node_session import add_connection_args, admin_session
from edge_node.gen.edge.attendance.v1 import attendance_pb2
from edge_node.gen.edge.capture.v1 import capture_pb2
from edge_node.gen.edge.node.v1 import node_pb2
from edge_node.gen.edge.recognition.v1 import recognition_pb2
from edge_node.gen.edge.sync.v1 import sync_pb2

FILES = (attendance_pb2.DESCRIPTOR, capture_pb2.DESCRIPTOR, node_pb2.DESCRIPTOR, recognition_pb2.DESCRIPTOR,
         sync_pb2.DESCRIPTOR)


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("call", help="call any RPC with a JSON request, grpcurl-style (also: call list, "
                                         "call describe NAME)",
                            description="edge-node call SERVICE/METHOD ['{json}' | @FILE | -]; edge-node call list "
                                        "[SERVICE]; edge-node call describe SERVICE[/METHOD] | MESSAGE")
    parser.add_argument("what", metavar="SERVICE/METHOD|list|describe",
                        help="e.g. AttendanceService/ListPersons or edge.attendance.v1.AttendanceService/ListPersons")
    parser.add_argument("argument", nargs="?", default=None,
                        help="the request as JSON, @FILE or - (stdin), default {}; after list/describe: a name")
    parser.add_argument("--timeout", type=float, default=60, help="seconds to wait for a unary reply (default 60)")
    add_connection_args(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.what == "list":
        print("\n".join(_listing(args.argument)))
        return OK
    if args.what == "describe":
        if not args.argument:
            raise CommandError("call describe needs a name: a service, SERVICE/METHOD or a message", USAGE)
        print(describe(args.argument))
        return OK
    return _invoke(args, find_method(args.what), _body(args.argument))


def services() -> list[ServiceDescriptor]:
    return [service for file in FILES for service in file.services_by_name.values()]


def find_service(name: str) -> ServiceDescriptor:
    """A service by its full name (edge.attendance.v1.AttendanceService) or its own (AttendanceService)."""
    for service in services():
        if name in (service.full_name, service.name):
            return service
    known = ", ".join(s.name for s in services())
    raise CommandError(f"no service {name!r}; the services are {known} (`edge-node call list`)", USAGE)


def find_method(text: str) -> MethodDescriptor:
    """SERVICE/METHOD (or SERVICE.METHOD, as grpcurl also takes it)."""
    service_name, sep, method_name = text.rpartition("/") if "/" in text else text.rpartition(".")
    if not sep or not service_name:
        raise CommandError(f"{text!r} is not SERVICE/METHOD, e.g. AttendanceService/ListPersons", USAGE)
    service = find_service(service_name)
    method = service.methods_by_name.get(method_name)
    if method is None:
        raise CommandError(f"{service.name} has no method {method_name!r}; it has "
                           f"{', '.join(service.methods_by_name)}", USAGE)
    return method


def _listing(service_name: str | None) -> list[str]:
    if service_name:
        service = find_service(service_name)
        return [f"{service.full_name}/{name}" for name in service.methods_by_name]
    return [service.full_name for service in services()]


def describe(name: str) -> str:
    """A service, a method or a message as proto source, with the messages a method takes and returns."""
    if "/" in name:
        method = find_method(name)
        return "\n\n".join([_signature(method), *(_message_text(m) for m in _messages_of(method))])
    for file in FILES:
        for message in file.message_types_by_name.values():
            if name in (message.name, message.full_name):
                return _message_text(message)
    service = find_service(name)
    return "\n".join([f"service {service.full_name} {{", *(f"  {_signature(m)}" for m in service.methods), "}"])


def _signature(method: MethodDescriptor) -> str:
    stream_in = "stream " if method.client_streaming else ""
    stream_out = "stream " if method.server_streaming else ""
    return (f"rpc {method.name}({stream_in}{method.input_type.full_name}) "
            f"returns ({stream_out}{method.output_type.full_name});")


def _messages_of(method: MethodDescriptor) -> list[Descriptor]:
    """The request, the reply and every message of ours inside them, each once."""
    seen: dict[str, Descriptor] = {}
    pending = [method.input_type, method.output_type]
    while pending:
        message = pending.pop(0)
        if message.full_name in seen or message.full_name.startswith("google."):
            continue
        seen[message.full_name] = message
        pending.extend(f.message_type for f in message.fields if f.message_type is not None
                       and not f.message_type.GetOptions().map_entry)
    return list(seen.values())


def _message_text(message: Descriptor) -> str:
    return "\n".join([f"message {message.full_name} {{",
                      *(f"  {_field_type(f)} {f.name} = {f.number};" for f in message.fields), "}"])


def _field_type(field: FieldDescriptor) -> str:
    if field.message_type is not None and field.message_type.GetOptions().map_entry:
        key, value = field.message_type.fields_by_name["key"], field.message_type.fields_by_name["value"]
        return f"map<{_field_type(key)}, {_field_type(value)}>"
    if field.message_type is not None:
        name = field.message_type.full_name
    elif field.enum_type is not None:
        name = field.enum_type.full_name
    else:
        name = next(n.lower()[len("TYPE_"):] for n, v in vars(FieldDescriptor).items()
                    if n.startswith("TYPE_") and v == field.type)
    return f"repeated {name}" if field.is_repeated else name


def _body(argument: str | None) -> str:
    if argument is None:
        return "{}"
    if argument == "-":
        return sys.stdin.read()
    if argument.startswith("@"):
        try:
            return Path(argument[1:]).read_text()
        except OSError as exc:
            raise CommandError(f"cannot read the request from {exc.filename}: {exc.strerror}", USAGE) from None
    return argument


def _invoke(args: argparse.Namespace, method: MethodDescriptor, body: str) -> int:
    if method.client_streaming:
        raise CommandError(f"{method.name} takes a stream of requests, which `edge-node call` does not send", USAGE)
    request_class = message_factory.GetMessageClass(method.input_type)
    reply_class = message_factory.GetMessageClass(method.output_type)
    try:
        request = json_format.Parse(body, request_class())
    except json_format.ParseError as exc:
        raise CommandError(f"the request is not a valid {method.input_type.name} in JSON: {exc} "
                           f"(`edge-node call describe {method.containing_service.name}/{method.name}` "
                           "shows its fields)", USAGE) from None
    path = f"/{method.containing_service.full_name}/{method.name}"
    with admin_session(args) as node:
        if method.server_streaming:
            stream = node.channel.unary_stream(path, request_serializer=request_class.SerializeToString,
                                               response_deserializer=reply_class.FromString)
            for reply in stream(request, metadata=node.metadata):
                _print_message(reply)
        else:
            unary = node.channel.unary_unary(path, request_serializer=request_class.SerializeToString,
                                             response_deserializer=reply_class.FromString)
            _print_message(unary(request, metadata=node.metadata, timeout=args.timeout))
    return OK


def _print_message(message) -> None:
    print(json_format.MessageToJson(message, indent=2, ensure_ascii=False), flush=True)
