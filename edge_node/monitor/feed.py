"""Keeps the newest status of a node from WatchStatus in a background thread, reconnecting forever."""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass, replace
from typing import Callable

import grpc

from edge_node.gen.edge.node.v1 import node_pb2 as pb
from edge_node.gen.edge.node.v1 import node_pb2_grpc

RETRY_SECONDS = 1.0


@dataclass(frozen=True)
class FeedState:
    """What the monitor knows: the last snapshot (kept while reconnecting) and the connection."""

    status: pb.NodeStatus | None = None
    connected: bool = False
    # Why the last attempt failed; empty while connected.
    problem: str = "connecting"
    # Failed attempts since the last snapshot arrived.
    attempts: int = 0
    # time.monotonic() of the last snapshot.
    updated_at: float = 0.0


class StatusFeed:
    """Runs WatchStatus on a daemon thread; `state` is always the newest FeedState."""

    def __init__(self, open_channel: Callable[[], grpc.Channel], metadata: tuple[tuple[str, str], ...]) -> None:
        self._open_channel = open_channel
        self._metadata = metadata
        self._stop = threading.Event()
        self._call: grpc.Future | None = None
        self.state = FeedState()
        self._thread = threading.Thread(target=self._run, name="status-feed", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._call is not None:
            self._call.cancel()
        self._thread.join(2)

    def _run(self) -> None:
        while not self._stop.is_set():
            channel = self._open_channel()
            try:
                self._call = node_pb2_grpc.NodeServiceStub(channel).WatchStatus(
                    pb.WatchStatusRequest(), metadata=self._metadata)
                for response in self._call:
                    self.state = FeedState(response.status, True, "", 0, time.monotonic())
            except grpc.RpcError as exc:
                if self._stop.is_set():
                    return
                self._failed(f"{exc.code().name}: {exc.details()}")
            else:
                self._failed("the node ended the stream")
            finally:
                channel.close()
            self._stop.wait(RETRY_SECONDS)

    def _failed(self, problem: str) -> None:
        self.state = replace(self.state, connected=False, problem=problem.splitlines()[0][:200],
                             attempts=self.state.attempts + 1)
