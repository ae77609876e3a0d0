"""The `edge-node` command line: every command group, and one set of exit codes and error lines for all
(see docs/admin-guide.md): 0 ok, 1 refused, 2 usage, 3 node unreachable."""
from __future__ import annotations

import argparse
import logging
import os
import sys
from typing import Callable

import grpc

from edge_node import (backup_command, demo_command, enroll_command, log_command, punch_command, report_command,
                       schedule_command, serve_command, tls_command, token_command)
from edge_node.admin_call import NodeUnreachable
from edge_node.camera_sim import command as camera_sim_command
from edge_node.cli import call, events, people, reports, review, who_is_in
from edge_node.cli.exits import OK, UNREACHABLE, CommandError
from edge_node.cli.session import as_command_error
from edge_node.modelstore import command as models_command
from edge_node.hub import hub_command
from edge_node.monitor import command as monitor_command

Registrar = Callable[[argparse._SubParsersAction], None]
COMMANDS: list[Registrar] = [serve_command.register, models_command.register, enroll_command.register,
                               hub_command.register, monitor_command.register, camera_sim_command.register,
                               demo_command.register, token_command.register, backup_command.register,
                               report_command.register, reports.extend, punch_command.register,
                               log_command.register, schedule_command.register, people.register, events.register,
                               who_is_in.register, review.register, call.register,
                               tls_command.register]
INTERRUPTED = 130  # Ctrl-C, as the shell reports it


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="edge-node", description="Offline face-recognition attendance appliance.",
                                     epilog="exit codes: 0 ok, 1 refused, 2 usage, 3 node unreachable")
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug messages")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for register in COMMANDS:
        register(sub)
    return parser


def log_format() -> str:
    """Level and logger name; the time too, unless journald stamps the lines (JOURNAL_STREAM, set by systemd)."""
    plain = "%(levelname)s %(name)s: %(message)s"
    return plain if os.environ.get("JOURNAL_STREAM") else "%(asctime)s " + plain


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.INFO, format=log_format(), stream=sys.stderr)
    try:
        code = int(args.func(args) or OK)
        sys.stdout.flush()  # inside the try: a reader that left (`| head`) is met here, not at exit
        return code
    except CommandError as exc:
        return _fail(str(exc), exc.code)
    except NodeUnreachable as exc:
        return _fail(str(exc).removeprefix("error: "), UNREACHABLE)
    except grpc.RpcError as exc:
        error = as_command_error(exc, args) if hasattr(args, "target") else CommandError(str(exc.details()))
        return _fail(str(error), error.code)
    except BrokenPipeError:
        return _closed_pipe()
    except KeyboardInterrupt:
        return INTERRUPTED


def _fail(message: str, code: int) -> int:
    print(f"error: {message}", file=sys.stderr)
    return code


def _closed_pipe() -> int:
    """The reader left (`... | head`): no traceback, and no second error when Python flushes stdout at exit."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    return OK
