"""The `edge-node` command line."""
from __future__ import annotations

import argparse
import logging
import os
import sys
from typing import Callable

from edge_node import (backup_command, demo_command, enroll_command, log_command, punch_command, report_command,
                       schedule_command, serve_command, tls_command, token_command)
from edge_node.camera_sim import command as camera_sim_command
from edge_node.modelstore import command as models_command
from edge_node.hub import hub_command
from edge_node.monitor import command as monitor_command

Registrar = Callable[[argparse._SubParsersAction], None]
COMMANDS: list[Registrar] = [serve_command.register, models_command.register, enroll_command.register,
                               hub_command.register, monitor_command.register, camera_sim_command.register,
                               demo_command.register, token_command.register, backup_command.register,
                               report_command.register, punch_command.register, log_command.register,
                               schedule_command.register, tls_command.register]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="edge-node", description="Offline face-recognition attendance appliance.")
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
    return int(args.func(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
