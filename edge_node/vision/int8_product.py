"""Integer matrix products of int8 codes in ONNX Runtime, which numpy lacks.

A one-node model built in memory (``modelstore/onnx_wire``, no ``onnx`` package):
``MatMulInteger(codes uint8 [N, D], probe int8 [D, M], zero point 128) -> int32 [N, M]``, that is
``(codes - 128) @ probe`` exactly: codes are stored offset by 128 because x86's fast kernel is
uint8 x int8 (100k x 128 codes, one thread: 1.25 ms against 1.9 ms for int8 x int8, and up to 4
probe columns cost as much as one). That kernel adds pairs of uint8 x int8 products in int16
without VNNI, so probe codes stay within +-PROBE_LIMIT: 2 x 255 x 64 = 32,640 cannot saturate.

The product runs on PRODUCT_THREADS threads: it is the one step of a search that is worth a second
core, for it reads 100k x 128 codes from memory after the node's other work has evicted them from the
cache (`scripts/bench_pipeline`'s `match_100k_ms`: 2.83-3.29 ms with one thread, 2.28-2.67 ms with two;
docs/benchmarks.md, "Gallery"). The threads sleep between searches (no spinning).
"""

from __future__ import annotations

import functools
import logging
import os

import numpy as np

from edge_node.modelstore import onnx_wire as wire
from edge_node.vision.backend import OrtBackend

log = logging.getLogger(__name__)

OFFSET = 128
PROBE_LIMIT = 64
PRODUCT_THREADS = min(2, os.cpu_count() or 1)
_OPSET = 13


class Int8Product:
    """``(codes - OFFSET) @ probe`` in int32 on PRODUCT_THREADS ONNX Runtime threads; inputs are not copied."""

    def __init__(self) -> None:
        import onnxruntime as ort

        options = OrtBackend().session_options()
        options.intra_op_num_threads = PRODUCT_THREADS
        self._session = ort.InferenceSession(_model(), options, providers=["CPUExecutionProvider"])

    def __call__(self, codes: np.ndarray, probe: np.ndarray) -> np.ndarray:
        """``codes`` C-contiguous uint8 [N, D] (offset by OFFSET), ``probe`` int8 [D, M] within
        +-PROBE_LIMIT; int32 [N, M]."""
        return self._session.run(None, {"codes": codes, "probe": probe})[0]


def _model() -> bytes:
    graph = (wire.node("MatMulInteger", ["codes", "probe", "offset"], ["product"], "product")
             + wire.length_delimited(wire.GRAPH_NAME, b"int8_product")
             + wire.length_delimited(wire.GRAPH_INITIALIZER,
                                     wire.tensor("offset", wire.TENSOR_TYPE_UINT8, [], bytes([OFFSET])))
             + wire.length_delimited(wire.GRAPH_INPUT, wire.value_info("codes", wire.TENSOR_TYPE_UINT8, ["N", "D"]))
             + wire.length_delimited(wire.GRAPH_INPUT, wire.value_info("probe", wire.TENSOR_TYPE_INT8, ["D", "M"]))
             + wire.length_delimited(wire.GRAPH_OUTPUT, wire.value_info("product", wire.TENSOR_TYPE_INT32, ["N", "M"])))
    return wire.model(graph, _OPSET)


@functools.cache
def int8_product() -> Int8Product | None:
    """The process's product, or None (said once in the log) when ONNX Runtime is missing or
    cannot run the model: callers then widen codes to float32 for numpy."""
    try:
        return Int8Product()
    except Exception as exc:  # noqa: BLE001 - any failure means the numpy path
        log.warning("the gallery's int8 first pass runs on numpy (no ONNX Runtime product: %s)", exc)
        return None
