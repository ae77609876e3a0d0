"""Pairing exchanges in progress, per camera: the camera commits to its X25519 public key, the box answers
with its own, the camera reveals its key and both derive the pairing code and the link key
(common/link_pairing.py). Held in memory only: after a restart of the box a camera pairs anew.

Bounded per source like the session offers: MAX_PER_ADDRESS exchanges per camera and source address,
MAX_PER_CAMERA per camera (the oldest goes first), so a flood of Hellos costs the box a fixed amount of memory."""
from __future__ import annotations

import hmac
from collections import OrderedDict
from dataclasses import dataclass, field

from edge_node.common.errors import InvalidArgument
from edge_node.common.link_pairing import KeyPair, commitment, pairing_code

MAX_PER_CAMERA = 8
MAX_PER_ADDRESS = 2


@dataclass
class Exchange:
    commitment: bytes
    address: str
    keys: KeyPair = field(default_factory=KeyPair)
    code: str = ""  # set once the camera revealed a public key matching its commitment
    link_key: bytes = b""


class PairingExchanges:
    """Not thread-safe: the registry calls it under its lock."""

    def __init__(self) -> None:
        self._exchanges: dict[str, OrderedDict[bytes, Exchange]] = {}

    def exchange(self, camera_id: str, committed: bytes, address: str) -> tuple[Exchange, bool]:
        """The exchange for this commitment, and whether it was started now."""
        table = self._exchanges.setdefault(camera_id, OrderedDict())
        found = table.get(committed)
        if found is not None:
            return found, False
        same_source = [c for c, e in table.items() if e.address == address]
        if len(same_source) >= MAX_PER_ADDRESS:
            del table[same_source[0]]
        elif len(table) >= MAX_PER_CAMERA:
            table.popitem(last=False)
        table[committed] = Exchange(committed, address)
        return table[committed], True

    @staticmethod
    def reveal(exchange: Exchange, camera_public: bytes) -> None:
        """Complete the exchange with the camera's public key, which must match its commitment."""
        if exchange.code:
            return
        if not hmac.compare_digest(commitment(camera_public), exchange.commitment):
            raise InvalidArgument("pairing_public_key does not hash to pairing_commitment; start the pairing anew "
                                  "with a fresh key pair")
        box_public = exchange.keys.public
        try:
            exchange.link_key = exchange.keys.link_key(camera_public, camera_public, box_public)
        except ValueError as exc:  # a low-order point: no shared secret
            raise InvalidArgument(f"pairing_public_key is not a usable X25519 key ({exc})") from exc
        exchange.code = pairing_code(camera_public, box_public)

    def find(self, camera_id: str, code: str) -> Exchange | None:
        """The completed exchange of this camera with this pairing code."""
        return next((e for e in self._exchanges.get(camera_id, {}).values() if e.code == code), None)

    def end(self, camera_id: str) -> None:
        self._exchanges.pop(camera_id, None)
