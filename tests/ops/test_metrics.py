"""The Prometheus endpoint of `edge-node serve`: off by default; when on, a scrape shows scans, decisions
by kind, stage latencies, sync queue and lag, and camera fps, in the text exposition format."""
from __future__ import annotations

import re
import urllib.error
import urllib.request

from edge_node.config import Config
from tests.conftest import free_port
from tests.ops.nodes import NODE_ENV, record_scans
from tests.sync.conftest import hub, hub_db, sync_env  # noqa: F401 - the hub fixtures

SAMPLE = re.compile(r'^[a-z_]+(\{[a-z_]+="[^"]*"(,[a-z_]+="[^"]*")*\})? -?[0-9.e+-]+$')


def scrape(address: str) -> str:
    with urllib.request.urlopen(f"http://{address}/metrics", timeout=10) as reply:
        assert reply.headers["Content-Type"].startswith("text/plain; version=0.0.4")
        return reply.read().decode()


def value(text: str, sample: str) -> float:
    line = next(line for line in text.splitlines() if line.startswith(sample + " "))
    return float(line.rsplit(" ", 1)[1])


def test_metrics_are_off_by_default(spawn_node) -> None:
    assert Config().metrics.enabled is False
    node = spawn_node(env=NODE_ENV)
    assert "Prometheus metrics on" not in node.log_text()


def test_scrape_shows_what_the_node_did(spawn_node, hub) -> None:
    metrics = f"127.0.0.1:{free_port()}"
    env = {**NODE_ENV, **sync_env(hub.address, "door", hub.add_node("door")), "EDGE_NODE_METRICS_ENABLED": "true",
           "EDGE_NODE_METRICS_LISTEN": metrics}
    node = spawn_node(env=env)
    before = scrape(metrics)
    assert value(before, "edge_node_scans_total") == 0
    # ENTRY, then DUPLICATE twice inside the cooldown; REJECTED for an unknown person
    record_scans(node.address, node.token, [("ada", "door")] * 3 + [("nobody", "door")])
    text = scrape(metrics)
    for line in text.splitlines():
        assert line.startswith("# ") or SAMPLE.match(line), line
    assert value(text, "edge_node_scans_total") == 4
    assert value(text, 'edge_node_decisions_total{kind="ENTRY"}') == 1
    assert value(text, 'edge_node_decisions_total{kind="DUPLICATE"}') == 2
    assert value(text, 'edge_node_decisions_total{kind="REJECTED"}') == 1
    assert value(text, 'edge_node_decisions_total{kind="SPOOF"}') == 0
    assert value(text, "edge_node_sync_enabled") == 1
    assert value(text, "edge_node_sync_queue_depth") >= 0 and value(text, "edge_node_sync_lag_seconds") >= 0
    for family in ("edge_node_stage_latency_seconds", "edge_node_camera_fps"):
        assert f"# TYPE {family} gauge" in text
    try:
        urllib.request.urlopen(f"http://{metrics}/other", timeout=10)
        raise AssertionError("only /metrics is served")
    except urllib.error.HTTPError as exc:
        assert exc.code == 404
