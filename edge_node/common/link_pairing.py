"""The camera link's pairing exchange (capture.proto, HelloRequest.pairing_*, HelloResponse.box_public_key):
X25519 between a camera's and the box's one-pairing keys, a commitment to the camera's key sent first, a
short code both ends derive from the two public keys, and the link key derived from the shared secret. The
firmware computes the same in `firmware/lib/edge_core/src/pairing.cpp`."""
from __future__ import annotations

import base64
import hashlib
import hmac

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

PUBLIC_KEY_BYTES = 32
_CODE_LABEL = b"edge-pair-v1\x00"
_LINK_LABEL = b"edge-link-v1\x00"


class KeyPair:
    """A fresh X25519 key pair for one pairing (`private`: a given key, for known-answer tests)."""

    def __init__(self, private: bytes | None = None) -> None:
        self._private = X25519PrivateKey.from_private_bytes(private) if private else X25519PrivateKey.generate()
        self.public = self._private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)

    def link_key(self, peer_public: bytes, camera_public: bytes, box_public: bytes) -> bytes:
        """The link key: HMAC-SHA256(X25519 shared secret, label || camera public || box public)."""
        shared = self._private.exchange(X25519PublicKey.from_public_bytes(peer_public))
        return hmac.new(shared, _LINK_LABEL + camera_public + box_public, hashlib.sha256).digest()


def commitment(camera_public: bytes) -> bytes:
    """What the camera sends before it knows the box's key: SHA-256 of its public key."""
    return hashlib.sha256(camera_public).digest()


def pairing_code(camera_public: bytes, box_public: bytes) -> str:
    """The code both ends show for this exchange, e.g. 'K3QF-7ZPA' (40 bits)."""
    code = base64.b32encode(hashlib.sha256(_CODE_LABEL + camera_public + box_public).digest()[:5]).decode()
    return f"{code[:4]}-{code[4:]}"
