"""The `edge-node` command line: every command group, and one set of exit codes and error lines for all
(see docs/admin-guide.md): 0 ok, 1 refused, 2 usage, 3 node unreachable."""
from __future__ import annotations

import argparse
import logging
import os
import sys
from typing import Callable

import grpc

from edge_node.cli.admin_call import failure
from edge_node.cli import (backup, call, camera_sim, demo, enroll, events, log, models, monitor, people, punch, report,
                           report_day, review, schedule, serve, tls, token, who_is_in)
from edge_node.cli.exits import OK, CommandError
from edge_node.hub import hub_command

Registrar = Callable[[argparse._SubParsersAction], None]
COMMANDS: list[Registrar] = [serve.register, models.register, enroll.register, hub_command.register,
                             monitor.register, camera_sim.register, demo.register, token.register,
                             backup.register, report.register, report_day.extend, punch.register,
                             log.register, schedule.register, people.register, events.register,
                             who_is_in.register, review.register, call.register, tls.register]
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
    except CommandError as exc:  # every refusal, usage error and unreachable node: on stderr, stdout keeps the result
        return _fail(str(exc), exc.code)
    except grpc.RpcError as exc:
        error = failure(exc, args) if hasattr(args, "target") else CommandError(str(exc.details()))
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
