"""The camera link's per-frame MAC (capture.proto, PushFrameRequest.mac), shared by the box and the
simulated camera; the firmware computes the same bytes in `firmware/lib/edge_core/src/frame_mac.cpp`."""
from __future__ import annotations

import hashlib
import hmac
import struct

LINK_KEY_BYTES = 32
SESSION_ID_BYTES = 8
MAC_BYTES = 32
_SESSION_LABEL = b"edge-session-v1\x00"
_FRAME_LABEL = b"edge-frame-v1\x00"


def session_key(link_key: bytes, session_id: bytes) -> bytes:
    """The key of one session: HMAC-SHA256(link_key, label || session_id)."""
    return hmac.new(link_key, _SESSION_LABEL + session_id, hashlib.sha256).digest()


def frame_mac(key: bytes, camera_id: str, sequence: int, captured_at_ms: int, frame_size: int,
              high_quality: bool, command_id: int, jpeg: bytes) -> bytes:
    """HMAC-SHA256 over the frame's fields in a fixed big-endian layout, then the JPEG."""
    name = camera_id.encode()
    mac = hmac.new(key, _FRAME_LABEL + bytes([len(name)]) + name, hashlib.sha256)
    mac.update(struct.pack(">IQIBII", sequence, captured_at_ms, frame_size, int(high_quality), command_id,
                           len(jpeg)))
    mac.update(jpeg)
    return mac.digest()
