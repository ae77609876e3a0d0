"""Steady client load on a node: RecordScan (and optionally Recognize) from threads, tolerant of node restarts.

Every reply the client saw is remembered (the event id it acknowledged) with its latency, so a fault run can
check afterwards that nothing acknowledged was lost, and that latency stayed normal while something else failed.
"""
from __future__ import annotations

import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Callable, Sequence

import grpc

from edge_node.gen.edge.attendance.v1 import attendance_pb2, attendance_pb2_grpc
from edge_node.gen.edge.recognition.v1 import recognition_pb2, recognition_pb2_grpc

CHANNEL_OPTIONS = [("grpc.initial_reconnect_backoff_ms", 100), ("grpc.min_reconnect_backoff_ms", 100),
                   ("grpc.max_reconnect_backoff_ms", 500)]


def open_channel(address: str, credentials: grpc.ChannelCredentials | None = None) -> grpc.Channel:
    if credentials is not None:
        return grpc.secure_channel(address, credentials, CHANNEL_OPTIONS)
    return grpc.insecure_channel(address, CHANNEL_OPTIONS)


@dataclass
class Sample:
    """One acknowledged call: when it started (monotonic), how long it took, and the event id (0 if none)."""

    kind: str
    started: float
    seconds: float
    event_id: int


@dataclass
class LoadStats:
    samples: list[Sample] = field(default_factory=list)
    errors: Counter = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, sample: Sample) -> None:
        with self.lock:
            self.samples.append(sample)

    def error(self, code: str) -> None:
        with self.lock:
            self.errors[code] += 1

    def acked_ids(self) -> set[int]:
        with self.lock:
            return {s.event_id for s in self.samples if s.event_id}

    def latencies(self, kind: str, start: float = 0.0, end: float = float("inf")) -> list[float]:
        with self.lock:
            return [s.seconds for s in self.samples if s.kind == kind and start <= s.started < end]


Call = Callable[[grpc.Channel], tuple[str, int]]


def record_scan_call(person_ids: Sequence[str], auth: tuple, camera_id: str = "load") -> Call:
    """A RecordScan of the next person in turn; returns ("scan", event id)."""
    counter = iter(range(1 << 62))

    def call(channel: grpc.Channel) -> tuple[str, int]:
        stub = attendance_pb2_grpc.AttendanceServiceStub(channel)
        person = person_ids[next(counter) % len(person_ids)]
        reply = stub.RecordScan(attendance_pb2.RecordScanRequest(person_id=person, camera_id=camera_id),
                                metadata=auth, timeout=5)
        return "scan", reply.event.event_id
    return call


def recognize_call(image: bytes, auth: tuple, camera_id: str = "load-cam") -> Call:
    """Recognize(record=True) of one face image; returns ("recognize", event id of the scan, 0 if none)."""
    def call(channel: grpc.Channel) -> tuple[str, int]:
        stub = recognition_pb2_grpc.RecognitionServiceStub(channel)
        reply = stub.Recognize(recognition_pb2.RecognizeRequest(image=image, record=True, camera_id=camera_id),
                               metadata=auth, timeout=10)
        return "recognize", reply.attendance.event.event_id if reply.HasField("attendance") else 0
    return call


class Load:
    """Runs each call in its own thread, back to back (or every `interval` seconds), until stop()."""

    def __init__(self, address: str, calls: Sequence[Call], interval: float = 0.0,
                 credentials: grpc.ChannelCredentials | None = None) -> None:
        self.stats = LoadStats()
        self._address = address
        self._credentials = credentials
        self._interval = interval
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._run, args=(c,), name=f"load-{i}", daemon=True)
                         for i, c in enumerate(calls)]

    def start(self) -> "Load":
        for thread in self._threads:
            thread.start()
        return self

    def stop(self) -> LoadStats:
        self._stop.set()
        for thread in self._threads:
            thread.join(15)
        return self.stats

    def _run(self, call: Call) -> None:
        channel = open_channel(self._address, self._credentials)
        try:
            while not self._stop.is_set():
                started = time.monotonic()
                try:
                    kind, event_id = call(channel)
                except grpc.RpcError as exc:
                    self.stats.error(exc.code().name)
                    self._stop.wait(0.05)
                    continue
                self.stats.add(Sample(kind, started, time.monotonic() - started, event_id))
                if self._interval:
                    self._stop.wait(max(0.0, self._interval - (time.monotonic() - started)))
        finally:
            channel.close()
