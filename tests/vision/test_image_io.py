"""Safe decoding: every bad input becomes InvalidImage, limits are checked from the header."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import cv2
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from edge_node.vision.errors import ImageTooLarge, InvalidImage
from edge_node.vision.image_io import ImageLimits, decode_image, probe_size


@pytest.fixture(scope="module")
def jpeg(data_dir: Path) -> bytes:
    return (data_dir / "faces" / "Bill_Gates" / "Bill_Gates_0001.jpg").read_bytes()


def _png_chunk(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))


def _png_header_only(width: int, height: int) -> bytes:
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", ihdr) + _png_chunk(b"IDAT", zlib.compress(b"\0" * 64))


def test_decodes_real_jpeg_to_bgr(jpeg: bytes) -> None:
    img = decode_image(jpeg)
    assert img.shape == (250, 250, 3) and img.dtype == np.uint8
    assert probe_size(jpeg) == (250, 250)


def test_png_and_grayscale_are_accepted(jpeg: bytes) -> None:
    bgr = decode_image(jpeg)
    grey = cv2.cvtColor(bgr, cv2.COLOR_BGR2GRAY)
    for encoded in (cv2.imencode(".png", bgr)[1], cv2.imencode(".png", grey)[1], cv2.imencode(".jpg", grey)[1]):
        out = decode_image(encoded.tobytes())
        assert out.shape == (250, 250, 3)
    rgba = cv2.cvtColor(bgr, cv2.COLOR_BGR2BGRA)
    assert decode_image(cv2.imencode(".png", rgba)[1].tobytes()).shape == (250, 250, 3)


@pytest.mark.parametrize(
    ("data", "needle"),
    [
        (b"", "0 bytes"),
        (b"hello world, not an image", "not a JPEG or PNG"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "truncated"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "truncated"),
    ],
)
def test_bad_inputs_have_actionable_messages(data: bytes, needle: str) -> None:
    with pytest.raises(InvalidImage, match=needle):
        decode_image(data)


def test_truncated_jpeg_is_refused(jpeg: bytes) -> None:
    with pytest.raises(InvalidImage, match="truncated"):
        decode_image(jpeg[: len(jpeg) // 2])


def test_byte_limit(jpeg: bytes) -> None:
    with pytest.raises(ImageTooLarge, match="bytes"):
        decode_image(jpeg, ImageLimits(max_bytes=len(jpeg) - 1))


def test_png_bomb_refused_from_header() -> None:
    bomb = _png_header_only(10000, 10000)
    assert probe_size(bomb) == (10000, 10000)
    with pytest.raises(ImageTooLarge, match="10000x10000"):
        decode_image(bomb)


def test_jpeg_bomb_refused_from_sof(jpeg: bytes) -> None:
    # Rewrite the SOF0 height/width fields of a real JPEG to 10000x10000.
    sof = jpeg.index(b"\xff\xc0")
    forged = jpeg[: sof + 5] + struct.pack(">HH", 10000, 10000) + jpeg[sof + 9 :]
    with pytest.raises(ImageTooLarge, match="10000x10000"):
        decode_image(forged)


def test_pixel_limit_uses_config(jpeg: bytes) -> None:
    with pytest.raises(ImageTooLarge):
        decode_image(jpeg, ImageLimits(max_pixels=250 * 250 - 1))


@settings(max_examples=150, deadline=None)
@given(cut=st.integers(min_value=0, max_value=20000), flips=st.lists(st.integers(0, 20000), max_size=8))
def test_mutated_jpeg_never_crashes(jpeg: bytes, cut: int, flips: list[int]) -> None:
    data = bytearray(jpeg[: cut or None])
    for pos in flips:
        if data:
            data[pos % len(data)] ^= 0xA5
    try:
        img = decode_image(bytes(data))
    except InvalidImage:
        return
    assert img.ndim == 3 and img.shape[2] == 3


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=512))
def test_random_bytes_never_crash(data: bytes) -> None:
    for prefix in (b"", b"\xff\xd8", b"\x89PNG\r\n\x1a\n"):
        try:
            decode_image(prefix + data)
        except InvalidImage:
            pass
