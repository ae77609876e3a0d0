"""Frames in flight: the JPEG completeness check and the latest-frame-wins slot a camera worker reads."""
from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime

from edge_node.common.errors import InvalidArgument
from edge_node.vision.errors import InvalidImage
from edge_node.vision.image_io import probe_size


@dataclass(frozen=True)
class Frame:
    jpeg: bytes
    received: float  # time.monotonic() at arrival
    captured_at: datetime
    width: int
    height: int
    high_quality: bool = False
    command_id: int = 0


def jpeg_size(jpeg: bytes) -> tuple[int, int]:
    """(width, height) of a complete JPEG (SOI, a frame header, EOI), else InvalidArgument."""
    if not jpeg.startswith(b"\xff\xd8"):
        raise InvalidArgument("frame is not a JPEG (no SOI marker FFD8)")
    if not jpeg.rstrip(b"\x00").endswith(b"\xff\xd9"):
        raise InvalidArgument("JPEG is truncated (no EOI marker FFD9); send complete frames")
    try:
        width, height = probe_size(jpeg)
    except InvalidImage as exc:
        raise InvalidArgument(str(exc)) from None
    if width == 0 or height == 0:
        raise InvalidArgument(f"JPEG declares {width}x{height} pixels")
    return width, height


class FrameSlot:
    """Holds at most one stream frame and one HQ frame; a newer frame replaces (drops) an unread one."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._stream: Frame | None = None
        self._hq: Frame | None = None
        self.dropped = 0

    def put(self, frame: Frame) -> None:
        with self._cond:
            if frame.high_quality:
                self._hq = frame
            else:
                if self._stream is not None:
                    self.dropped += 1
                self._stream = frame
            self._cond.notify()

    def take(self, timeout: float) -> Frame | None:
        """The HQ frame if one waits, else the latest stream frame; None after `timeout` seconds."""
        with self._cond:
            if self._hq is None and self._stream is None:
                self._cond.wait(timeout)
            frame, self._hq = self._hq, None
            if frame is None:
                frame, self._stream = self._stream, None
            return frame

    def wake(self) -> None:
        with self._cond:
            self._cond.notify_all()
