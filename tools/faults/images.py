"""Hostile and ordinary images for fuzzing: real photos, truncated files, lying headers and decompression bombs."""
from __future__ import annotations

import random
import struct
import zlib
from functools import lru_cache

import cv2
import numpy as np

_SOF = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}


def small_jpeg(width: int = 64, height: int = 48) -> bytes:
    noise = np.random.default_rng(0).integers(0, 255, (height, width, 3), dtype=np.uint8)
    return cv2.imencode(".jpg", noise)[1].tobytes()


def with_jpeg_size(jpeg: bytes, width: int, height: int) -> bytes:
    """`jpeg` with its frame header patched to claim width x height (the pixel data is unchanged)."""
    pos = 2
    while pos + 4 <= len(jpeg):
        marker, length = jpeg[pos + 1], struct.unpack(">H", jpeg[pos + 2:pos + 4])[0]
        if marker in _SOF:
            return jpeg[:pos + 5] + struct.pack(">HH", height, width) + jpeg[pos + 9:]
        pos += 2 + length
    raise ValueError("no JPEG frame header found")


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


@lru_cache(maxsize=4)
def png_bomb(width: int = 10_000, height: int = 10_000) -> bytes:
    """A valid greyscale PNG of width x height black pixels: a few hundred KiB that inflate to width*height bytes."""
    row = b"\x00" * (width + 1)
    packer = zlib.compressobj(9)
    idat = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", header) + _png_chunk(b"IDAT", idat) + _png_chunk(b"IEND", b"")


def corpus(photos: list[bytes], seed: int = 0) -> list[bytes]:
    """Images for fuzzed bytes fields: real photos (whole and truncated), a 10000x10000 header, a PNG bomb,
    a JPEG that is only a header, random bytes after a JPEG start marker, and empty."""
    rng = random.Random(seed)
    base = photos[0] if photos else small_jpeg()
    return [*photos[:3], small_jpeg(), base[: len(base) // 2], base[:200], with_jpeg_size(base, 10_000, 10_000),
            with_jpeg_size(base, 0, 0), png_bomb(), b"\xff\xd8\xff\xd9", b"\xff\xd8" + rng.randbytes(2000),
            b"\x89PNG\r\n\x1a\n" + rng.randbytes(64), b""]
