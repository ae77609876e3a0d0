"""On-disk cache of per-image pipeline observations for the accuracy benchmark.

Embedding thousands of images is the slow part of a benchmark run; the cache keys each entry
by the image's content, the camera condition, the models and a version of this tooling, so a
rerun only computes what changed. It lives outside the repository (default
``~/.cache/edge-node-bench``, or ``$EDGE_BENCH_CACHE``).
"""

from __future__ import annotations

import hashlib
import os
import pickle
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

# Bump when the transforms or what an observation holds change.
VERSION = "1"

T = TypeVar("T")


def default_root() -> Path:
    return Path(os.environ.get("EDGE_BENCH_CACHE", Path.home() / ".cache" / "edge-node-bench"))


class ObservationCache:
    """``get(image_bytes, condition, compute)`` returns the cached value or stores ``compute()``."""

    def __init__(self, root: Path, model_tag: str) -> None:
        self.root = root
        self._tag = model_tag
        self.hits = 0
        self.misses = 0

    def _path(self, image: bytes, condition: str) -> Path:
        key = hashlib.sha256(image).hexdigest()[:32]
        name = hashlib.sha256(f"{VERSION}|{self._tag}|{condition}|{key}".encode()).hexdigest()[:32]
        return self.root / name[:2] / f"{name}.pkl"

    def get(self, image: bytes, condition: str, compute: Callable[[], T]) -> T:
        path = self._path(image, condition)
        if path.exists():
            self.hits += 1
            with path.open("rb") as fh:
                return pickle.load(fh)
        self.misses += 1
        value = compute()
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")  # runs side by side may compute the same entry
        with tmp.open("wb") as fh:
            pickle.dump(value, fh)
        tmp.replace(path)
        return value
