"""Safe image decoding: bytes -> BGR ``uint8`` array, with limits checked before decoding."""

from __future__ import annotations

import struct
from dataclasses import dataclass

import cv2
import numpy as np

from edge_node.vision.errors import ImageTooLarge, InvalidImage

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_JPEG_SOI = b"\xff\xd8"
# Start-of-frame markers (baseline, progressive, lossless, arithmetic...); not DHT/JPG/DAC.
_JPEG_SOF = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}
_JPEG_STANDALONE = frozenset(range(0xD0, 0xDA)) | {0x01}


@dataclass(frozen=True)
class ImageLimits:
    """Upper bounds applied before an image is decoded."""

    max_bytes: int = 10 * 1024 * 1024
    max_pixels: int = 40_000_000


def _jpeg_size(data: bytes) -> tuple[int, int]:
    """Return (width, height) from the first JPEG SOF segment."""
    pos = 2
    n = len(data)
    while pos < n:
        if data[pos] != 0xFF:
            raise InvalidImage("JPEG is corrupt: expected a marker; re-encode the image")
        while pos < n and data[pos] == 0xFF:  # fill bytes
            pos += 1
        if pos >= n:
            break
        marker = data[pos]
        pos += 1
        if marker in _JPEG_STANDALONE:
            continue
        if marker == 0xD9 or pos + 2 > n:
            break
        (length,) = struct.unpack(">H", data[pos : pos + 2])
        if length < 2:
            raise InvalidImage("JPEG is corrupt: bad segment length; re-encode the image")
        if marker in _JPEG_SOF:
            if pos + 7 > n:
                break
            height, width = struct.unpack(">HH", data[pos + 3 : pos + 7])
            return width, height
        pos += length
    raise InvalidImage("JPEG is truncated or has no frame header; send the complete file")


def _png_size(data: bytes) -> tuple[int, int]:
    """Return (width, height) from the PNG IHDR chunk."""
    if len(data) < 24 or data[12:16] != b"IHDR":
        raise InvalidImage("PNG is truncated or has no IHDR header; send the complete file")
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def probe_size(data: bytes) -> tuple[int, int]:
    """Return (width, height) of a JPEG or PNG from its header, without decoding pixels."""
    if data.startswith(_PNG_SIGNATURE):
        return _png_size(data)
    if data.startswith(_JPEG_SOI):
        return _jpeg_size(data)
    raise InvalidImage("not a JPEG or PNG image; send a JPEG or PNG file")


def decode_image(data: bytes, limits: ImageLimits = ImageLimits()) -> np.ndarray:
    """Decode JPEG/PNG bytes into a BGR ``uint8`` array (grey/alpha converted, EXIF orientation applied).

    Raises :class:`InvalidImage` (or :class:`ImageTooLarge`) with an actionable message;
    never lets a decoder crash or allocate for a pixel count above ``limits.max_pixels``.
    """
    if not data:
        raise InvalidImage("image is empty (0 bytes); send a JPEG or PNG file")
    if len(data) > limits.max_bytes:
        raise ImageTooLarge(
            f"image is {len(data)} bytes, above the limit of {limits.max_bytes}; "
            "send a smaller JPEG (e.g. 640x480)"
        )
    data = bytes(data)
    width, height = probe_size(data)
    if width == 0 or height == 0:
        raise InvalidImage(f"image header declares {width}x{height} pixels; re-encode the image")
    if width * height > limits.max_pixels:
        raise ImageTooLarge(
            f"image is {width}x{height} = {width * height} pixels, above the limit of "
            f"{limits.max_pixels}; downscale it before sending"
        )
    if data.startswith(_JPEG_SOI) and not data.rstrip(b"\x00").endswith(b"\xff\xd9"):
        raise InvalidImage("JPEG is truncated (no end-of-image marker); send the complete file")
    buf = np.frombuffer(data, dtype=np.uint8)
    try:
        # IMREAD_COLOR: grey/alpha/16-bit become 8-bit BGR and EXIF orientation is applied.
        img = cv2.imdecode(buf, cv2.IMREAD_COLOR)
    except cv2.error as exc:
        raise InvalidImage(f"image could not be decoded ({exc.msg.strip()}); re-encode it") from exc
    if img is None:
        raise InvalidImage("image data is corrupt or truncated; re-encode the image")
    return img
