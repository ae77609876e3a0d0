"""`edge-node monitor`: the live dashboard (q quits), or one snapshot with --once."""
from __future__ import annotations

import argparse
import os
import sys
import time

from rich.console import Console
from rich.live import Live

from edge_node.cli.node_client import add_connection_args, admin_token, auth_metadata, channel_factory, open_channel
from edge_node.gen.edge.node.v1 import node_pb2 as pb
from edge_node.gen.edge.node.v1 import node_pb2_grpc
from edge_node.monitor.feed import FeedState, StatusFeed
from edge_node.monitor.keys import KeyReader
from edge_node.monitor.view import render

REDRAW_SECONDS = 0.25
ONCE_TIMEOUT_SECONDS = 10.0


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("monitor", help="live terminal dashboard of a node (q quits)")
    add_connection_args(parser)
    parser.add_argument("--once", action="store_true", help="print one snapshot and exit (for scripts)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    metadata = auth_metadata(admin_token(args))
    return once(args, metadata) if args.once else live(args, metadata)


def once(args: argparse.Namespace, metadata: tuple[tuple[str, str], ...]) -> int:
    with open_channel(args) as channel:  # a failed call is one error line and its exit code (edge_node.cli)
        response = node_pb2_grpc.NodeServiceStub(channel).GetStatus(
            pb.GetStatusRequest(), metadata=metadata, timeout=ONCE_TIMEOUT_SECONDS)
    state = FeedState(response.status, True, "", 0, time.monotonic())
    Console(width=80).print(render(state, args.target, time.monotonic(), live=False))
    return 0


def follow_terminal_size() -> None:
    """Size the full-screen dashboard by the terminal itself (and follow its resizes), not by COLUMNS/LINES
    inherited from another terminal: a program started from a larger tmux pane passes its size on, and rich
    would draw a screen of that size, off the edges of this one."""
    if sys.stdout.isatty():
        os.environ.pop("COLUMNS", None)
        os.environ.pop("LINES", None)


def live(args: argparse.Namespace, metadata: tuple[tuple[str, str], ...]) -> int:
    connect = channel_factory(args)
    connect().close()  # a changed certificate is refused here, in one line, before the screen opens
    feed = StatusFeed(connect, metadata)
    feed.start()
    follow_terminal_size()
    console = Console()
    try:
        with KeyReader() as keys, Live(console=console, screen=True, auto_refresh=False) as screen:
            while True:
                screen.update(render(feed.state, args.target, time.monotonic()), refresh=True)
                if keys.read(REDRAW_SECONDS).lower() == "q":
                    return 0
    except KeyboardInterrupt:
        return 0
    finally:
        feed.stop()
