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
from edge_node.vision.backend import BackendConfig, litert_installed

# Every pipeline test runs on both runtimes. YuNet stays on ONNX Runtime under "litert": its
# conversions have fixed inputs, and the detector tests compare the dynamic canvas with OpenCV
# (tests/vision/test_backend.py checks the LiteRT YuNet and a pipeline all on LiteRT).
BACKEND_CONFIGS = {
    "onnxruntime": VisionConfig(),
    "litert": VisionConfig(runtime=BackendConfig(recognizer="litert", liveness="litert")),
}


@pytest.fixture(scope="session")
def models_dir(shared_dir: Path) -> Path:
    """The shared models directory, verified against the manifest (sha256)."""
    path = shared_dir / "models"
    require(path, ["yunet_dynamic", "yunet_2023mar", "sface_int8bq", "reid0095", "minifasnet_v2", "minifasnet_v1se"])
    return path


@pytest.fixture(scope="session")
def data_dir(shared_dir: Path) -> Path:
    return shared_dir / "data"


@pytest.fixture(scope="session", params=sorted(BACKEND_CONFIGS))
def pipeline(request: pytest.FixtureRequest, models_dir: Path) -> FacePipeline:
    """One loaded pipeline per backend for the session; tests must leave its gallery empty."""
    if request.param == "litert" and not litert_installed():
        pytest.skip("LiteRT backend not tested: the 'litert' extra (ai-edge-litert) is not installed")
    return FacePipeline.from_models_dir(models_dir, BACKEND_CONFIGS[request.param])


@pytest.fixture
def empty_gallery_pipeline(pipeline: FacePipeline):
    """The session pipeline with its gallery emptied again after the test."""
    yield pipeline
    pipeline.gallery.clear()


def read(path: Path) -> np.ndarray:
    image = cv2.imread(str(path))
    assert image is not None, path
    return image
