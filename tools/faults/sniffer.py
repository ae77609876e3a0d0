"""A LAN host's capture: every frame on one interface, as raw bytes (an AF_PACKET socket; root needed)."""
from __future__ import annotations

import socket
import threading

ETH_P_ALL = 3


class Sniffer:
    """Captures every frame seen on `interface` from __enter__ to stop(); `captured` is their bytes joined."""

    def __init__(self, interface: str) -> None:
        self._socket = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.ntohs(ETH_P_ALL))
        self._socket.bind((interface, 0))
        self._socket.settimeout(0.1)
        self._frames: list[bytes] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="sniffer", daemon=True)

    def __enter__(self) -> "Sniffer":
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self._frames.append(self._socket.recv(65535))
            except socket.timeout:
                continue

    def stop(self) -> bytes:
        """Stop, keep what the socket still holds, and return everything captured."""
        if not self._stop.is_set():
            self._stop.set()
            self._thread.join()
            self._socket.setblocking(False)
            while True:
                try:
                    self._frames.append(self._socket.recv(65535))
                except BlockingIOError:
                    break
            self._socket.close()
        return self.captured

    @property
    def captured(self) -> bytes:
        return b"".join(self._frames)
