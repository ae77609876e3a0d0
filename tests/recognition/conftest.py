"""Helpers to read the shared photos (the recognition_node fixture is in tests/conftest.py)."""
from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def faces(shared_dir: Path):
    """faces(identity, i) -> bytes of the i-th photo of that identity (sorted)."""
    def read(identity: str, index: int = 0, folder: str = "faces") -> bytes:
        return sorted((shared_dir / "data" / folder / identity).glob("*.jpg"))[index].read_bytes()
    return read
