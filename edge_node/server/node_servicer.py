"""NodeService: the node's status snapshots (GetStatus, WatchStatus) as protobuf; the collecting is in edge_node.status."""
from __future__ import annotations

import asyncio
from typing import Any, AsyncIterator

from google.protobuf.duration_pb2 import Duration
from grpc import aio

from edge_node.attendance.trusted_time import ClockState
from edge_node.gen.edge.node.v1 import node_pb2 as pb
from edge_node.gen.edge.node.v1 import node_pb2_grpc
from edge_node.server.attendance_convert import event_to_pb
from edge_node.wire.timestamps import to_timestamp
from edge_node.status.collect import StatusCollector
from edge_node.status.snapshot import NodeStatus
from edge_node.sync.status import SyncStatus

WATCH_PERIOD_SECONDS = 1.0


class NodeServicer(node_pb2_grpc.NodeServiceServicer):
    def __init__(self, collector: StatusCollector, closing: asyncio.Event, period: float = WATCH_PERIOD_SECONDS) -> None:
        self._collector = collector
        self._closing = closing
        self._period = period

    async def _snapshot(self) -> pb.NodeStatus:
        """Collected off the event loop: it reads SQLite and /proc."""
        return status_to_pb(await asyncio.to_thread(self._collector.snapshot))

    async def GetStatus(self, request: pb.GetStatusRequest, context: aio.ServicerContext) -> pb.GetStatusResponse:
        return pb.GetStatusResponse(status=await self._snapshot())

    async def WatchStatus(self, request: pb.WatchStatusRequest,
                          context: aio.ServicerContext) -> AsyncIterator[pb.WatchStatusResponse]:
        while not self._closing.is_set():
            yield pb.WatchStatusResponse(status=await self._snapshot())
            try:
                await asyncio.wait_for(self._closing.wait(), self._period)
            except asyncio.TimeoutError:
                pass


def _duration(seconds: float) -> Duration:
    duration = Duration()
    duration.FromNanoseconds(int(seconds * 1e9))
    return duration


def _camera_to_pb(camera: Any) -> pb.CameraStatus:
    return pb.CameraStatus(camera_id=camera.camera_id, state=str(camera.state), source_kind=str(camera.source_kind),
                           address=camera.address, fps=camera.fps, last_frame_age_ms=camera.last_frame_age_ms,
                           frames_received=camera.frames_received, frames_dropped=camera.frames_dropped,
                           frames_corrupt=camera.frames_corrupt)


def _sync_to_pb(sync: SyncStatus | None) -> pb.SyncStatus:
    if sync is None:
        return pb.SyncStatus(enabled=False)
    return pb.SyncStatus(enabled=True, hub=sync.hub, node_id=sync.node_id, queue_depth=sync.queue_depth,
                         lag=_duration(sync.lag_seconds), last_success_at=to_timestamp(sync.last_success_at),
                         hub_reachable=sync.healthy, last_error=sync.last_error,
                         consecutive_failures=sync.consecutive_failures, roster_version=sync.roster_version)


def status_to_pb(status: NodeStatus) -> pb.NodeStatus:
    rec, host = status.recognition, status.host
    return pb.NodeStatus(
        taken_at=to_timestamp(status.taken_at), version=status.version, uptime=_duration(status.uptime_seconds),
        cameras=[_camera_to_pb(c) for c in status.cameras],
        stages=[pb.StageLatency(stage=s.stage, p50_ms=s.p50_ms, p95_ms=s.p95_ms) for s in status.stages],
        recent_events=[event_to_pb(e) for e in status.recent_events],
        recognition=pb.RecognitionStatus(
            enabled=rec.enabled, error=rec.error, model_id=rec.model_id, template_count=rec.template_count,
            person_count=rec.person_count, match_threshold=rec.match_threshold,
            models=[pb.ModelVersion(role=m.role, name=m.name, sha256_prefix=m.sha256_prefix) for m in rec.models]),
        sync=_sync_to_pb(status.sync),
        host=pb.HostStatus(cpu_percent=host.cpu_percent, memory_used_bytes=host.memory_used_bytes,
                           memory_total_bytes=host.memory_total_bytes, disk_used_bytes=host.disk_used_bytes,
                           disk_total_bytes=host.disk_total_bytes, load_average_1m=host.load_average_1m,
                           soc_temperature_celsius=host.soc_temperature_celsius),
        warnings=list(status.warnings),
        clock=_clock_to_pb(status.clock))


def _clock_to_pb(clock: ClockState | None) -> pb.ClockStatus | None:
    if clock is None:
        return None
    return pb.ClockStatus(synchronised_known=clock.synchronised is not None, synchronised=bool(clock.synchronised),
                          held=clock.held_since is not None, behind_seconds=clock.behind_seconds)


def add_to_server(server: aio.Server, collector: StatusCollector, closing: asyncio.Event) -> None:
    node_pb2_grpc.add_NodeServiceServicer_to_server(NodeServicer(collector, closing), server)
