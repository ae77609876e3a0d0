"""The camera link's MACs (capture.proto: HelloRequest.hello_mac, HelloResponse.mac, PushFrameRequest.mac,
PushFrameResponse.mac), shared by the box and the simulated camera; the firmware computes the same bytes in
`firmware/lib/edge_core/src/frame_mac.cpp`."""
from __future__ import annotations

import hashlib
import hmac
import struct

SESSION_ID_BYTES = 8
HELLO_NONCE_BYTES = 16
MAC_BYTES = 32
_SESSION_LABEL = b"edge-session-v1\x00"
_FRAME_LABEL = b"edge-frame-v1\x00"
_HELLO_LABEL = b"edge-hello-v1\x00"
_HELLO_REPLY_LABEL = b"edge-hello-reply-v1\x00"
_FRAME_REPLY_LABEL = b"edge-frame-reply-v1\x00"
# A signed reply ends with its `mac` field (number 15, bytes): tag 0x7a, length 32, the MAC.
_MAC_FIELD = bytes([15 << 3 | 2, MAC_BYTES])


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


def hello_mac(link_key: bytes, camera_id: str, device_nonce: bytes, hello_nonce: bytes) -> bytes:
    """A Hello signed with the link key: HMAC-SHA256(key, label || u8 len || camera_id || nonces)."""
    name = camera_id.encode()
    return hmac.new(link_key, _HELLO_LABEL + bytes([len(name)]) + name + device_nonce + hello_nonce,
                    hashlib.sha256).digest()


def sign_hello_reply(link_key: bytes, hello_nonce: bytes, reply: bytes) -> bytes:
    """The serialized HelloResponse `reply` (without mac) with its mac field appended."""
    return reply + _MAC_FIELD + hmac.new(link_key, _HELLO_REPLY_LABEL + hello_nonce + reply, hashlib.sha256).digest()


def sign_frame_reply(key: bytes, sequence: int, reply: bytes) -> bytes:
    """The serialized PushFrameResponse `reply` (without mac) with its mac field appended."""
    mac = hmac.new(key, _FRAME_REPLY_LABEL + struct.pack(">I", sequence) + reply, hashlib.sha256).digest()
    return reply + _MAC_FIELD + mac


def signed_part(body: bytes) -> tuple[bytes, bytes]:
    """(the bytes a signed reply's MAC covers, the MAC); (body, b"") when it does not end with a mac field."""
    split = len(body) - len(_MAC_FIELD) - MAC_BYTES
    if split < 0 or body[split:split + len(_MAC_FIELD)] != _MAC_FIELD:
        return body, b""
    return body[:split], body[split + len(_MAC_FIELD):]


def hello_reply_valid(link_key: bytes, hello_nonce: bytes, body: bytes) -> bool:
    """True when the HelloResponse bytes `body` carry a MAC made with `link_key` for this Hello."""
    covered, mac = signed_part(body)
    return bool(mac) and hmac.compare_digest(sign_hello_reply(link_key, hello_nonce, covered), body)


def frame_reply_valid(key: bytes, sequence: int, body: bytes) -> bool:
    """True when the PushFrameResponse bytes `body` carry a MAC made with the session key for this frame."""
    covered, mac = signed_part(body)
    return bool(mac) and hmac.compare_digest(sign_frame_reply(key, sequence, covered), body)
