"""Renders a FeedState as a dashboard that fits 80×24: header, cameras, latency, events, gallery/sync/host."""
from __future__ import annotations

from datetime import timezone

from rich.console import Group, RenderableType
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from edge_node.gen.edge.attendance.v1 import attendance_pb2 as apb
from edge_node.gen.edge.node.v1 import node_pb2 as pb
from edge_node.monitor.feed import FeedState

MAX_CAMERAS = 3
MAX_EVENTS = 5
# Whole warnings (each wrapped) under the header; the rest are counted.
MAX_WARNINGS = 2
STALE_SECONDS = 4.0
FRESH_FRAME_MS = 3000
# Sync failures that mean the hub could not be reached; with any other the hub answered and refused.
NETWORK_CODES = ("", "UNAVAILABLE", "DEADLINE_EXCEEDED", "CANCELLED")
EVENT_STYLE = {"ENTRY": "bold green", "EXIT": "bold cyan", "DUPLICATE": "dim", "REJECTED": "yellow",
               "UNKNOWN_FACE": "bold yellow", "SPOOF": "bold red"}


def render(state: FeedState, target: str, now: float, live: bool = True) -> RenderableType:
    """The whole screen; `now` is time.monotonic(), to tell a stale snapshot; `live` for the q hint."""
    status = state.status
    parts: list[RenderableType] = [_header(state, target, now, live)]
    if status is None:
        parts.append(Text(f"waiting for the first status from {target} …", style="dim"))
        return Group(*parts)
    parts += [_section("Cameras"), _cameras(status.cameras), _section("Latency p50/p95 ms"), _latency(status.stages),
              _section("Last events"), _events(status.recent_events), _section("Recognition · Sync · Host"),
              _bottom(status)]
    return Group(*parts)


def _header(state: FeedState, target: str, now: float, live: bool) -> Text:
    text = Text("edge-node ", style="bold")
    if state.status is not None:
        text.append(f"{state.status.version} · up {_span(state.status.uptime.ToTimedelta().total_seconds())} · ")
    text.append(f"{target}  ")
    if state.connected and now - state.updated_at <= STALE_SECONDS:
        text.append("● online", style="bold green")
    elif state.connected:
        text.append(f"● no update for {now - state.updated_at:.0f} s", style="bold yellow")
    else:
        text.append(f"⟳ reconnecting (attempt {state.attempts})", style="bold red")
    if live:
        text.append("   q quits", style="dim")
    if not state.connected and state.problem:
        text.append(f"\n  {state.problem}", style="red")
    warnings = list(state.status.warnings) if state.status is not None else []
    for warning in warnings[:MAX_WARNINGS]:
        text.append(f"\n  ⚠ {warning}", style="yellow")
    if len(warnings) > MAX_WARNINGS:
        text.append(f"\n  ⚠ {len(warnings) - MAX_WARNINGS} more warning(s): see the node's log", style="yellow")
    return text  # wrapped at the screen's width: a warning's fix is at its end


def _section(title: str) -> Rule:
    return Rule(Text(title, style="bold"), align="left", style="blue")


def _grid(*ratios: int) -> Table:
    table = Table.grid(padding=(0, 1), expand=True)
    for ratio in ratios:
        table.add_column(ratio=ratio, no_wrap=True, overflow="ellipsis")
    return table


def _cameras(cameras) -> RenderableType:
    if not cameras:
        return Text(" no cameras connected", style="dim")
    table = _grid(3, 2, 2, 2, 2, 4)
    for cam in list(cameras)[:MAX_CAMERAS]:
        age = "no frame" if cam.last_frame_age_ms < 0 else f"{cam.last_frame_age_ms} ms ago"
        style = "green" if 0 <= cam.last_frame_age_ms <= FRESH_FRAME_MS else "yellow"
        table.add_row(cam.camera_id, Text(cam.state, style=style), cam.source_kind, f"{cam.fps:.1f} fps", age,
                      f"rx {cam.frames_received} drop {cam.frames_dropped} bad {cam.frames_corrupt}")
    if len(cameras) > MAX_CAMERAS:
        table.add_row(f"… {len(cameras) - MAX_CAMERAS} more", "", "", "", "", "")
    return table


def _latency(stages) -> Text:
    if not stages:
        return Text(" no recognitions yet", style="dim")
    return Text(" " + " · ".join(f"{s.stage} {s.p50_ms:.0f}/{s.p95_ms:.0f}" for s in stages))


def _events(events) -> RenderableType:
    if not events:
        return Text(" no events yet", style="dim")
    table = _grid(2, 5, 3, 2, 4)
    for event in list(events)[:MAX_EVENTS]:
        kind = apb.EventType.Name(event.event_type).removeprefix("EVENT_TYPE_")
        when = event.occurred_at.ToDatetime(tzinfo=timezone.utc).astimezone().strftime("%H:%M:%S")
        anomalies = ", ".join(apb.AnomalyKind.Name(a.kind).removeprefix("ANOMALY_KIND_") for a in event.anomalies)
        table.add_row(when, event.person_name or event.person_id or "—", Text(kind, style=EVENT_STYLE.get(kind, "")),
                      event.camera_id, Text(anomalies, style="yellow"))
    return table


def _bottom(status: pb.NodeStatus) -> Table:
    table = _grid(1, 1, 1)
    for row in zip(_recognition_lines(status.recognition), _sync_lines(status.sync), _host_lines(status.host)):
        table.add_row(*row)
    return table


def _recognition_lines(rec: pb.RecognitionStatus) -> list[Text]:
    if not rec.enabled:
        return [Text("recognition off", style="bold red"), Text(rec.error.splitlines()[0] if rec.error else ""), Text("")]
    models = " ".join(f"{m.name}" for m in rec.models if m.role != "recognizer")
    return [Text(f"gallery {rec.template_count} tpl / {rec.person_count} pers."), Text(f"model {rec.model_id}"),
            Text(models, style="dim")]


def _sync_lines(sync: pb.SyncStatus) -> list[Text]:
    if not sync.enabled:
        return [Text("sync off (standalone)", style="dim"), Text(""), Text("")]
    last = (sync.last_success_at.ToDatetime(tzinfo=timezone.utc).astimezone().strftime("%H:%M:%S")
            if sync.HasField("last_success_at") else "never")
    lag = _span(sync.lag.ToTimedelta().total_seconds())
    return [_hub_state(sync), Text(f"queue {sync.queue_depth}  lag {lag}"), Text(f"last ok {last}")]


def _hub_state(sync: pb.SyncStatus) -> Text:
    """Reachable, unreachable (network), or refusing (it answered with an error the admin must fix)."""
    if sync.hub_reachable:
        return Text("hub reachable", style="green")
    code = sync.last_error.partition(":")[0]
    if code in NETWORK_CODES:
        return Text("hub unreachable", style="bold red")
    return Text(f"hub: {code}", style="bold red")  # the node's log has the hub's whole message


def _host_lines(host: pb.HostStatus) -> list[Text]:
    temp = f"  {host.soc_temperature_celsius:.1f}°C" if host.HasField("soc_temperature_celsius") else ""
    return [Text(f"CPU {host.cpu_percent:.0f}%  load {host.load_average_1m:.2f}{temp}"),
            Text(f"mem {_gb(host.memory_used_bytes)}/{_gb(host.memory_total_bytes)} GB"),
            Text(f"disk {_gb(host.disk_used_bytes)}/{_gb(host.disk_total_bytes)} GB")]


def _gb(n: int) -> str:
    return f"{n / 1e9:.1f}"


def _span(seconds: float) -> str:
    seconds = int(seconds)
    if seconds < 60:
        return f"{seconds}s"
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}"
