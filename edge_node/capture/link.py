"""Frame sessions of paired push cameras: every Hello offers a fresh session, the first frame signed with
its key makes it the camera's session, and each frame must carry a MAC and a sequence above the last one.

Sessions live in memory only: after a restart of the box every frame is refused until the camera's next
Hello, so a frame recorded before the restart cannot be replayed after it."""
from __future__ import annotations

import hmac
import os
import threading
from collections import OrderedDict
from dataclasses import dataclass

from edge_node.capture.errors import Unauthenticated
from edge_node.common.frame_mac import MAC_BYTES, SESSION_ID_BYTES, frame_mac, session_key

# Sessions offered to one camera and not yet used; an older offer is dropped (its camera says Hello again).
MAX_OFFERED = 4


@dataclass(frozen=True)
class SignedFrame:
    camera_id: str
    session_id: bytes
    sequence: int
    captured_at_ms: int
    frame_size: int
    high_quality: bool
    command_id: int
    jpeg: bytes
    mac: bytes


@dataclass
class _Session:
    key: bytes
    last_sequence: int = 0


class LinkSessions:
    """Thread-safe table of offered and current sessions per camera."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._offered: dict[str, OrderedDict[bytes, _Session]] = {}
        self._current: dict[str, tuple[bytes, _Session]] = {}

    def offer(self, camera_id: str, link_key: bytes) -> bytes:
        """A new session id for this camera; the camera it was sent to is still using its current one."""
        session_id = os.urandom(SESSION_ID_BYTES)
        with self._lock:
            offered = self._offered.setdefault(camera_id, OrderedDict())
            offered[session_id] = _Session(session_key(link_key, session_id))
            while len(offered) > MAX_OFFERED:
                offered.popitem(last=False)
        return session_id

    def verify(self, frame: SignedFrame) -> bool:
        """Check the frame's MAC and sequence; True when it started a new session. Raises Unauthenticated."""
        cam = frame.camera_id
        with self._lock:
            current = self._current.get(cam)
            started = current is None or current[0] != frame.session_id
            session = self._offered.get(cam, {}).get(frame.session_id) if started else current[1]
            if session is None:
                raise Unauthenticated(f"camera {cam!r}: unknown or ended session (the box restarted or a newer "
                                      "session began); send Hello")
            expected = frame_mac(session.key, cam, frame.sequence, frame.captured_at_ms, frame.frame_size,
                                 frame.high_quality, frame.command_id, frame.jpeg)
            if len(frame.mac) != MAC_BYTES or not hmac.compare_digest(expected, frame.mac):
                raise Unauthenticated(f"camera {cam!r}: the frame's MAC is missing or not valid (a tampered "
                                      "frame, or a camera without this box's link key)")
            if frame.sequence <= session.last_sequence:
                raise Unauthenticated(f"camera {cam!r}: frame sequence {frame.sequence} is not above the last "
                                      f"accepted {session.last_sequence} (a replayed frame); send Hello")
            session.last_sequence = frame.sequence
            if started:
                self._offered.pop(cam, None)
                self._current[cam] = (frame.session_id, session)
            return started

    def end(self, camera_id: str) -> None:
        """Forget every session of this camera (its link key changed or it was removed)."""
        with self._lock:
            self._offered.pop(camera_id, None)
            self._current.pop(camera_id, None)
