"""Hypothesis strategies for arbitrary protobuf messages, built from their descriptors.

Strings mix random text with hostile values (SQL, control characters, path separators, other scripts) and
known ids; bytes mix random bytes with a corpus of images (real, truncated, oversized headers, bombs).
"""
from __future__ import annotations

from typing import Any, Sequence

from google.protobuf import message_factory
from google.protobuf.descriptor import Descriptor, FieldDescriptor
from hypothesis import strategies as st

HOSTILE_STRINGS = ("'; DROP TABLE event; --", "\" OR 1=1 --", "Robert'); DELETE FROM person;--", "%", "_", "\\",
                   "../../etc/passwd", "a/b\\c", "/", "..", "\x00", "\x1b[2J", "\r\n", "\t", " x ", "Zoë Ñúñez",
                   "山田太郎", "Ελένη", "محمد", "👩‍💻", "\u202eevil", "\ufeff", "x" * 65, "y" * 129, "z" * 5000,
                   "2026-11-23", "2026-02-30", "9999-99-99", "-1", "0", "NaN", "cooldownSeconds", "bogus.path")
_INT_RANGES = {FieldDescriptor.TYPE_INT32: 31, FieldDescriptor.TYPE_SINT32: 31, FieldDescriptor.TYPE_SFIXED32: 31,
               FieldDescriptor.TYPE_INT64: 63, FieldDescriptor.TYPE_SINT64: 63, FieldDescriptor.TYPE_SFIXED64: 63}
_UINT_RANGES = {FieldDescriptor.TYPE_UINT32: 32, FieldDescriptor.TYPE_FIXED32: 32,
                FieldDescriptor.TYPE_UINT64: 64, FieldDescriptor.TYPE_FIXED64: 64}


def _integers(bits: int, signed: bool) -> st.SearchStrategy[int]:
    low, high = (-(1 << bits), (1 << bits) - 1) if signed else (0, (1 << bits) - 1)
    edges = [v for v in (low, high, -1, 0, 1, 2, 10, 100, 1000, 5000, 10 ** 6) if low <= v <= high]
    return st.one_of(st.sampled_from(edges), st.integers(-1000 if signed else 0, 100_000), st.integers(low, high))


class MessageStrategies:
    """Strategies per message type; `strings[name]`/`blobs[name]` add known values for fields of that name."""

    def __init__(self, blobs: Sequence[bytes], strings: dict[str, Sequence[str]] | None = None,
                 max_depth: int = 3) -> None:
        self._blobs = list(blobs)
        self._strings = strings or {}
        self._max_depth = max_depth

    def message(self, descriptor: Descriptor, depth: int = 0) -> st.SearchStrategy[Any]:
        cls = message_factory.GetMessageClass(descriptor)
        if depth > self._max_depth:
            return st.just(cls())
        fields = {f.name: self._field(f, depth) for f in descriptor.fields}
        return st.fixed_dictionaries({}, optional=fields).map(lambda kw: cls(**kw))

    def _field(self, field: FieldDescriptor, depth: int) -> st.SearchStrategy[Any]:
        if field.message_type is not None and field.message_type.GetOptions().map_entry:
            key, value = field.message_type.fields_by_name["key"], field.message_type.fields_by_name["value"]
            return st.dictionaries(self._scalar(key, depth), self._scalar(value, depth), max_size=3)
        single = self._scalar(field, depth)
        if field.is_repeated:
            return st.lists(single, max_size=12 if field.type == FieldDescriptor.TYPE_BYTES else 4)
        return single

    def _scalar(self, field: FieldDescriptor, depth: int) -> st.SearchStrategy[Any]:
        kind = field.type
        if kind == FieldDescriptor.TYPE_MESSAGE:
            return self.message(field.message_type, depth + 1)
        if kind == FieldDescriptor.TYPE_STRING:
            known = list(self._strings.get(field.name, ()))
            pools = [st.text(max_size=40), st.sampled_from(HOSTILE_STRINGS)]
            return st.one_of(*pools, st.sampled_from(known), st.sampled_from(known)) if known else st.one_of(*pools)
        if kind == FieldDescriptor.TYPE_BYTES:
            return st.one_of(st.binary(max_size=64), st.sampled_from(self._blobs)) if self._blobs else st.binary(max_size=64)
        if kind == FieldDescriptor.TYPE_BOOL:
            return st.booleans()
        if kind == FieldDescriptor.TYPE_ENUM:
            return st.one_of(st.sampled_from([v.number for v in field.enum_type.values]), st.integers(-3, 50))
        if kind in (FieldDescriptor.TYPE_FLOAT, FieldDescriptor.TYPE_DOUBLE):
            return st.floats(width=32 if kind == FieldDescriptor.TYPE_FLOAT else 64)
        if kind in _INT_RANGES:
            return _integers(_INT_RANGES[kind], True)
        if kind in _UINT_RANGES:
            return _integers(_UINT_RANGES[kind], False)
        raise TypeError(f"no strategy for field {field.full_name} of type {kind}")
