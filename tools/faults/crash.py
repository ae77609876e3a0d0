"""Crash safety: `edge-node serve` under steady load, killed with SIGKILL at random moments and restarted.

Afterwards every scan a client saw acknowledged must be in the node's database, the database must pass
PRAGMA integrity_check, and the hub (synced throughout) must hold exactly the node's events.
"""
from __future__ import annotations

import random
import time
from dataclasses import dataclass
from pathlib import Path

from tools.faults import people
from tools.faults.hub_check import compare, settle
from tools.faults.load import Load
from tools.faults.procs import create_hub_node, free_port, hub_child, hub_event_rows, hub_token, node_child, \
    pg_schema, sync_env
from tools.faults.rig import prepare
from tools.faults.sqlite_check import event_rows, id_gaps, integrity

NODE_ID = "crash-node"
CAMERA_ID = "sim-cam-crash"


@dataclass(frozen=True)
class CrashOptions:
    kills: int = 20
    min_gap: float = 0.5
    max_gap: float = 3.0
    scan_threads: int = 2
    recognize: bool = True
    seed: int = 0


def run_crash(work: Path, options: CrashOptions) -> dict:
    """Run the kill/restart cycle and return the figures (see scripts/fault_crash)."""
    rng = random.Random(options.seed)
    node_dir = work / "node"
    recognition = people.models_env() if options.recognize else {"EDGE_NODE_RECOGNITION_ENABLED": "0"}
    with pg_schema() as database:
        hub = hub_child(database, work / "hub", f"127.0.0.1:{free_port()}").start()
        node = node_child(node_dir, f"127.0.0.1:{free_port()}", recognition)
        camera = None
        try:
            node.env.update(sync_env(hub.address, NODE_ID, create_hub_node(hub.address, hub_token(work / "hub"),
                                                                           NODE_ID)))
            node.start(60)
            calls, camera = prepare(work, node, "crash", 20, options.scan_threads, CAMERA_ID, options.recognize)
            load = Load(node.address, calls).start()
            restarts: list[float] = []
            for _ in range(options.kills):
                time.sleep(rng.uniform(options.min_gap, options.max_gap))
                node.kill9()
                began = time.monotonic()
                node.start(60)
                restarts.append(time.monotonic() - began)
            time.sleep(options.min_gap)
            stats = load.stop()
            db = node_dir / "edge-node.db"
            synced = settle(database, NODE_ID, db, camera, timeout=60) is not None
            node.stop()
            node_rows = event_rows(db)
            hub_rows = hub_event_rows(database, NODE_ID)
        finally:
            if camera is not None:
                camera.stop()
            node.stop()
            hub.stop()
    acked = stats.acked_ids()
    stored = {r[0] for r in node_rows}
    return {"kills": options.kills, "acked": len(acked), "found": len(acked & stored), "lost": len(acked - stored),
            "synced": synced, **compare(node_rows, hub_rows), "id_gaps": id_gaps(sorted(stored)), "integrity": integrity(db),
            "recognize_acked": sum(1 for s in stats.samples if s.kind == "recognize"),
            "camera_events": sum(1 for r in node_rows if r[3] == CAMERA_ID),
            "restart_s_max": round(max(restarts, default=0.0), 2), "client_errors": dict(stats.errors),
            "seed": options.seed}


def passed(figures: dict) -> bool:
    """Nothing acknowledged lost, a sound file, the hub equal to the node, and no call answered with a failure
    other than the node being down (UNAVAILABLE)."""
    return (figures["lost"] == 0 and figures["integrity"] == "ok" and figures["hub_equal"] and figures["acked"] > 0
            and set(figures["client_errors"]) <= {"UNAVAILABLE"})
