"""Reading `multipart/x-mixed-replace` MJPEG streams (ESP32 CameraWebServer `/stream`, IP cameras)."""
from __future__ import annotations

from typing import BinaryIO, Iterator

MAX_HEADER_LINE = 1024


def boundary_of(content_type: str) -> bytes | None:
    """The boundary parameter of a multipart Content-Type, else None."""
    kind, _, params = content_type.partition(";")
    if not kind.strip().lower().startswith("multipart/"):
        return None
    for param in params.split(";"):
        key, _, value = param.strip().partition("=")
        if key.strip().lower() == "boundary" and value.strip():
            return value.strip().strip('"').encode()
    return None


def iter_parts(stream: BinaryIO, boundary: bytes, max_bytes: int) -> Iterator[bytes | None]:
    """Each part's body; None for a part above `max_bytes` (skipped). Ends when the stream does."""
    marker = boundary.lstrip(b"-")

    def is_boundary(line: bytes) -> bool:
        return line.strip().lstrip(b"-").rstrip(b"-") == marker and marker in line

    at_headers = False
    while True:
        if not at_headers:
            line = stream.readline(MAX_HEADER_LINE)
            if not line:
                return
            if not is_boundary(line):
                continue
        headers: dict[str, str] = {}
        while True:
            line = stream.readline(MAX_HEADER_LINE)
            if not line:
                return
            if not line.strip():
                break
            key, _, value = line.decode("latin-1").partition(":")
            headers[key.strip().lower()] = value.strip()
        length = headers.get("content-length", "")
        if length.isdigit():
            at_headers = False
            size = int(length)
            if size > max_bytes:
                _skip(stream, size)
                yield None
                continue
            body = stream.read(size)
            if len(body) < size:
                return
            yield body
        else:
            body, at_headers = _read_until_boundary(stream, is_boundary, max_bytes)
            yield body


def _skip(stream: BinaryIO, size: int) -> None:
    while size > 0:
        chunk = stream.read(min(size, 65536))
        if not chunk:
            return
        size -= len(chunk)


def _read_until_boundary(stream: BinaryIO, is_boundary, max_bytes: int) -> tuple[bytes | None, bool]:
    """A part without Content-Length: the bytes up to the next boundary line (consumed)."""
    chunks: list[bytes] = []
    total = 0
    while True:
        line = stream.readline(65536)
        if not line:
            return None, False
        if is_boundary(line):
            body = b"".join(chunks)
            return (body[:-2] if body.endswith(b"\r\n") else body) if total <= max_bytes else None, True
        total += len(line)
        if total <= max_bytes:
            chunks.append(line)
