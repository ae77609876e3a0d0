"""Fixtures for the recognition tests: verified shared models and a session-scoped pipeline.

``shared_dir`` ($EDGE_SHARED_DIR or ../shared) comes from tests/conftest.py.
"""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from edge_node.modelstore import require
from edge_node.vision import FacePipeline, VisionConfig


@pytest.fixture(scope="session")
def models_dir(shared_dir: Path) -> Path:
    """The shared models directory, verified against the manifest (sha256)."""
    path = shared_dir / "models"
    require(path, ["yunet_dynamic", "yunet_2023mar", "sface_int8bq", "minifasnet_v2", "minifasnet_v1se"])
    return path


@pytest.fixture(scope="session")
def data_dir(shared_dir: Path) -> Path:
    return shared_dir / "data"


@pytest.fixture(scope="session")
def pipeline(models_dir: Path) -> FacePipeline:
    """One loaded pipeline for the session; tests must leave its gallery empty."""
    return FacePipeline.from_models_dir(models_dir, VisionConfig())


@pytest.fixture
def empty_gallery_pipeline(pipeline: FacePipeline):
    """The session pipeline with its gallery emptied again after the test."""
    yield pipeline
    pipeline.gallery.clear()


def read(path: Path) -> np.ndarray:
    image = cv2.imread(str(path))
    assert image is not None, path
    return image
