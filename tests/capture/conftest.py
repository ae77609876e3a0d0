"""A real node with recognition and the camera ingest on loopback, simulators, and event collectors."""
from __future__ import annotations

import threading
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

import grpc
import pytest

from edge_node.camera_sim.playlist import SimFrame, load_frame
from edge_node.camera_sim.simulator import CameraSimulator, SimOptions
from edge_node.capture.config import CaptureConfig
from edge_node.checkin.results import LiveResult
from tools.manual_clock import ManualClock
from edge_node.config import RecognitionConfig
from edge_node.gen.edge.attendance.v1 import attendance_pb2, attendance_pb2_grpc
from edge_node.gen.edge.capture.v1 import capture_pb2, capture_pb2_grpc
from tests.conftest import LiveNode, node_config, wait_until

ENROLLED = ("Bill_Gates", "Hans_Blix", "Matt_Damon")


class CaptureNode(LiveNode):
    """LiveNode with the workers started, persons enrolled, and every live result and event collected."""

    def __init__(self, config, clock, shared: Path) -> None:
        super().__init__(config, clock)
        self.node.start_workers()
        self.ingest = ("127.0.0.1", self.node.capture.http_port)
        self.capture = capture_pb2_grpc.CaptureServiceStub(self.channel)
        self.attendance = attendance_pb2_grpc.AttendanceServiceStub(self.channel)
        self.results: list[LiveResult] = []
        self.node.live_results.subscribe(self.results.append)
        for name in ENROLLED:
            self.node.store.persons.upsert(name.lower(), name.replace("_", " "))
            self.node.recognition.enroll(name.lower(), [photo(shared, name, 0)])
        self.events: list[attendance_pb2.AttendanceEvent] = []
        self._watch = self.attendance.WatchEvents(attendance_pb2.WatchEventsRequest(), metadata=self.auth)
        self._watcher = threading.Thread(target=self._collect, daemon=True)
        self._watcher.start()

    def _collect(self) -> None:
        try:
            for reply in self._watch:
                self.events.append(reply.event)
        except grpc.RpcError:
            pass

    def events_of(self, camera_id: str) -> list[attendance_pb2.AttendanceEvent]:
        return [e for e in self.events if e.camera_id == camera_id]

    def results_of(self, camera_id: str) -> list[LiveResult]:
        return [r for r in self.results if r.camera_id == camera_id]

    def stop(self) -> None:
        self._watch.cancel()
        super().stop()


def photo(shared: Path, identity: str, index: int, folder: str = "faces") -> bytes:
    return sorted((shared / "data" / folder / identity).glob("*.jpg"))[index].read_bytes()


@pytest.fixture(scope="module")
def capture_node(tmp_path_factory, shared_dir: Path) -> Iterator[CaptureNode]:
    config = node_config(tmp_path_factory.mktemp("node"))
    config = replace(config, recognition=RecognitionConfig(models_dir=str(shared_dir / "models")),
                     capture=CaptureConfig(listen="127.0.0.1:0", mdns=False, pending_retry_ms=100,
                                           max_frame_bytes=64 * 1024, snapshot_kinds=("MATCH", "SPOOF", "UNKNOWN")))
    node = CaptureNode(config, ManualClock(datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc)), shared_dir)
    yield node
    node.stop()


class RunningSim:
    def __init__(self, node: CaptureNode, camera_id: str, frames: list[SimFrame], options: SimOptions) -> None:
        self.sim = CameraSimulator(*node.ingest, camera_id, frames, options=options)
        self.stop_event = threading.Event()
        self.thread = threading.Thread(target=self.sim.run, args=(self.stop_event,), daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.stop_event.set()
        self.thread.join(5)


@pytest.fixture
def start_sim(capture_node: CaptureNode) -> Iterator:
    """start_sim(camera_id, [image paths], approve=True) -> RunningSim, stopped after the test."""
    running: list[RunningSim] = []

    def start(camera_id: str, paths: list[Path], approve: bool = True, **options) -> RunningSim:
        options.setdefault("hold_seconds", 3600.0)
        sim = RunningSim(capture_node, camera_id, [load_frame(p) for p in paths], SimOptions(**options))
        running.append(sim)
        if approve:
            assert wait_until(lambda: sim.sim.stats.pairing_code != "", 5), sim.sim.stats
            capture_node.capture.ApproveCamera(capture_pb2.ApproveCameraRequest(
                camera_id=camera_id, pairing_code=sim.sim.stats.pairing_code), metadata=capture_node.auth)
        return sim

    yield start
    for sim in running:
        sim.stop()


def photo_path(shared: Path, identity: str, index: int, folder: str = "faces") -> Path:
    return sorted((shared / "data" / folder / identity).glob("*.jpg"))[index]
