"""Whether a package registry the install tests download from can be reached from this machine."""
from __future__ import annotations

import socket
from urllib.parse import urlsplit


def unreachable(url: str, timeout: float = 5.0) -> str:
    """Why a TCP connection to the URL's host and port fails (name lookup included), or '' when it succeeds."""
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        with socket.create_connection((parts.hostname or "", port), timeout=timeout):
            return ""
    except OSError as exc:
        return f"{parts.hostname}:{port}: {exc}"
