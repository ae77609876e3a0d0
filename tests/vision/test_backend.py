"""Backend selection errors are explicit (no silent fallback)."""

from __future__ import annotations

from pathlib import Path

import pytest

from edge_node.vision.backend import BackendConfig, make_backend
from edge_node.vision.errors import BackendUnavailable


def test_unknown_backend_and_provider(models_dir: Path) -> None:
    with pytest.raises(BackendUnavailable, match="unknown inference backend"):
        make_backend("tensorflow", BackendConfig())
    ort = make_backend("onnxruntime", BackendConfig(providers=("NoSuchExecutionProvider",)))
    with pytest.raises(BackendUnavailable, match="NoSuchExecutionProvider"):
        ort.load(models_dir / "yunet_s_dynamic.onnx")


def test_litert_refuses_clearly(models_dir: Path) -> None:
    # Without ai-edge-litert: "not installed"; with it: an ONNX file is refused as not .tflite.
    with pytest.raises(BackendUnavailable, match="ai-edge-litert|tflite"):
        make_backend("litert", BackendConfig()).load(models_dir / "yunet_s_dynamic.onnx")
