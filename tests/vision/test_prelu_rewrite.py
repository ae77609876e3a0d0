"""The load-time PRelu rewrite gives ONNX Runtime outputs equal bit for bit to the original graph's."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import onnxruntime as ort
import pytest

from edge_node.modelstore import onnx_wire as wire
from edge_node.modelstore.manifest import DEFAULT_MANIFEST, load_manifest
from edge_node.vision.backend import OrtBackend
from edge_node.vision.prelu_rewrite import rewrite_prelu

from .conftest import read

# Model -> the ops its PRelus become (scalar slopes: LeakyRelu; per-channel: Relu, Sub, Mul, Add).
REWRITTEN = {"reid0095": {"LeakyRelu"}, "sface_int8bq": {"Relu", "Sub", "Mul", "Add"},
             "minifasnet_v2": {"Relu", "Sub", "Mul", "Add"}, "minifasnet_v1se": {"Relu", "Sub", "Mul", "Add"}}


def _graph(model: bytes) -> bytes:
    return next(model[f.payload:f.end] for f in wire.fields(model) if f.number == wire.MODEL_GRAPH)


def _op_types(model: bytes) -> list[str]:
    graph = _graph(model)
    return [wire.string(graph[f.payload:f.end], wire.NODE_OP_TYPE)
            for f in wire.fields(graph) if f.number == wire.GRAPH_NODE]


def _unread_initializers(model: bytes) -> set[str]:
    graph = _graph(model)
    read = {name for f in wire.fields(graph) if f.number == wire.GRAPH_NODE
            for name in wire.strings(graph[f.payload:f.end], wire.NODE_INPUT)}
    stored = {wire.string(graph[f.payload:f.end], wire.TENSOR_NAME)
              for f in wire.fields(graph) if f.number == wire.GRAPH_INITIALIZER}
    return stored - read


def _session(model: bytes) -> ort.InferenceSession:
    return ort.InferenceSession(model, sess_options=OrtBackend().session_options(), providers=["CPUExecutionProvider"])


def _inputs(data_dir: Path, shape: list[int]) -> list[np.ndarray]:
    """Face photos resized to the model's input (real pixels: both signs reach every activation)."""
    height, width = shape[2], shape[3]
    photos = sorted((data_dir / "faces").glob("*/*.jpg"))[::9][:24]
    return [np.ascontiguousarray(cv2.resize(read(p), (width, height)).transpose(2, 0, 1)[None], dtype=np.float32)
            for p in photos]


@pytest.mark.parametrize("name", sorted(REWRITTEN))
def test_rewritten_graph_gives_the_same_outputs(name: str, models_dir: Path, data_dir: Path) -> None:
    entry = load_manifest(DEFAULT_MANIFEST).get(name)
    original = (models_dir / entry.file).read_bytes()
    rewritten = rewrite_prelu(original)
    before, after = _op_types(original), _op_types(rewritten)
    assert "PRelu" in before and "PRelu" not in after
    assert set(after) - set(before) == REWRITTEN[name] - set(before)
    assert len([op for op in after if op in REWRITTEN[name]]) >= before.count("PRelu")
    assert _unread_initializers(rewritten) <= _unread_initializers(original)
    plain, fast = _session(original), _session(rewritten)
    feed = plain.get_inputs()[0].name
    for x in _inputs(data_dir, entry.input_shape):
        for want, got in zip(plain.run(None, {feed: x}), fast.run(None, {feed: x}), strict=True):
            assert np.array_equal(want, got)


def test_graph_without_prelu_is_unchanged(models_dir: Path) -> None:
    detector = (models_dir / load_manifest(DEFAULT_MANIFEST).get("yunet_dynamic").file).read_bytes()
    assert rewrite_prelu(detector) == detector

