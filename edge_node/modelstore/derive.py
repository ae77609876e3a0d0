"""Derivations that turn an upstream file into the runtime-compatible file we ship a hash for.

Implemented on the protobuf wire format so no ``onnx`` package is needed: the edit only
drops whole fields, every other byte of the file is kept as is.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

# ONNX protobuf field numbers (onnx/onnx.proto).
_MODEL_GRAPH = 7
_GRAPH_NODE = 1
_GRAPH_INPUT = 11
_NODE_INPUT = 1
_VALUE_INFO_NAME = 1
_LEN = 2


def _varint(buf: bytes, pos: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        byte = buf[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return value, pos
        shift += 7


def _encode_varint(value: int) -> bytes:
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def _fields(buf: bytes) -> Iterator[tuple[int, int, int, int, int]]:
    """Yield (field number, wire type, field start, payload start, field end) of a message."""
    pos = 0
    while pos < len(buf):
        start = pos
        key, pos = _varint(buf, pos)
        number, wire = key >> 3, key & 7
        if wire == 0:
            _, pos = _varint(buf, pos)
            payload = start
        elif wire == 1:
            payload, pos = pos, pos + 8
        elif wire == _LEN:
            length, payload = _varint(buf, pos)
            pos = payload + length
        elif wire == 5:
            payload, pos = pos, pos + 4
        else:
            raise ValueError(f"unsupported protobuf wire type {wire}")
        yield number, wire, start, payload, pos


def _strings(buf: bytes, number: int) -> list[str]:
    return [buf[p:e].decode() for n, w, _, p, e in _fields(buf) if n == number and w == _LEN]


def _rewrite_graph(model: bytes, edit: Callable[[bytes], bytes]) -> bytes:
    out = bytearray()
    for number, wire, start, payload, end in _fields(model):
        if number == _MODEL_GRAPH and wire == _LEN:
            graph = edit(model[payload:end])
            out += model[start:payload - len(_encode_varint(end - payload))]
            out += _encode_varint(len(graph)) + graph
        else:
            out += model[start:end]
    return bytes(out)


def drop_unused_graph_inputs(model: bytes) -> bytes:
    """Remove graph inputs that no node consumes (left over by opencv_zoo's block quantiser)."""

    def edit(graph: bytes) -> bytes:
        used: set[str] = set()
        for n, w, _, p, e in _fields(graph):
            if n == _GRAPH_NODE and w == _LEN:
                used.update(_strings(graph[p:e], _NODE_INPUT))
        out = bytearray()
        for n, w, s, p, e in _fields(graph):
            if n == _GRAPH_INPUT and w == _LEN and _strings(graph[p:e], _VALUE_INFO_NAME)[0] not in used:
                continue
            out += graph[s:e]
        return bytes(out)

    return _rewrite_graph(model, edit)


DERIVATIONS: dict[str, Callable[[bytes], bytes]] = {
    "drop_unused_graph_inputs": drop_unused_graph_inputs,
}
