"""Pairing exchanges in progress, per camera: the camera commits to its X25519 public key, the box answers
with its own, the camera reveals its key and both derive the pairing code and the link key
(common/link_pairing.py). Held in memory only: after a restart of the box a camera pairs anew.

Bounded per source like the session offers: MAX_PER_ADDRESS exchanges per camera and source address,
MAX_PER_CAMERA per camera and MAX_EXCHANGES in all (the oldest goes first), so a flood of Hellos, even for
invented camera ids, costs the box a fixed amount of memory; a paired camera needs no exchange."""
from __future__ import annotations

import hmac
from collections import OrderedDict
from dataclasses import dataclass, field

from edge_node.common.errors import InvalidArgument
from edge_node.common.link_pairing import KeyPair, commitment, pairing_code

MAX_PER_CAMERA = 8
MAX_PER_ADDRESS = 2
MAX_EXCHANGES = 256


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
        self._exchanges: OrderedDict[tuple[str, bytes], Exchange] = OrderedDict()

    def exchange(self, camera_id: str, committed: bytes, address: str) -> tuple[Exchange, bool]:
        """The exchange for this commitment, and whether it was started now."""
        found = self._exchanges.get((camera_id, committed))
        if found is not None:
            return found, False
        mine = [k for k in self._exchanges if k[0] == camera_id]
        same_source = [k for k in mine if self._exchanges[k].address == address]
        if len(same_source) >= MAX_PER_ADDRESS:
            del self._exchanges[same_source[0]]
        elif len(mine) >= MAX_PER_CAMERA:
            del self._exchanges[mine[0]]
        elif len(self._exchanges) >= MAX_EXCHANGES:
            self._exchanges.popitem(last=False)
        exchange = self._exchanges[(camera_id, committed)] = Exchange(committed, address)
        return exchange, True

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
        return next((e for (cam, _), e in self._exchanges.items() if cam == camera_id and e.code == code), None)

    def end(self, camera_id: str) -> None:
        for key in [k for k in self._exchanges if k[0] == camera_id]:
            del self._exchanges[key]
