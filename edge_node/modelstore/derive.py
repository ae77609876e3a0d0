"""Derivations that turn an upstream file into the runtime-compatible file we ship a hash for.

Implemented on the protobuf wire format so no ``onnx`` package is needed: the edit only
drops whole fields, every other byte of the file is kept as is.
"""

from __future__ import annotations

from collections.abc import Callable

from edge_node.modelstore import onnx_wire as wire


def drop_unused_graph_inputs(model: bytes) -> bytes:
    """Remove graph inputs that no node consumes (left over by opencv_zoo's block quantiser)."""

    def edit(graph: bytes) -> bytes:
        used: set[str] = set()
        for f in wire.fields(graph):
            if f.number == wire.GRAPH_NODE and f.wire == wire.LEN:
                used.update(wire.strings(graph[f.payload:f.end], wire.NODE_INPUT))
        out = bytearray()
        for f in wire.fields(graph):
            if (f.number == wire.GRAPH_INPUT and f.wire == wire.LEN
                    and wire.string(graph[f.payload:f.end], wire.VALUE_INFO_NAME) not in used):
                continue
            out += graph[f.start:f.end]
        return bytes(out)

    return wire.rewrite_graph(model, edit)


DERIVATIONS: dict[str, Callable[[bytes], bytes]] = {
    "drop_unused_graph_inputs": drop_unused_graph_inputs,
}
