"""PRelu rewritten for ONNX Runtime at load time, with bit-identical outputs.

ONNX Runtime's CPU PRelu kernel is slow and blocks its Conv fusions (the last table of
``scripts/bench_pipeline`` times each model as stored and rewritten). So, in memory only (the
file on disk and its sha256 are untouched):

- a PRelu whose slope is one constant becomes ``LeakyRelu(alpha=slope)``, which ONNX Runtime
  fuses into the preceding Conv (the slope's initializer goes);
- any other PRelu becomes ``r = Relu(x); y = r + slope * (x - r)``: four fast element-wise
  kernels. For x > 0 that is ``x + slope * 0`` and for x <= 0 ``0 + slope * x``, both exact in
  IEEE arithmetic, so the outputs equal PRelu's bit for bit (tested on every model).
"""

from __future__ import annotations

import struct

from edge_node.modelstore import onnx_wire as wire

_ONNX_DOMAINS = ("", "ai.onnx")


def _float_attribute(name: str, value: float) -> bytes:
    body = (wire.length_delimited(wire.ATTRIBUTE_NAME, name.encode()) + wire.float32(wire.ATTRIBUTE_FLOAT, value)
            + wire.varint_field(wire.ATTRIBUTE_TYPE, wire.ATTRIBUTE_TYPE_FLOAT))
    return wire.length_delimited(wire.NODE_ATTRIBUTE, body)


def _single_floats(graph: bytes) -> dict[str, float]:
    """Initializers holding exactly one float32, by name."""
    found = {}
    for f in wire.fields(graph):
        if f.number != wire.GRAPH_INITIALIZER or f.wire != wire.LEN:
            continue
        tensor = graph[f.payload:f.end]
        dims = wire.varints(tensor, wire.TENSOR_DIMS)
        if wire.varints(tensor, wire.TENSOR_DATA_TYPE) != [wire.TENSOR_TYPE_FLOAT] or any(d != 1 for d in dims):
            continue
        data = b"".join(tensor[t.payload:t.end] for t in wire.fields(tensor)
                        if t.number in (wire.TENSOR_RAW_DATA, wire.TENSOR_FLOAT_DATA) and t.wire == wire.LEN)
        if len(data) == 4:
            found[wire.string(tensor, wire.TENSOR_NAME)] = struct.unpack("<f", data)[0]
    return found


def _replacement(node: bytes, index: int, scalars: dict[str, float]) -> bytes | None:
    """The nodes standing in for one PRelu node, or None if ``node`` is not a plain PRelu."""
    if wire.string(node, wire.NODE_OP_TYPE) != "PRelu" or wire.string(node, wire.NODE_DOMAIN) not in _ONNX_DOMAINS:
        return None
    inputs, outputs = wire.strings(node, wire.NODE_INPUT), wire.strings(node, wire.NODE_OUTPUT)
    if len(inputs) != 2 or len(outputs) != 1:
        return None
    (x, slope), (y,) = inputs, outputs
    name = wire.string(node, wire.NODE_NAME) or f"prelu_{index}"
    if slope in scalars:
        return wire.node("LeakyRelu", [x], [y], name, _float_attribute("alpha", scalars[slope]))
    relu, negative, scaled = (f"{name}/rewrite/{part}" for part in ("relu", "negative", "scaled"))
    return (wire.node("Relu", [x], [relu], relu) + wire.node("Sub", [x, relu], [negative], negative)
            + wire.node("Mul", [negative, slope], [scaled], scaled)
            + wire.node("Add", [relu, scaled], [y], f"{name}/rewrite/add"))


def rewrite_prelu(model: bytes) -> bytes:
    """``model`` (ONNX bytes) with every PRelu of its main graph replaced as described above."""

    def edit(graph: bytes) -> bytes:
        scalars = _single_floats(graph)
        nodes = bytearray()
        for index, f in enumerate(wire.fields(graph)):
            replacement = None
            if f.number == wire.GRAPH_NODE and f.wire == wire.LEN:
                replacement = _replacement(graph[f.payload:f.end], index, scalars)
            nodes += graph[f.start:f.end] if replacement is None else replacement
        return _without_unused(bytes(nodes), set(scalars))

    return wire.rewrite_graph(model, edit)


def _without_unused(graph: bytes, candidates: set[str]) -> bytes:
    """``graph`` without the initializers (and graph inputs) among ``candidates`` no node reads any more."""
    used: set[str] = set()
    for f in wire.fields(graph):
        if f.number == wire.GRAPH_NODE and f.wire == wire.LEN:
            used.update(wire.strings(graph[f.payload:f.end], wire.NODE_INPUT))
    unused = candidates - used
    out = bytearray()
    for f in wire.fields(graph):
        if f.wire == wire.LEN and f.number in (wire.GRAPH_INITIALIZER, wire.GRAPH_INPUT):
            key = wire.TENSOR_NAME if f.number == wire.GRAPH_INITIALIZER else wire.VALUE_INFO_NAME
            if wire.string(graph[f.payload:f.end], key) in unused:
                continue
        out += graph[f.start:f.end]
    return bytes(out)

