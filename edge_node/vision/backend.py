"""Inference backends: a small protocol, the ONNX Runtime implementation, optional LiteRT."""

from __future__ import annotations

import ctypes
import logging
import mmap
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import numpy as np

from edge_node.vision.errors import BackendUnavailable
from edge_node.vision.prelu_rewrite import rewrite_prelu

log = logging.getLogger(__name__)


ONNXRUNTIME = "onnxruntime"
LITERT = "litert"
# Per model role: the faster runtime measured on CPU (README "Inference backends"), when usable.
AUTO = "auto"
BACKEND_NAMES = (ONNXRUNTIME, LITERT, AUTO)
# LiteRT (XNNPACK) measured faster on CPU for these roles, against ONNX Runtime with its PRelus
# rewritten (scripts/bench_pipeline, 1 thread): SFace 6.9 vs 10.5 ms, MiniFASNet 0.7 vs 1.3 ms; YuNet 0.8x.
AUTO_LITERT_ROLES = frozenset({"recognizer", "liveness"})
MODEL_ROLES = ("detector", "recognizer", "liveness")
_CPU_PROVIDER = "CPUExecutionProvider"


@dataclass(frozen=True)
class BackendConfig:
    """How models are executed.

    ``providers`` are ONNX Runtime execution provider names in priority order, e.g.
    ``("TensorrtExecutionProvider", "CUDAExecutionProvider", "CPUExecutionProvider")`` on a Jetson.
    ``detector``/``recognizer``/``liveness`` choose the runtime for the models of that manifest
    role (``onnxruntime``, ``litert`` or ``auto``); None means the backend named in :func:`make_backend`.
    """

    intra_op_threads: int = 1
    providers: tuple[str, ...] = (_CPU_PROVIDER,)
    # session.disable_quant_qdq: run QDQ graphs as float with weights dequantised once at load.
    # SFace int8bq, 1 thread: 31.7 ms -> 21.4 ms per face, cosine 1.0000 to the QDQ output.
    disable_quant_qdq: bool = True
    detector: str | None = None
    recognizer: str | None = None
    liveness: str | None = None

    def choice(self, role: str) -> str | None:
        """The runtime configured for a manifest role, or None."""
        return getattr(self, role) if role in MODEL_ROLES else None


class InferenceSession(Protocol):
    """One loaded model: named float32 inputs in, outputs in declared order."""

    @property
    def input_names(self) -> tuple[str, ...]: ...

    @property
    def output_names(self) -> tuple[str, ...]: ...

    def run(self, feeds: dict[str, np.ndarray]) -> list[np.ndarray]: ...


class InferenceBackend(Protocol):
    """Creates sessions for model files."""

    def load(self, model_path: Path) -> InferenceSession: ...


class OrtSession:
    """An ``onnxruntime.InferenceSession`` behind :class:`InferenceSession`."""

    def __init__(self, session: object) -> None:
        self._session = session
        self._inputs = tuple(i.name for i in session.get_inputs())  # type: ignore[attr-defined]
        self._outputs = tuple(o.name for o in session.get_outputs())  # type: ignore[attr-defined]

    @property
    def input_names(self) -> tuple[str, ...]:
        return self._inputs

    @property
    def output_names(self) -> tuple[str, ...]:
        return self._outputs

    def run(self, feeds: dict[str, np.ndarray]) -> list[np.ndarray]:
        return self._session.run(None, feeds)  # type: ignore[attr-defined,no-any-return]


@dataclass
class OrtBackend:
    """ONNX Runtime backend configured from :class:`BackendConfig`."""

    config: BackendConfig = field(default_factory=BackendConfig)

    def session_options(self) -> object:
        import onnxruntime as ort

        opts = ort.SessionOptions()
        opts.intra_op_num_threads = self.config.intra_op_threads
        opts.inter_op_num_threads = 1
        opts.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        opts.log_severity_level = 3  # SFace's initializer-as-input warnings are harmless noise
        # Threads spin-wait by default; on a shared 2-core box that steals CPU from the rest.
        opts.add_session_config_entry("session.intra_op.allow_spinning", "0")
        # Memory patterns pre-plan one block per input shape seen; YuNet's inputs vary with the
        # frame size. Off: 13 MB less peak RSS for the node (scripts/bench_pipeline).
        opts.enable_mem_pattern = False
        if self.config.disable_quant_qdq:
            opts.add_session_config_entry("session.disable_quant_qdq", "1")
        return opts

    def load(self, model_path: Path) -> InferenceSession:
        import onnxruntime as ort

        available = set(ort.get_available_providers())
        unknown = [p for p in self.config.providers if p not in available]
        if unknown:
            raise BackendUnavailable(
                f"execution provider(s) {', '.join(unknown)} not available in this onnxruntime "
                f"build (available: {', '.join(sorted(available))}); fix the providers setting"
            )
        model = rewrite_prelu(Path(model_path).read_bytes())
        session = ort.InferenceSession(model, sess_options=self.session_options(), providers=list(self.config.providers))
        return OrtSession(session)


def _nchw_to_model(name: str, value: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """Turn an NCHW feed into the NHWC layout of a converted model's fixed input ``shape``."""
    if value.shape == shape:
        return value
    if value.ndim == 4 and value.shape == (shape[0], shape[3], shape[1], shape[2]):
        return np.ascontiguousarray(value.transpose(0, 2, 3, 1))
    raise ValueError(f"input {name!r}: got shape {value.shape}, the LiteRT model takes NHWC {shape} "
                     f"(or NCHW {(shape[0], shape[3], shape[1], shape[2])})")


class LiteRtSession:
    """A LiteRT (``ai_edge_litert``) interpreter behind :class:`InferenceSession`.

    Takes the same NCHW inputs as the ONNX model and returns its outputs in the same order and
    shapes: the converted files take NHWC and keep the ONNX tensor names and output order
    (shared/models/tflite/README.md), so only the input layout is adapted here.
    """

    def __init__(self, interpreter: object) -> None:
        self._interp = interpreter
        interpreter.allocate_tensors()  # type: ignore[attr-defined]
        inputs = interpreter.get_input_details()  # type: ignore[attr-defined]
        outputs = interpreter.get_output_details()  # type: ignore[attr-defined]
        self._in = {d["name"]: (d["index"], tuple(int(v) for v in d["shape"])) for d in inputs}
        self._out = [d["index"] for d in outputs]
        self._out_names = tuple(d["name"] for d in outputs)

    @property
    def input_names(self) -> tuple[str, ...]:
        return tuple(self._in)

    @property
    def output_names(self) -> tuple[str, ...]:
        return self._out_names

    def run(self, feeds: dict[str, np.ndarray]) -> list[np.ndarray]:
        interp = self._interp
        for name, value in feeds.items():
            index, shape = self._in[name]
            interp.set_tensor(index, _nchw_to_model(name, value, shape))  # type: ignore[attr-defined]
        interp.invoke()  # type: ignore[attr-defined]
        return [interp.get_tensor(i) for i in self._out]  # type: ignore[attr-defined]


def litert_installed() -> bool:
    """Whether the optional ``ai-edge-litert`` package can be imported."""
    try:
        import ai_edge_litert.interpreter  # noqa: F401
    except ImportError:
        return False
    return True


@dataclass
class LiteRtBackend:
    """Optional LiteRT backend running the ``.tflite`` conversions listed in the manifest.

    Requires the ``ai-edge-litert`` package (``pip install edge-node[litert]``). Given an ONNX
    model file of the manifest it loads that model's verified conversion from the same models
    directory (``converted_from`` entries), so callers keep passing the ONNX paths.
    """

    config: BackendConfig = field(default_factory=BackendConfig)

    def load(self, model_path: Path) -> InferenceSession:
        try:
            from ai_edge_litert.interpreter import Interpreter
        except ImportError as exc:
            raise BackendUnavailable(
                "LiteRT backend selected but the 'ai-edge-litert' package is not installed; "
                "install the extra with 'pip install edge-node[litert]' or select the 'onnxruntime' backend"
            ) from exc
        path = _litert_file(Path(model_path))
        session = LiteRtSession(Interpreter(model_path=str(path), num_threads=self.config.intra_op_threads))
        release_file_pages(path)
        return session


def release_file_pages(path: Path) -> None:
    """Drop this process's resident pages of its read-only mappings of ``path`` (Linux).

    LiteRT maps a model file and XNNPACK packs the weights into its own buffers when the
    interpreter allocates its tensors, so the mapped weights are not read again: fp32 SFace
    otherwise stays resident twice (37 MB more peak RSS). A page read again later is faulted
    back in from the page cache, so this is safe whatever the runtime still reads.
    """
    maps = Path("/proc/self/maps")
    if not sys.platform.startswith("linux") or not maps.exists():
        return
    target = str(Path(path).resolve())
    libc = ctypes.CDLL(None, use_errno=True)
    libc.madvise.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]
    for line in maps.read_text().splitlines():
        fields = line.split(maxsplit=5)
        if len(fields) == 6 and fields[5] == target and "w" not in fields[1]:
            start, end = (int(v, 16) for v in fields[0].split("-"))
            if libc.madvise(start, end - start, mmap.MADV_DONTNEED) != 0:
                log.debug("madvise on %s failed: errno %d", target, ctypes.get_errno())


def _litert_file(model_path: Path) -> Path:
    """``model_path`` itself if it is a ``.tflite`` file, else its verified conversion."""
    from edge_node.modelstore import ModelsUnavailable, require
    from edge_node.modelstore.manifest import DEFAULT_MANIFEST, load_manifest

    if model_path.suffix == ".tflite":
        return model_path
    manifest = load_manifest(DEFAULT_MANIFEST)
    found = manifest.by_file(model_path)
    conversion = manifest.conversion_of(found[0].name) if found else None
    if found is None or conversion is None:
        converted = sorted(m.converted_from for m in manifest.models if m.converted_from)
        raise BackendUnavailable(
            f"LiteRT needs a .tflite model and {model_path.name} has no conversion in the manifest "
            f"(converted: {', '.join(converted)}); choose one of those models or the 'onnxruntime' backend"
        )
    try:
        return require(found[1], [conversion.name], manifest)[conversion.name]
    except ModelsUnavailable as exc:
        raise BackendUnavailable(f"LiteRT model for {found[0].name} is not usable: {exc}") from exc


def _auto_runtime(role: str | None, model_path: Path, config: BackendConfig) -> str:
    """LiteRT where it was measured faster on CPU and is usable here, else ONNX Runtime."""
    if role not in AUTO_LITERT_ROLES or any(p != _CPU_PROVIDER for p in config.providers):
        return ONNXRUNTIME
    if not litert_installed():
        return ONNXRUNTIME
    try:
        _litert_file(model_path)
    except BackendUnavailable as exc:
        log.warning("auto backend: %s; running %s on ONNX Runtime", exc, model_path.name)
        return ONNXRUNTIME
    return LITERT


@dataclass
class ModelBackend:
    """Loads each model with the runtime chosen for its manifest role (see :class:`BackendConfig`)."""

    default: str
    config: BackendConfig = field(default_factory=BackendConfig)

    def runtime_for(self, model_path: Path) -> str:
        """``onnxruntime`` or ``litert``: the runtime this backend uses for ``model_path``."""
        from edge_node.modelstore.manifest import DEFAULT_MANIFEST, load_manifest

        found = load_manifest(DEFAULT_MANIFEST).by_file(Path(model_path))
        role = found[0].role if found else None
        choice = (self.config.choice(role) if role else None) or self.default
        return _auto_runtime(role, Path(model_path), self.config) if choice == AUTO else choice

    def load(self, model_path: Path) -> InferenceSession:
        runtime = self.runtime_for(model_path)
        log.debug("loading %s on %s", Path(model_path).name, runtime)
        backend = OrtBackend(self.config) if runtime == ONNXRUNTIME else LiteRtBackend(self.config)
        return backend.load(model_path)


def check_backend_name(setting: str, name: str) -> None:
    """Raise :class:`BackendUnavailable` unless ``name`` is a known backend."""
    if name not in BACKEND_NAMES:
        raise BackendUnavailable(f"unknown inference backend {name!r} for {setting}; use one of {list(BACKEND_NAMES)}")


def make_backend(name: str, config: BackendConfig) -> ModelBackend:
    """A backend loading every model with ``name`` (``onnxruntime``, ``litert`` or ``auto``),
    except the roles ``config`` sets a runtime for."""
    check_backend_name("the backend", name)
    for role in MODEL_ROLES:
        choice = config.choice(role)
        if choice is not None:
            check_backend_name(role, choice)
    return ModelBackend(name, config)
