"""Soak: a node with a simulated camera, scan and recognition load and hub sync for a while; its memory,
file descriptors and threads are sampled from /proc and must stay flat after a warm-up."""
from __future__ import annotations

import time
from pathlib import Path

from tools.faults import people
from tools.faults.load import Load
from tools.faults.hub_check import settle
from tools.faults.procs import create_hub_node, free_port, hub_child, hub_token, node_child, pg_schema, sync_env
from tools.faults.procstat import ProcStat, proc_stat
from tools.faults.rig import prepare
from tools.faults.sqlite_check import event_rows

NODE_ID = "soak-node"
WARMUP_SHARE = 0.25


def _samples(pid: int, seconds: float, interval: float) -> list[tuple[float, ProcStat]]:
    began = time.monotonic()
    out = []
    while (now := time.monotonic()) - began < seconds:
        out.append((now - began, proc_stat(pid)))
        time.sleep(interval)
    return out


def _median(values: list[int]) -> float:
    ordered = sorted(values)
    return float(ordered[len(ordered) // 2])


def growth(samples: list[tuple[float, ProcStat]], seconds: float) -> dict:
    """RSS at the end of the warm-up and at the end of the run (medians of the last samples of each), the
    growth between them, and the fd/thread counts after warm-up versus the most seen later."""
    warm = [s for t, s in samples if t < seconds * WARMUP_SHARE]
    later = [s for t, s in samples if t >= seconds * WARMUP_SHARE]
    window = max(3, len(later) // 10)
    rss_warm = _median([s.rss_kib for s in warm[-window:]])
    rss_end = _median([s.rss_kib for s in later[-window:]])
    return {"rss_after_warmup_mib": round(rss_warm / 1024, 1), "rss_end_mib": round(rss_end / 1024, 1),
            "rss_growth_pct": round((rss_end - rss_warm) / rss_warm * 100, 1),
            "fds_after_warmup": warm[-1].fds, "fds_max_later": max(s.fds for s in later),
            "fds_end": later[-1].fds, "threads_after_warmup": warm[-1].threads,
            "threads_max_later": max(s.threads for s in later), "threads_end": later[-1].threads}


def run_soak(work: Path, minutes: float, interval: float = 1.0) -> dict:
    seconds = minutes * 60
    with pg_schema() as database:
        hub = hub_child(database, work / "hub", f"127.0.0.1:{free_port()}").start()
        token = create_hub_node(hub.address, hub_token(work / "hub"), NODE_ID)
        node = node_child(work / "node", f"127.0.0.1:{free_port()}", {**sync_env(hub.address, NODE_ID, token),
                                                                       **people.models_env()})
        camera = None
        try:
            node.start(60)
            calls, camera = prepare(work, node, "soak", 100, 1, "sim-cam-soak")
            load = Load(node.address, calls, interval=0.02).start()
            samples = _samples(node.pid, seconds, interval)
            stats = load.stop()
            db = work / "node" / "edge-node.db"
            synced = settle(database, NODE_ID, db, camera, timeout=60) is not None
            events = len(event_rows(db))
        finally:
            if camera is not None:
                camera.stop()
            node.stop()
            hub.stop()
    return {"minutes": minutes, "samples": len(samples), "scans": len(stats.latencies("scan")),
            "recognitions": len(stats.latencies("recognize")), "events": events, "synced_to_hub": synced,
            "client_errors": dict(stats.errors), **growth(samples, seconds)}


def verdict(figures: dict) -> list[str]:
    """RSS growth over 10 %, more fds or threads than after warm-up (plus a small slack), errors, or no sync."""
    problems = []
    if figures["rss_growth_pct"] > 10:
        problems.append(f"RSS grew {figures['rss_growth_pct']} % after warm-up")
    if figures["fds_end"] > figures["fds_after_warmup"] + 4:
        problems.append(f"file descriptors {figures['fds_after_warmup']} -> {figures['fds_end']}")
    if figures["threads_end"] > figures["threads_after_warmup"] + 4:
        problems.append(f"threads {figures['threads_after_warmup']} -> {figures['threads_end']}")
    if figures["client_errors"] or not figures["synced_to_hub"]:
        problems.append(f"client errors {figures['client_errors']}, synced {figures['synced_to_hub']}")
    return problems
