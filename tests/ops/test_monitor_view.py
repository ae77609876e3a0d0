"""The monitor's sync line tells the operator whether the hub is down or refusing this node."""
from __future__ import annotations

import pytest
from rich.console import Console

from edge_node.gen.edge.node.v1 import node_pb2 as pb
from edge_node.monitor.feed import FeedState
from edge_node.monitor.view import render


def screen(sync: pb.SyncStatus) -> str:
    console = Console(width=80, height=24, record=True, color_system=None)
    console.print(render(FeedState(status=pb.NodeStatus(sync=sync), connected=True, problem=""), "box:50051", 0.0))
    return console.export_text()


@pytest.mark.parametrize("reachable, error, shown", [
    (True, "", "hub reachable"),
    (False, "UNAVAILABLE: failed to connect to all addresses", "hub unreachable"),
    (False, "DEADLINE_EXCEEDED: Deadline Exceeded", "hub unreachable"),
    (False, "FAILED_PRECONDITION: node 'a' belongs to another installation", "hub: FAILED_PRECONDITION"),
    (False, "UNAUTHENTICATED: node 'a' has been revoked on the hub", "hub: UNAUTHENTICATED"),
])
def test_sync_line_names_what_is_wrong(reachable: bool, error: str, shown: str) -> None:
    text = screen(pb.SyncStatus(enabled=True, hub="hub:50052", node_id="a", hub_reachable=reachable,
                                last_error=error, consecutive_failures=0 if reachable else 3))
    assert shown in text
    assert ("unreachable" in text) == (shown == "hub unreachable")
