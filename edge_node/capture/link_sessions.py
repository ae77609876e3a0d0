"""Frame sessions of paired push cameras: every signed Hello offers a fresh session, the first frame signed
with its key makes it the camera's session, and each frame must carry a MAC and a sequence above the last one.

Offers are bounded per source: at most MAX_OFFERED_PER_ADDRESS per camera and source address, and
MAX_OFFERED per camera, where a full table drops the oldest offer made to an address other than the one
the camera's last session came from (kept across restarts by the registry), so Hellos from elsewhere (a
replayed signed Hello, say) never evict the paired camera's own offer.

Sessions live in memory only: after a restart of the box every frame is refused until the camera's next
Hello, so a frame recorded before the restart cannot be replayed after it."""
from __future__ import annotations

import hmac
import os
import threading
from collections import OrderedDict
from dataclasses import dataclass

from edge_node.capture.protocol_errors import Unauthenticated
from edge_node.common.frame_mac import MAC_BYTES, SESSION_ID_BYTES, frame_mac, session_key

# Sessions offered to one camera and not yet used.
MAX_OFFERED = 4
# ... of which to one source address (its oldest is dropped first).
MAX_OFFERED_PER_ADDRESS = 2


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
    address: str
    last_sequence: int = 0


@dataclass(frozen=True)
class Verified:
    """A frame that passed: whether it started its session, the address its session was offered to, and the
    session key that signs the reply."""
    started: bool
    address: str
    key: bytes


class LinkSessions:
    """Thread-safe table of offered and current sessions per camera."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._offered: dict[str, OrderedDict[bytes, _Session]] = {}
        self._current: dict[str, tuple[bytes, _Session]] = {}

    def offer(self, camera_id: str, link_key: bytes, address: str, trusted_address: str) -> bytes:
        """A new session id for this camera, asked for from `address`; the current session goes on. Offers to
        `trusted_address` (where the camera's last session came from) are dropped only by newer ones to it."""
        session_id = os.urandom(SESSION_ID_BYTES)
        with self._lock:
            offered = self._offered.setdefault(camera_id, OrderedDict())
            same_source = [sid for sid, s in offered.items() if s.address == address]
            if len(same_source) >= MAX_OFFERED_PER_ADDRESS:
                del offered[same_source[0]]
            elif len(offered) >= MAX_OFFERED:
                del offered[next(sid for sid, s in offered.items() if s.address != trusted_address)]
            offered[session_id] = _Session(session_key(link_key, session_id), address)
        return session_id

    def verify(self, frame: SignedFrame) -> Verified:
        """Check the frame's MAC and sequence. Raises Unauthenticated."""
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
            return Verified(started, session.address, session.key)

    def end(self, camera_id: str) -> None:
        """Forget every session of this camera (its link key changed or it was removed)."""
        with self._lock:
            self._offered.pop(camera_id, None)
            self._current.pop(camera_id, None)
