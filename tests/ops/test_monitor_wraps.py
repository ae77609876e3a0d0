"""The monitor wraps a long line instead of cutting it: the mDNS warning's fix is on screen, in a real tmux pane
at 120×40 and down to 80×24, and in the rendered dashboard."""
from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from rich.console import Console

from edge_node.gen.edge.node.v1 import node_pb2 as pb
from edge_node.monitor.feed import FeedState
from edge_node.monitor.view import render
from tests.ops.nodes import NODE_ENV
from tests.ops.tmux import Tmux

FIX = "pip install 'edge-node[mdns]', or set [capture] mdns = false and give cameras the address"
LONG = ("mDNS is on but zeroconf is not installed, so cameras cannot find this box by name: " + FIX)


def _flat(screen: str) -> str:
    """The screen's text as one line: a wrapped line reads on across the line break."""
    return re.sub(r"\s+", " ", screen)


@pytest.mark.parametrize("width, height", [(120, 40), (80, 24), (60, 16)])
def test_a_long_warning_is_wrapped_whole(width: int, height: int) -> None:
    console = Console(width=width, height=height, record=True, color_system=None)
    status = pb.NodeStatus(warnings=[LONG, "a second warning"])
    console.print(render(FeedState(status=status, connected=True, problem=""), "box:50051", 0.0))
    text = console.export_text()
    assert LONG in _flat(text) and "a second warning" in text
    assert max(len(line) for line in text.splitlines()) <= width


@pytest.mark.skipif(sys.platform != "linux", reason="tmux")
@pytest.mark.parametrize("width, height", [(120, 40), (80, 24)])
def test_the_mdns_fix_is_visible_in_the_dashboard(spawn_node, tmp_path: Path, width: int, height: int) -> None:
    node = spawn_node(env={**NODE_ENV, "EDGE_NODE_CAPTURE_MDNS": "true"})  # zeroconf is not installed here
    pane = Tmux(tmp_path, [sys.executable, "-m", "edge_node", "monitor", "--target", node.address, "--token",
                           node.token], width=width, height=height)
    try:
        screen = pane.wait_for("● online", "mDNS is on")
        assert FIX in _flat(screen), screen
        lines = screen.rstrip("\n").split("\n")
        assert len(lines) <= height and max(len(line) for line in lines) <= width
    finally:
        pane.kill()
