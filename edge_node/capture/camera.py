"""The runtime side of one camera: counters, the frame slot, pending commands and the latest frame."""
from __future__ import annotations

import collections
import threading
from dataclasses import dataclass, field

from edge_node.capture.frames import Frame, FrameSlot
from edge_node.gen.edge.capture.v1 import capture_pb2

MAX_COMMANDS_PER_REPLY = 4
# At most this many commands wait for a camera; beyond, the oldest are dropped unsent.
MAX_PENDING_COMMANDS = 16
FPS_WINDOW_SECONDS = 3.0


@dataclass
class Counters:
    received: int = 0
    corrupt: int = 0
    oversized: int = 0


@dataclass
class LiveCamera:
    camera_id: str
    slot: FrameSlot = field(default_factory=FrameSlot)
    counters: Counters = field(default_factory=Counters)
    latest: Frame | None = None
    # command_id -> True if the HQ frame is for the live pipeline (False: an admin's RequestCapture).
    hq_wanted: dict[int, bool] = field(default_factory=dict)
    # Pull sources: the next frame is taken as the answer to this command (0: none).
    pull_hq_command: int = 0
    _commands: collections.deque = field(default_factory=lambda: collections.deque(maxlen=MAX_PENDING_COMMANDS))
    _arrivals: collections.deque = field(default_factory=lambda: collections.deque(maxlen=512))
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def accept(self, frame: Frame) -> None:
        """A valid frame arrived: count it, keep it as the latest, hand it to the worker."""
        with self._lock:
            self.counters.received += 1
            self._arrivals.append(frame.received)
            self.latest = frame
        self.slot.put(frame)

    def queue_command(self, command: capture_pb2.Command) -> None:
        with self._lock:
            self._commands.append(command)

    def take_commands(self) -> list[capture_pb2.Command]:
        with self._lock:
            taken = [self._commands.popleft() for _ in range(min(MAX_COMMANDS_PER_REPLY, len(self._commands)))]
        return taken

    def fps(self, now: float) -> float:
        with self._lock:
            recent = [t for t in self._arrivals if now - t <= FPS_WINDOW_SECONDS]
        if len(recent) < 2:
            return 0.0
        return (len(recent) - 1) / max(now - recent[0], 1e-3)
