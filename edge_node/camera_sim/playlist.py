"""The simulator's frames: each image as a QVGA stream frame and a VGA (or smaller, as is) HQ frame."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import cv2
import numpy as np

IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png")
QVGA = (320, 240)
VGA = (640, 480)


@dataclass(frozen=True)
class SimFrame:
    name: str
    stream_jpeg: bytes  # 320x240, the image letterboxed
    hq_jpeg: bytes  # the image fitted into 640x480 (never enlarged)


def _fit(image: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    height, width = image.shape[:2]
    scale = min(size[0] / width, size[1] / height, 1.0)
    if scale >= 1.0:
        return image
    return cv2.resize(image, (max(1, round(width * scale)), max(1, round(height * scale))), interpolation=cv2.INTER_AREA)


def letterbox(image: np.ndarray, size: tuple[int, int] = QVGA) -> np.ndarray:
    """The image scaled to fit `size` (up or down), centred on black."""
    height, width = image.shape[:2]
    scale = min(size[0] / width, size[1] / height)
    scaled = cv2.resize(image, (round(width * scale), round(height * scale)), interpolation=cv2.INTER_AREA)
    canvas = np.zeros((size[1], size[0], 3), np.uint8)
    y, x = (size[1] - scaled.shape[0]) // 2, (size[0] - scaled.shape[1]) // 2
    canvas[y:y + scaled.shape[0], x:x + scaled.shape[1]] = scaled
    return canvas


def encode(image: np.ndarray, quality: int = 85) -> bytes:
    ok, data = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, quality])
    if not ok:
        raise ValueError("JPEG encoding failed")
    return data.tobytes()


def load_frame(path: Path) -> SimFrame:
    data = path.read_bytes()
    image = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)
    if image is None:
        raise ValueError(f"{path}: not a readable image")
    fitted = _fit(image, VGA)
    keep_original = fitted is image and data.startswith(b"\xff\xd8")
    return SimFrame(path.name, encode(letterbox(image)), data if keep_original else encode(fitted, 92))


def blank_frame() -> SimFrame:
    """An empty scene (nobody in front of the camera)."""
    jpeg = encode(np.full((QVGA[1], QVGA[0], 3), 40, np.uint8))
    return SimFrame("(empty)", jpeg, jpeg)


def image_paths(folder: Path) -> list[Path]:
    return sorted(p for p in Path(folder).rglob("*") if p.suffix.lower() in IMAGE_SUFFIXES)


def load_playlist(paths: Sequence[Path]) -> list[SimFrame]:
    return [load_frame(p) for p in paths]
