"""Reading and writing ONNX model files on the protobuf wire format, without the ``onnx`` package.

Enough of the format for whole-field edits and small models built in memory: walk a message's
fields, read strings and floats, and encode nodes, tensors, typed graph inputs and outputs and a
model. Field numbers are those of onnx/onnx.proto.
"""

from __future__ import annotations

import struct
from collections.abc import Callable, Iterator
from typing import NamedTuple

MODEL_IR_VERSION = 1
MODEL_GRAPH = 7
MODEL_OPSET_IMPORT = 8
OPSET_DOMAIN = 1
OPSET_VERSION = 2
GRAPH_NODE = 1
GRAPH_NAME = 2
GRAPH_INITIALIZER = 5
GRAPH_INPUT = 11
GRAPH_OUTPUT = 12
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
TENSOR_TYPE_UINT8 = 2
TENSOR_TYPE_INT8 = 3
TENSOR_TYPE_INT32 = 6
VALUE_INFO_NAME = 1
VALUE_INFO_TYPE = 2
TYPE_TENSOR = 1
TENSOR_TYPE_ELEM_TYPE = 1
TENSOR_TYPE_SHAPE = 2
SHAPE_DIM = 1
DIM_VALUE = 1
DIM_PARAM = 2
# The IR version of models built here (ONNX 1.10 and later; ONNX Runtime 1.17, the oldest the node takes, reads it).
IR_VERSION = 8

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


def node(op_type: str, inputs: list[str], outputs: list[str], name: str, attributes: bytes = b"") -> bytes:
    """A graph's ``node`` field."""
    body = b"".join(length_delimited(NODE_INPUT, i.encode()) for i in inputs)
    body += b"".join(length_delimited(NODE_OUTPUT, o.encode()) for o in outputs)
    body += length_delimited(NODE_NAME, name.encode())
    body += length_delimited(NODE_OP_TYPE, op_type.encode())
    return length_delimited(GRAPH_NODE, body + attributes)


def tensor(name: str, data_type: int, dims: list[int], raw: bytes) -> bytes:
    """A TensorProto message holding ``raw`` (little-endian values)."""
    body = b"".join(varint_field(TENSOR_DIMS, d) for d in dims) + varint_field(TENSOR_DATA_TYPE, data_type)
    return body + length_delimited(TENSOR_NAME, name.encode()) + length_delimited(TENSOR_RAW_DATA, raw)


def value_info(name: str, data_type: int, dims: list[int | str]) -> bytes:
    """A ValueInfoProto message: a tensor's name, element type and shape (a str dim is symbolic)."""
    shape = b"".join(length_delimited(SHAPE_DIM, varint_field(DIM_VALUE, d) if isinstance(d, int)
                                      else length_delimited(DIM_PARAM, d.encode())) for d in dims)
    tensor_type = varint_field(TENSOR_TYPE_ELEM_TYPE, data_type) + length_delimited(TENSOR_TYPE_SHAPE, shape)
    return (length_delimited(VALUE_INFO_NAME, name.encode())
            + length_delimited(VALUE_INFO_TYPE, length_delimited(TYPE_TENSOR, tensor_type)))


def model(graph: bytes, opset: int) -> bytes:
    """A ModelProto message: ``graph`` (a GraphProto's fields) importing the default domain at ``opset``."""
    opset_import = length_delimited(OPSET_DOMAIN, b"") + varint_field(OPSET_VERSION, opset)
    return (varint_field(MODEL_IR_VERSION, IR_VERSION) + length_delimited(MODEL_OPSET_IMPORT, opset_import)
            + length_delimited(MODEL_GRAPH, graph))
