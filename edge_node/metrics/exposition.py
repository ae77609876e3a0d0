"""The node's figures in the Prometheus text exposition format (version 0.0.4)."""
from __future__ import annotations

from edge_node.status.snapshot import NodeStatus

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
# Decisions that come from a scan of a person (the others are recognition attempts logged for audit).
SCAN_KINDS = ("ENTRY", "EXIT", "DUPLICATE", "REJECTED")


def _label(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')


class _Writer:
    def __init__(self) -> None:
        self.lines: list[str] = []

    def family(self, name: str, kind: str, help_text: str, samples: list[tuple[dict[str, str], float]]) -> None:
        self.lines += [f"# HELP {name} {help_text}", f"# TYPE {name} {kind}"]
        for labels, value in samples:
            rendered = ",".join(f'{key}="{_label(val)}"' for key, val in labels.items())
            self.lines.append(f"{name}{{{rendered}}} {value:g}" if rendered else f"{name} {value:g}")


def render(status: NodeStatus, events_by_kind: dict[str, int]) -> str:
    out = _Writer()
    out.family("edge_node_scans_total", "counter", "Scans of a person recorded since the node started.",
               [({}, sum(events_by_kind.get(kind, 0) for kind in SCAN_KINDS))])
    out.family("edge_node_decisions_total", "counter", "Events recorded since the node started, by decision.",
               [({"kind": kind}, count) for kind, count in sorted(events_by_kind.items())])
    out.family("edge_node_stage_latency_seconds", "gauge", "Recent latency of each pipeline stage (p50, p95).",
               [({"stage": s.stage, "quantile": q}, ms / 1000) for s in status.stages
                for q, ms in (("0.5", s.p50_ms), ("0.95", s.p95_ms))])
    out.family("edge_node_camera_fps", "gauge", "Frames per second each camera delivers now.",
               [({"camera_id": camera.camera_id}, camera.fps) for camera in status.cameras])
    sync = status.sync
    out.family("edge_node_sync_enabled", "gauge", "1 when the node syncs with a hub.", [({}, float(sync is not None))])
    if sync is not None:
        out.family("edge_node_sync_queue_depth", "gauge", "Events the hub has not acknowledged yet.",
                   [({}, sync.queue_depth)])
        out.family("edge_node_sync_lag_seconds", "gauge", "Age of the oldest event the hub has not acknowledged.",
                   [({}, sync.lag_seconds)])
        out.family("edge_node_sync_consecutive_failures", "gauge", "Failed sync attempts in a row.",
                   [({}, sync.consecutive_failures)])
    out.family("edge_node_recognition_enabled", "gauge", "1 when recognition runs.",
               [({}, float(status.recognition.enabled))])
    out.family("edge_node_uptime_seconds", "gauge", "Seconds since the node started.", [({}, status.uptime_seconds)])
    return "\n".join(out.lines) + "\n"
