"""google.protobuf.Timestamp <-> aware UTC datetimes, with the range checks a request needs."""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from google.protobuf.timestamp_pb2 import Timestamp

from edge_node.common.errors import InvalidArgument

_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


def to_timestamp(when: datetime | None) -> Timestamp | None:
    if when is None:
        return None
    since = (when if when.tzinfo else when.astimezone(timezone.utc)) - _EPOCH
    return Timestamp(seconds=since.days * 86400 + since.seconds, nanos=since.microseconds * 1000)


def from_timestamp(message: Any, field: str) -> datetime | None:
    """The timestamp field as an aware UTC datetime, None when unset."""
    if not message.HasField(field):
        return None
    stamp: Timestamp = getattr(message, field)
    if not 0 <= stamp.seconds < 253402300800 or not 0 <= stamp.nanos < 1_000_000_000:
        raise InvalidArgument(f"{field} is outside the supported range 1970-01-01..9999-12-31")
    return stamp.ToDatetime(tzinfo=timezone.utc)


def required_timestamp(message: Any, field: str) -> datetime:
    when = from_timestamp(message, field)
    if when is None:
        raise InvalidArgument(f"{field} is required")
    return when
