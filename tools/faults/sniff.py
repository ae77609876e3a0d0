"""A LAN host's packet capture: every frame crossing one interface, both directions, appended to a file (an
AF_PACKET socket, as tcpdump uses; needs root), and the HTTP messages of one TCP port read back from it."""
from __future__ import annotations

import socket
import struct
import threading
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

_ETH_P_ALL = 0x0003
_ETH_P_IP = 0x0800


@dataclass(frozen=True)
class Segment:
    src: str
    sport: int
    dst: str
    dport: int
    payload: bytes


@dataclass(frozen=True)
class HttpMessage:
    """One HTTP request or reply on a connection: its first line and its body."""
    connection: tuple[str, int]  # the client's address and port
    first_line: bytes
    body: bytes
    wire_length: int  # header and body bytes


def segment(frame: bytes) -> Segment | None:
    """The TCP segment in an Ethernet frame carrying IPv4, else None."""
    if len(frame) < 34 or struct.unpack("!H", frame[12:14])[0] != _ETH_P_IP or frame[23] != 6:
        return None
    ihl = (frame[14] & 0x0F) * 4
    total = struct.unpack("!H", frame[16:18])[0]
    tcp = 14 + ihl
    if len(frame) < tcp + 20:
        return None
    offset = (frame[tcp + 12] >> 4) * 4
    sport, dport = struct.unpack("!HH", frame[tcp:tcp + 4])
    return Segment(socket.inet_ntoa(frame[26:30]), sport, socket.inet_ntoa(frame[30:34]), dport,
                   frame[tcp + offset:14 + total])


class Sniffer:
    """Captures from start() to stop(); `on_segment` sees each TCP segment as it passes."""

    def __init__(self, interface: str, path: Path, on_segment: Callable[[Segment], None] = lambda _s: None) -> None:
        self.path = path
        self.frames = 0
        self.bytes = 0
        self._on_segment = on_segment
        self._sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(_ETH_P_ALL))
        self._sock.bind((interface, 0))
        self._sock.settimeout(0.2)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="sniffer", daemon=True)

    def start(self) -> "Sniffer":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(5)
        self._sock.close()

    def _run(self) -> None:
        with open(self.path, "ab") as out:
            while not self._stop.is_set():
                try:
                    frame = self._sock.recv(262144)
                except TimeoutError:
                    continue
                out.write(struct.pack("!I", len(frame)) + frame)
                self.frames += 1
                self.bytes += len(frame)
                found = segment(frame)
                if found is not None and found.payload:
                    self._on_segment(found)


def frames(path: Path) -> Iterator[bytes]:
    with open(path, "rb") as capture:
        while header := capture.read(4):
            yield capture.read(struct.unpack("!I", header)[0])


def http_messages(path: Path, port: int) -> tuple[list[HttpMessage], list[HttpMessage]]:
    """(requests to `port`, replies from it), each in capture order; TCP streams joined per direction (a veth
    neither loses nor reorders, so no retransmission handling)."""
    streams: dict[tuple[str, int, bool], bytearray] = defaultdict(bytearray)
    for frame in frames(path):
        found = segment(frame)
        if found is None or not found.payload or port not in (found.sport, found.dport):
            continue
        to_server = found.dport == port
        client = (found.src, found.sport) if to_server else (found.dst, found.dport)
        streams[(*client, to_server)] += found.payload
    requests: list[HttpMessage] = []
    replies: list[HttpMessage] = []
    for (host, client_port, to_server), data in streams.items():
        (requests if to_server else replies).extend(split_messages(bytes(data), (host, client_port)))
    return requests, replies


def split_messages(data: bytes, connection: tuple[str, int]) -> Iterator[HttpMessage]:
    """The complete HTTP messages at the start of one direction of a connection."""
    at = 0
    while (end := data.find(b"\r\n\r\n", at)) >= 0:
        head = data[at:end].split(b"\r\n")
        length = next((int(h.split(b":", 1)[1]) for h in head[1:] if h.lower().startswith(b"content-length:")), 0)
        body = data[end + 4:end + 4 + length]
        if len(body) < length:
            return
        yield HttpMessage(connection, head[0], body, end + 4 + length - at)
        at = end + 4 + length


def contains(path: Path, secrets: list[bytes]) -> list[bytes]:
    """The secrets found anywhere in the captured bytes (chunked, overlapping by the longest secret)."""
    overlap = max((len(s) for s in secrets), default=0)
    found: set[bytes] = set()
    tail = b""
    with open(path, "rb") as capture:
        while chunk := capture.read(16 << 20):
            window = tail + chunk
            found.update(s for s in secrets if s in window)
            tail = window[-overlap:] if overlap else b""
    return [s for s in secrets if s in found]
