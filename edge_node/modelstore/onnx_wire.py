"""Reading and writing ONNX model files on the protobuf wire format, without the ``onnx`` package.

Enough of the format for whole-field edits: walk a message's fields, read strings and floats,
and encode new length-delimited fields. Field numbers are those of onnx/onnx.proto.
"""

from __future__ import annotations

import struct
from collections.abc import Callable, Iterator
from typing import NamedTuple

MODEL_GRAPH = 7
GRAPH_NODE = 1
GRAPH_INITIALIZER = 5
GRAPH_INPUT = 11
NODE_INPUT = 1
NODE_OUTPUT = 2
NODE_NAME = 3
NODE_OP_TYPE = 4
NODE_ATTRIBUTE = 5
NODE_DOMAIN = 7
ATTRIBUTE_NAME = 1
ATTRIBUTE_FLOAT = 2
ATTRIBUTE_TYPE = 20
ATTRIBUTE_TYPE_FLOAT = 1
TENSOR_DIMS = 1
TENSOR_DATA_TYPE = 2
TENSOR_FLOAT_DATA = 4
TENSOR_NAME = 8
TENSOR_RAW_DATA = 9
TENSOR_TYPE_FLOAT = 1
VALUE_INFO_NAME = 1

VARINT = 0
FIXED64 = 1
LEN = 2
FIXED32 = 5


class Field(NamedTuple):
    """One field of a message: its number and wire type, where it starts, where its payload
    starts (for a varint: where the value starts) and where it ends."""

    number: int
    wire: int
    start: int
    payload: int
    end: int


def read_varint(buf: bytes, pos: int) -> tuple[int, int]:
    """The varint at ``pos`` and the position after it."""
    value = shift = 0
    while True:
        byte = buf[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return value, pos
        shift += 7


def encode_varint(value: int) -> bytes:
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def fields(buf: bytes) -> Iterator[Field]:
    """Every field of a message, in file order."""
    pos = 0
    while pos < len(buf):
        start = pos
        key, pos = read_varint(buf, pos)
        number, wire = key >> 3, key & 7
        if wire == VARINT:
            payload = pos
            _, pos = read_varint(buf, pos)
        elif wire == FIXED64:
            payload, pos = pos, pos + 8
        elif wire == LEN:
            length, payload = read_varint(buf, pos)
            pos = payload + length
        elif wire == FIXED32:
            payload, pos = pos, pos + 4
        else:
            raise ValueError(f"unsupported protobuf wire type {wire}")
        yield Field(number, wire, start, payload, pos)


def strings(buf: bytes, number: int) -> list[str]:
    """The values of a repeated (or single) string field."""
    return [buf[f.payload:f.end].decode() for f in fields(buf) if f.number == number and f.wire == LEN]


def string(buf: bytes, number: int) -> str:
    """A string field's value ("" when absent)."""
    found = strings(buf, number)
    return found[-1] if found else ""


def varints(buf: bytes, number: int) -> list[int]:
    """The values of a repeated integer field, packed or not."""
    values: list[int] = []
    for f in fields(buf):
        if f.number != number:
            continue
        if f.wire == VARINT:
            values.append(read_varint(buf, f.payload)[0])
        elif f.wire == LEN:
            pos = f.payload
            while pos < f.end:
                value, pos = read_varint(buf, pos)
                values.append(value)
    return values


def length_delimited(number: int, payload: bytes) -> bytes:
    """A length-delimited field (string, bytes or sub-message)."""
    return encode_varint(number << 3 | LEN) + encode_varint(len(payload)) + payload


def float32(number: int, value: float) -> bytes:
    """A ``float`` field."""
    return encode_varint(number << 3 | FIXED32) + struct.pack("<f", value)


def varint_field(number: int, value: int) -> bytes:
    """An integer or enum field."""
    return encode_varint(number << 3 | VARINT) + encode_varint(value)


def rewrite_graph(model: bytes, edit: Callable[[bytes], bytes]) -> bytes:
    """The model with its (main) graph replaced by ``edit(graph)``; every other byte kept."""
    out = bytearray()
    for f in fields(model):
        if f.number == MODEL_GRAPH and f.wire == LEN:
            out += length_delimited(MODEL_GRAPH, edit(model[f.payload:f.end]))
        else:
            out += model[f.start:f.end]
    return bytes(out)
