"""Inference backends: a small protocol, the ONNX Runtime implementation, optional LiteRT."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import numpy as np

from edge_node.vision.errors import BackendUnavailable


@dataclass(frozen=True)
class BackendConfig:
    """How models are executed.

    ``providers`` are ONNX Runtime execution provider names in priority order, e.g.
    ``("TensorrtExecutionProvider", "CUDAExecutionProvider", "CPUExecutionProvider")`` on a Jetson.
    """

    intra_op_threads: int = 1
    providers: tuple[str, ...] = ("CPUExecutionProvider",)
    # session.disable_quant_qdq: run QDQ graphs as float with weights dequantised once at load.
    # SFace int8bq, 1 thread: 31.7 ms -> 21.4 ms per face, cosine 1.0000 to the QDQ output.
    disable_quant_qdq: bool = True


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
        session = ort.InferenceSession(
            str(model_path), sess_options=self.session_options(), providers=list(self.config.providers)
        )
        return OrtSession(session)


class LiteRtSession:
    """A LiteRT (``ai_edge_litert``) interpreter behind :class:`InferenceSession`."""

    def __init__(self, interpreter: object) -> None:
        self._interp = interpreter
        self._in = {d["name"]: d["index"] for d in interpreter.get_input_details()}  # type: ignore[attr-defined]
        self._out = [d["index"] for d in interpreter.get_output_details()]  # type: ignore[attr-defined]
        self._out_names = tuple(d["name"] for d in interpreter.get_output_details())  # type: ignore[attr-defined]

    @property
    def input_names(self) -> tuple[str, ...]:
        return tuple(self._in)

    @property
    def output_names(self) -> tuple[str, ...]:
        return self._out_names

    def run(self, feeds: dict[str, np.ndarray]) -> list[np.ndarray]:
        interp = self._interp
        for name, value in feeds.items():
            interp.resize_tensor_input(self._in[name], value.shape)  # type: ignore[attr-defined]
        interp.allocate_tensors()  # type: ignore[attr-defined]
        for name, value in feeds.items():
            interp.set_tensor(self._in[name], value)  # type: ignore[attr-defined]
        interp.invoke()  # type: ignore[attr-defined]
        return [interp.get_tensor(i) for i in self._out]  # type: ignore[attr-defined]


@dataclass
class LiteRtBackend:
    """Optional LiteRT backend for ``.tflite`` conversions of the same models.

    Requires the ``ai-edge-litert`` package (``pip install edge-node[litert]``). The models
    must be converted to ``.tflite`` with the same input/output names and layouts; this
    project ships no such conversion, so the ONNX Runtime backend is the default.
    """

    config: BackendConfig = field(default_factory=BackendConfig)

    def load(self, model_path: Path) -> InferenceSession:
        try:
            from ai_edge_litert.interpreter import Interpreter
        except ImportError as exc:
            raise BackendUnavailable(
                "LiteRT backend selected but the 'ai-edge-litert' package is not installed; "
                "install it with 'pip install edge-node[litert]' or select the 'onnxruntime' backend"
            ) from exc
        if model_path.suffix != ".tflite":
            raise BackendUnavailable(
                f"LiteRT needs a .tflite model, got {model_path.name}; convert it or use 'onnxruntime'"
            )
        return LiteRtSession(
            Interpreter(model_path=str(model_path), num_threads=self.config.intra_op_threads)
        )


def make_backend(name: str, config: BackendConfig) -> InferenceBackend:
    """Return the backend called ``name`` (``"onnxruntime"`` or ``"litert"``)."""
    backends: dict[str, type[OrtBackend] | type[LiteRtBackend]] = {
        "onnxruntime": OrtBackend,
        "litert": LiteRtBackend,
    }
    if name not in backends:
        raise BackendUnavailable(f"unknown inference backend {name!r}; use one of {sorted(backends)}")
    return backends[name](config)

