"""Partition: the node in its own network namespace keeps serving while its link to the hub is cut, then lossy.

Phases (seconds each): baseline, cut (every node<->hub packet dropped), healed, lossy (a share of packets
dropped at random), healed, then drain. Scans and recognitions run throughout; the figures are their
latency per phase, the longest stall, and whether the hub ends up with exactly the node's events.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from tools.faults import people
from tools.faults.hub_check import compare, settle
from tools.faults.load import Load, LoadStats
from tools.faults.netns import NodeNamespace
from tools.faults.procs import create_hub_node, free_port, hub_child, hub_event_rows, hub_token, node_child, \
    pg_schema, sync_env
from tools.faults.rig import prepare
from tools.faults.sqlite_check import event_rows

NODE_ID = "part-node"
CAMERA_ID = "sim-cam-part"


@dataclass(frozen=True)
class PartitionOptions:
    baseline: float = 10.0
    cut: float = 30.0
    lossy: float = 30.0
    loss_percent: int = 30
    recovery: float = 10.0


def percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def longest_stall(stats: LoadStats, kind: str, start: float, end: float) -> float:
    """The longest time within [start, end) in which no call of `kind` completed."""
    done = sorted(s.started + s.seconds for s in stats.samples if s.kind == kind and start <= s.started + s.seconds < end)
    edges = [start, *done, end]
    return max(b - a for a, b in zip(edges, edges[1:]))


def _phase_figures(stats: LoadStats, phases: dict[str, tuple[float, float]]) -> dict:
    out = {}
    for name, (start, end) in phases.items():
        for kind in ("scan", "recognize"):
            values = stats.latencies(kind, start, end)
            if values:
                out[f"{name}_{kind}_n"] = len(values)
                out[f"{name}_{kind}_p50_ms"] = round(percentile(values, 0.5) * 1000, 1)
                out[f"{name}_{kind}_p99_ms"] = round(percentile(values, 0.99) * 1000, 1)
                out[f"{name}_{kind}_stall_s"] = round(longest_stall(stats, kind, start, end), 2)
    return out


def run_partition(work: Path, options: PartitionOptions) -> dict:
    with NodeNamespace() as ns, pg_schema() as database:
        # Plain text on purpose (insecure): this measures the link's faults, as before TLS became the default.
        hub = hub_child(database, work / "hub", f"{ns.hub_ip}:{free_port()}", {"EDGE_NODE_HUB_INSECURE": "1"}).start()
        node = node_child(work / "node", f"{ns.node_ip}:{free_port()}", prefix=ns.prefix, env={
            **sync_env(hub.address, NODE_ID, create_hub_node(hub.address, hub_token(work / "hub"), NODE_ID), 3.0),
            **people.models_env(), "EDGE_NODE_SERVER_INSECURE": "1", "EDGE_NODE_SYNC_INSECURE": "1"})
        camera = None
        try:
            node.start(60)
            calls, camera = prepare(work, node, "part", 20, 2, CAMERA_ID)
            load = Load(node.address, calls).start()
            phases: dict[str, tuple[float, float]] = {}
            for name, seconds, action in (("baseline", options.baseline, ns.heal), ("cut", options.cut, ns.cut),
                                          ("healed", options.recovery, ns.heal),
                                          ("lossy", options.lossy, lambda: ns.lossy(options.loss_percent)),
                                          ("recovered", options.recovery, ns.heal)):
                action()
                began = time.monotonic()
                time.sleep(seconds)
                phases[name] = (began, time.monotonic())
            stats = load.stop()
            db = work / "node" / "edge-node.db"
            drain_s = settle(database, NODE_ID, db, camera, timeout=120)
            node_rows, hub_rows = event_rows(db), hub_event_rows(database, NODE_ID)
        finally:
            if camera is not None:
                camera.stop()
            node.stop()
            hub.stop()
    acked = stats.acked_ids()
    stored = {r[0] for r in node_rows}
    return {"acked": len(acked), "lost": len(acked - stored), **compare(node_rows, hub_rows),
            "synced": drain_s is not None, "drain_after_load_s": round(drain_s, 1) if drain_s is not None else None,
            "loss_percent": options.loss_percent,
            "camera_events": sum(1 for r in node_rows if r[3] == CAMERA_ID), "client_errors": dict(stats.errors),
            **_phase_figures(stats, phases)}


def verdict(figures: dict) -> list[str]:
    """What failed: loss, duplicates, a hub different from the node, or recognition slowed by the cut."""
    problems = []
    if figures["lost"] or figures["hub_missing"] or figures["hub_duplicated"] or not figures["hub_equal"]:
        problems.append("events lost, duplicated or different at the hub")
    if figures["client_errors"]:
        problems.append(f"client calls failed: {figures['client_errors']}")
    for kind in ("scan", "recognize"):
        base = figures.get(f"baseline_{kind}_p50_ms")
        if base is None:
            continue
        for phase in ("cut", "lossy"):
            if figures[f"{phase}_{kind}_p50_ms"] > 2 * base + 20 or figures[f"{phase}_{kind}_stall_s"] > 1.5:
                problems.append(f"{kind} slowed during {phase}: p50 {figures[f'{phase}_{kind}_p50_ms']} ms "
                                f"(baseline {base} ms), stall {figures[f'{phase}_{kind}_stall_s']} s")
    return problems
