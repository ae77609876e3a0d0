"""scripts/fault_partition, short: node<->hub link cut and then lossy (network namespace, nftables)."""
from __future__ import annotations

import pytest

from tools.faults.netns import unavailable_reason
from tests.faults.conftest import run_script


def test_partition_and_packet_loss_lose_nothing_and_do_not_slow_the_node(tmp_path, shared_dir):
    reason = unavailable_reason()
    if reason:
        pytest.skip(f"network namespaces cannot be made here: {reason}")
    figures, done = run_script("fault_partition", "--baseline", "3", "--cut", "6", "--lossy", "6", "--recovery", "3",
                               "--work-dir", str(tmp_path))
    assert done.returncode == 0, figures.get("problems") or done.stderr[-3000:]
    assert figures["problems"] == [] and figures["lost"] == 0 and figures["hub_duplicated"] == 0
    assert figures["hub_equal"] and figures["hub_events"] == figures["node_events"] > 0
    assert figures["cut_scan_n"] > 50 and figures["cut_scan_stall_s"] < 1.5
