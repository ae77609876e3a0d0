"""Backend selection (explicit errors, per-model choice) and the LiteRT adapter against ONNX Runtime."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import cv2
import numpy as np
import pytest

from edge_node.vision.detector_pool import DetectorPool
from edge_node.config import RecognitionConfig
from edge_node.common.errors import InvalidArgument
from edge_node.modelstore import ModelsUnavailable, load_manifest
from edge_node.recognition.factory import vision_config
from edge_node.vision import Decision, FacePipeline
from edge_node.vision.backend import (
    BackendConfig,
    LiteRtSession,
    OrtSession,
    litert_installed,
    make_backend,
)
from edge_node.vision.detector import DetectorConfig, YuNetDetector
from edge_node.vision.errors import BackendUnavailable

from .conftest import read

needs_litert = pytest.mark.skipif(not litert_installed(),
                                  reason="the 'litert' extra (ai-edge-litert) is not installed")


def _path(models_dir: Path, name: str) -> Path:
    return models_dir / load_manifest().get(name).file


def test_unknown_backend_and_provider(models_dir: Path) -> None:
    with pytest.raises(BackendUnavailable, match="unknown inference backend"):
        make_backend("tensorflow", BackendConfig())
    with pytest.raises(BackendUnavailable, match="unknown inference backend 'tflite' for recognizer"):
        make_backend("onnxruntime", BackendConfig(recognizer="tflite"))
    ort = make_backend("onnxruntime", BackendConfig(providers=("NoSuchExecutionProvider",)))
    with pytest.raises(BackendUnavailable, match="NoSuchExecutionProvider"):
        ort.load(models_dir / "yunet_s_dynamic.onnx")


def test_config_keys_are_typed_and_checked() -> None:
    with pytest.raises(InvalidArgument, match="recognition.embedder_backend must be one of"):
        RecognitionConfig(embedder_backend="tensorflow").validate()
    settings = vision_config(RecognitionConfig(detector_backend="litert", embedder_backend="onnxruntime"))
    assert (settings.runtime.detector, settings.runtime.recognizer, settings.runtime.liveness) == \
        ("litert", "onnxruntime", "auto")
    assert settings.detector_model == "yunet_2023mar"  # the LiteRT YuNet has a fixed input
    assert vision_config(RecognitionConfig()).detector_model == "yunet_dynamic"


def test_litert_without_the_extra_names_it(models_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "ai_edge_litert.interpreter", None)  # as if not installed
    with pytest.raises(BackendUnavailable, match=r"edge-node\[litert\]"):
        make_backend("litert", BackendConfig()).load(_path(models_dir, "sface_int8bq"))
    assert make_backend("auto", BackendConfig()).runtime_for(_path(models_dir, "sface_int8bq")) == "onnxruntime"


@needs_litert
def test_litert_refuses_models_without_conversion(models_dir: Path, tmp_path: Path) -> None:
    with pytest.raises(BackendUnavailable, match="no conversion.*yunet_2023mar"):
        make_backend("litert", BackendConfig()).load(_path(models_dir, "yunet_dynamic"))
    # The ONNX file is present but its conversion is not: a clear error, not a fallback.
    onnx_only = tmp_path / _path(models_dir, "sface_int8bq").relative_to(models_dir)
    onnx_only.parent.mkdir(parents=True)
    shutil.copyfile(_path(models_dir, "sface_int8bq"), onnx_only)
    with pytest.raises(BackendUnavailable, match="(?s)LiteRT model for sface_int8bq.*missing"):
        make_backend("litert", BackendConfig()).load(onnx_only)
    # auto falls back to ONNX Runtime there, as documented.
    assert make_backend("auto", BackendConfig()).runtime_for(onnx_only) == "onnxruntime"


@needs_litert
def test_per_model_choice_and_auto(models_dir: Path) -> None:
    mixed = make_backend("onnxruntime", BackendConfig(recognizer="litert"))
    assert isinstance(mixed.load(_path(models_dir, "sface_int8bq")), LiteRtSession)
    assert isinstance(mixed.load(_path(models_dir, "minifasnet_v2")), OrtSession)
    auto = make_backend("auto", BackendConfig())
    runtimes = {n: auto.runtime_for(_path(models_dir, n))
                for n in ("yunet_dynamic", "sface_int8bq", "minifasnet_v2", "minifasnet_v1se")}
    assert runtimes == {"yunet_dynamic": "onnxruntime", "sface_int8bq": "litert",
                        "minifasnet_v2": "litert", "minifasnet_v1se": "litert"}
    gpu = make_backend("auto", BackendConfig(providers=("CUDAExecutionProvider", "CPUExecutionProvider")))
    assert gpu.runtime_for(_path(models_dir, "sface_int8bq")) == "onnxruntime"


@needs_litert
@pytest.mark.parametrize("name", ["yunet_2023mar", "yunet_320", "sface_int8bq", "minifasnet_v2", "minifasnet_v1se"])
def test_litert_session_is_a_drop_in_for_ort(models_dir: Path, name: str) -> None:
    """Same NCHW feed, same output names, order and shapes, same values (within float noise)."""
    ort = make_backend("onnxruntime", BackendConfig()).load(_path(models_dir, name))
    lite = make_backend("litert", BackendConfig()).load(_path(models_dir, name))
    assert isinstance(lite, LiteRtSession)
    assert lite.input_names == ort.input_names and lite.output_names == ort.output_names
    shape = tuple(load_manifest().get(name).input_shape)
    feed = {ort.input_names[0]: np.random.default_rng(7).uniform(0, 255, shape).astype(np.float32)}
    for a, b in zip(ort.run(feed), lite.run(feed)):
        assert a.shape == b.shape
        assert np.abs(a - b).max() <= 1e-3 * max(1.0, float(np.abs(a).max()))
    with pytest.raises(ValueError, match="NHWC"):
        lite.run({lite.input_names[0]: np.zeros((1, 3, 16, 16), np.float32)})


@needs_litert
def test_litert_yunet_detects_as_ort_on_the_same_canvas(models_dir: Path, data_dir: Path) -> None:
    config = DetectorConfig()
    ort = YuNetDetector(make_backend("onnxruntime", BackendConfig()).load(_path(models_dir, "yunet_2023mar")),
                        config, fixed_size=(640, 640))
    lite = YuNetDetector(make_backend("litert", BackendConfig()).load(_path(models_dir, "yunet_2023mar")),
                         config, fixed_size=(640, 640))
    images = [data_dir / "misc" / "astronaut.png", *sorted((data_dir / "spoof").glob("*/*.jpg"))[:4],
              *sorted((data_dir / "noface").iterdir())[:2]]
    found = 0
    for path in images:
        a, b = ort.detect(read(path)), lite.detect(read(path))
        assert len(a) == len(b), path
        for x, y in zip(a, b):
            assert np.abs(x.as_row() - y.as_row()).max() <= 0.01, path
        found += len(a)
    assert found >= 4


@needs_litert
def test_pipeline_entirely_on_litert(models_dir: Path, data_dir: Path) -> None:
    config = vision_config(RecognitionConfig(detector_backend="litert", embedder_backend="litert",
                                             liveness_backend="litert"))
    pipe = FacePipeline.from_models_dir(models_dir, config)
    assert all(isinstance(s, LiteRtSession) for s in (pipe.detector._session, pipe.embedder._session))
    enrol = pipe.prepare_enrollment((data_dir / "faces/Bill_Gates/Bill_Gates_0001.jpg").read_bytes())
    assert enrol.accepted and enrol.embedding is not None
    pipe.gallery.add("tpl-1", "bill", enrol.embedding)
    match = pipe.recognize((data_dir / "faces/Bill_Gates/Bill_Gates_0003.jpg").read_bytes())
    assert match.decision is Decision.MATCH and match.faces[0].matches[0].person_id == "bill"
    assert pipe.recognize((data_dir / "faces_singletons/Tara_Reid/Tara_Reid_0001.jpg").read_bytes()).decision \
        is Decision.UNKNOWN
    assert pipe.recognize((data_dir / "spoof/fake/sf_print_03.jpg").read_bytes()).decision is Decision.SPOOF


@needs_litert
def test_stream_detector_pool_follows_the_detector_choice(models_dir: Path, data_dir: Path) -> None:
    frame = read(data_dir / "spoof" / "real" / "sf_real_01.jpg")
    scale = 320 / max(frame.shape[:2])
    qvga = cv2.resize(frame, (round(frame.shape[1] * scale), round(frame.shape[0] * scale)))
    ort = DetectorPool(models_dir, 1, BackendConfig())
    lite = DetectorPool(models_dir, 1, BackendConfig(detector="litert"))
    assert (ort.runtime, lite.runtime) == ("onnxruntime", "litert")
    a, b = ort.detect(qvga), lite.detect(qvga)
    assert len(a) == len(b) == 1
    assert abs(a[0].box.x - b[0].box.x) + abs(a[0].box.width - b[0].box.width) <= 4.0


def test_stream_detector_pool_without_its_runtime_fails_closed(models_dir: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "ai_edge_litert.interpreter", None)  # as if not installed
    with pytest.raises(ModelsUnavailable, match=r"stream detector: .*edge-node\[litert\]"):
        DetectorPool(models_dir, 1, BackendConfig(detector="litert"))


def _resident_kb(path: Path) -> int:
    """This process's resident kB of its mappings of ``path`` (/proc/self/smaps)."""
    total, inside = 0, False
    for line in Path("/proc/self/smaps").read_text().splitlines():
        fields = line.split()
        if "-" in fields[0] and len(fields) >= 5 and ":" in fields[3]:  # a mapping's header line
            inside = len(fields) == 6 and fields[5] == str(path.resolve())
        elif inside and fields[0] == "Rss:":
            total += int(fields[1])
    return total


@needs_litert
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="dropping mapped pages is Linux-only")
def test_litert_drops_the_mapped_model_once_packed_and_computes_the_same(models_dir: Path) -> None:
    """The fp32 SFace conversion's mapped pages leave the process once loaded; outputs are
    bit-identical to those computed while the pages were resident."""
    from ai_edge_litert.interpreter import Interpreter

    from edge_node.vision.backend import _litert_file

    path = _litert_file(_path(models_dir, "sface_int8bq"))
    kept = LiteRtSession(Interpreter(model_path=str(path), num_threads=1))
    assert _resident_kb(path) > 30_000  # the 37 MB file, read while XNNPACK packed its weights
    feed = {kept.input_names[0]: np.random.default_rng(3).uniform(0, 255, (1, 3, 112, 112)).astype(np.float32)}
    reference = kept.run(feed)
    lite = make_backend("litert", BackendConfig()).load(_path(models_dir, "sface_int8bq"))
    assert _resident_kb(path) < 2_000  # the process's mappings of the file dropped (both interpreters')
    for session in (lite, kept, lite):
        assert all(np.array_equal(a, b) for a, b in zip(session.run(feed), reference))
    assert _resident_kb(path) < 2_000  # running does not read the weights back
