import datetime

from edge_node.gen.edge.attendance.v1 import attendance_pb2 as _attendance_pb2
from edge_node.gen.edge.common.v1 import auth_pb2 as _auth_pb2
from google.protobuf import duration_pb2 as _duration_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class GetStatusRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class GetStatusResponse(_message.Message):
    __slots__ = ("status",)
    STATUS_FIELD_NUMBER: _ClassVar[int]
    status: NodeStatus
    def __init__(self, status: _Optional[_Union[NodeStatus, _Mapping]] = ...) -> None: ...

class WatchStatusRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class WatchStatusResponse(_message.Message):
    __slots__ = ("status",)
    STATUS_FIELD_NUMBER: _ClassVar[int]
    status: NodeStatus
    def __init__(self, status: _Optional[_Union[NodeStatus, _Mapping]] = ...) -> None: ...

class NodeStatus(_message.Message):
    __slots__ = ("taken_at", "version", "uptime", "cameras", "stages", "recent_events", "recognition", "sync", "host", "warnings", "clock")
    TAKEN_AT_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    UPTIME_FIELD_NUMBER: _ClassVar[int]
    CAMERAS_FIELD_NUMBER: _ClassVar[int]
    STAGES_FIELD_NUMBER: _ClassVar[int]
    RECENT_EVENTS_FIELD_NUMBER: _ClassVar[int]
    RECOGNITION_FIELD_NUMBER: _ClassVar[int]
    SYNC_FIELD_NUMBER: _ClassVar[int]
    HOST_FIELD_NUMBER: _ClassVar[int]
    WARNINGS_FIELD_NUMBER: _ClassVar[int]
    CLOCK_FIELD_NUMBER: _ClassVar[int]
    taken_at: _timestamp_pb2.Timestamp
    version: str
    uptime: _duration_pb2.Duration
    cameras: _containers.RepeatedCompositeFieldContainer[CameraStatus]
    stages: _containers.RepeatedCompositeFieldContainer[StageLatency]
    recent_events: _containers.RepeatedCompositeFieldContainer[_attendance_pb2.AttendanceEvent]
    recognition: RecognitionStatus
    sync: SyncStatus
    host: HostStatus
    warnings: _containers.RepeatedScalarFieldContainer[str]
    clock: ClockStatus
    def __init__(self, taken_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., version: _Optional[str] = ..., uptime: _Optional[_Union[datetime.timedelta, _duration_pb2.Duration, _Mapping]] = ..., cameras: _Optional[_Iterable[_Union[CameraStatus, _Mapping]]] = ..., stages: _Optional[_Iterable[_Union[StageLatency, _Mapping]]] = ..., recent_events: _Optional[_Iterable[_Union[_attendance_pb2.AttendanceEvent, _Mapping]]] = ..., recognition: _Optional[_Union[RecognitionStatus, _Mapping]] = ..., sync: _Optional[_Union[SyncStatus, _Mapping]] = ..., host: _Optional[_Union[HostStatus, _Mapping]] = ..., warnings: _Optional[_Iterable[str]] = ..., clock: _Optional[_Union[ClockStatus, _Mapping]] = ...) -> None: ...

class ClockStatus(_message.Message):
    __slots__ = ("synchronised_known", "synchronised", "held", "behind_seconds")
    SYNCHRONISED_KNOWN_FIELD_NUMBER: _ClassVar[int]
    SYNCHRONISED_FIELD_NUMBER: _ClassVar[int]
    HELD_FIELD_NUMBER: _ClassVar[int]
    BEHIND_SECONDS_FIELD_NUMBER: _ClassVar[int]
    synchronised_known: bool
    synchronised: bool
    held: bool
    behind_seconds: float
    def __init__(self, synchronised_known: _Optional[bool] = ..., synchronised: _Optional[bool] = ..., held: _Optional[bool] = ..., behind_seconds: _Optional[float] = ...) -> None: ...

class CameraStatus(_message.Message):
    __slots__ = ("camera_id", "state", "source_kind", "address", "fps", "last_frame_age_ms", "frames_received", "frames_dropped", "frames_corrupt")
    CAMERA_ID_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    SOURCE_KIND_FIELD_NUMBER: _ClassVar[int]
    ADDRESS_FIELD_NUMBER: _ClassVar[int]
    FPS_FIELD_NUMBER: _ClassVar[int]
    LAST_FRAME_AGE_MS_FIELD_NUMBER: _ClassVar[int]
    FRAMES_RECEIVED_FIELD_NUMBER: _ClassVar[int]
    FRAMES_DROPPED_FIELD_NUMBER: _ClassVar[int]
    FRAMES_CORRUPT_FIELD_NUMBER: _ClassVar[int]
    camera_id: str
    state: str
    source_kind: str
    address: str
    fps: float
    last_frame_age_ms: int
    frames_received: int
    frames_dropped: int
    frames_corrupt: int
    def __init__(self, camera_id: _Optional[str] = ..., state: _Optional[str] = ..., source_kind: _Optional[str] = ..., address: _Optional[str] = ..., fps: _Optional[float] = ..., last_frame_age_ms: _Optional[int] = ..., frames_received: _Optional[int] = ..., frames_dropped: _Optional[int] = ..., frames_corrupt: _Optional[int] = ...) -> None: ...

class StageLatency(_message.Message):
    __slots__ = ("stage", "p50_ms", "p95_ms")
    STAGE_FIELD_NUMBER: _ClassVar[int]
    P50_MS_FIELD_NUMBER: _ClassVar[int]
    P95_MS_FIELD_NUMBER: _ClassVar[int]
    stage: str
    p50_ms: float
    p95_ms: float
    def __init__(self, stage: _Optional[str] = ..., p50_ms: _Optional[float] = ..., p95_ms: _Optional[float] = ...) -> None: ...

class ModelVersion(_message.Message):
    __slots__ = ("role", "name", "sha256_prefix")
    ROLE_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    SHA256_PREFIX_FIELD_NUMBER: _ClassVar[int]
    role: str
    name: str
    sha256_prefix: str
    def __init__(self, role: _Optional[str] = ..., name: _Optional[str] = ..., sha256_prefix: _Optional[str] = ...) -> None: ...

class RecognitionStatus(_message.Message):
    __slots__ = ("enabled", "error", "model_id", "template_count", "person_count", "models", "match_threshold")
    ENABLED_FIELD_NUMBER: _ClassVar[int]
    ERROR_FIELD_NUMBER: _ClassVar[int]
    MODEL_ID_FIELD_NUMBER: _ClassVar[int]
    TEMPLATE_COUNT_FIELD_NUMBER: _ClassVar[int]
    PERSON_COUNT_FIELD_NUMBER: _ClassVar[int]
    MODELS_FIELD_NUMBER: _ClassVar[int]
    MATCH_THRESHOLD_FIELD_NUMBER: _ClassVar[int]
    enabled: bool
    error: str
    model_id: str
    template_count: int
    person_count: int
    models: _containers.RepeatedCompositeFieldContainer[ModelVersion]
    match_threshold: float
    def __init__(self, enabled: _Optional[bool] = ..., error: _Optional[str] = ..., model_id: _Optional[str] = ..., template_count: _Optional[int] = ..., person_count: _Optional[int] = ..., models: _Optional[_Iterable[_Union[ModelVersion, _Mapping]]] = ..., match_threshold: _Optional[float] = ...) -> None: ...

class SyncStatus(_message.Message):
    __slots__ = ("enabled", "hub", "node_id", "queue_depth", "lag", "last_success_at", "hub_reachable", "last_error", "consecutive_failures", "roster_version")
    ENABLED_FIELD_NUMBER: _ClassVar[int]
    HUB_FIELD_NUMBER: _ClassVar[int]
    NODE_ID_FIELD_NUMBER: _ClassVar[int]
    QUEUE_DEPTH_FIELD_NUMBER: _ClassVar[int]
    LAG_FIELD_NUMBER: _ClassVar[int]
    LAST_SUCCESS_AT_FIELD_NUMBER: _ClassVar[int]
    HUB_REACHABLE_FIELD_NUMBER: _ClassVar[int]
    LAST_ERROR_FIELD_NUMBER: _ClassVar[int]
    CONSECUTIVE_FAILURES_FIELD_NUMBER: _ClassVar[int]
    ROSTER_VERSION_FIELD_NUMBER: _ClassVar[int]
    enabled: bool
    hub: str
    node_id: str
    queue_depth: int
    lag: _duration_pb2.Duration
    last_success_at: _timestamp_pb2.Timestamp
    hub_reachable: bool
    last_error: str
    consecutive_failures: int
    roster_version: int
    def __init__(self, enabled: _Optional[bool] = ..., hub: _Optional[str] = ..., node_id: _Optional[str] = ..., queue_depth: _Optional[int] = ..., lag: _Optional[_Union[datetime.timedelta, _duration_pb2.Duration, _Mapping]] = ..., last_success_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., hub_reachable: _Optional[bool] = ..., last_error: _Optional[str] = ..., consecutive_failures: _Optional[int] = ..., roster_version: _Optional[int] = ...) -> None: ...

class HostStatus(_message.Message):
    __slots__ = ("cpu_percent", "memory_used_bytes", "memory_total_bytes", "disk_used_bytes", "disk_total_bytes", "soc_temperature_celsius", "load_average_1m")
    CPU_PERCENT_FIELD_NUMBER: _ClassVar[int]
    MEMORY_USED_BYTES_FIELD_NUMBER: _ClassVar[int]
    MEMORY_TOTAL_BYTES_FIELD_NUMBER: _ClassVar[int]
    DISK_USED_BYTES_FIELD_NUMBER: _ClassVar[int]
    DISK_TOTAL_BYTES_FIELD_NUMBER: _ClassVar[int]
    SOC_TEMPERATURE_CELSIUS_FIELD_NUMBER: _ClassVar[int]
    LOAD_AVERAGE_1M_FIELD_NUMBER: _ClassVar[int]
    cpu_percent: float
    memory_used_bytes: int
    memory_total_bytes: int
    disk_used_bytes: int
    disk_total_bytes: int
    soc_temperature_celsius: float
    load_average_1m: float
    def __init__(self, cpu_percent: _Optional[float] = ..., memory_used_bytes: _Optional[int] = ..., memory_total_bytes: _Optional[int] = ..., disk_used_bytes: _Optional[int] = ..., disk_total_bytes: _Optional[int] = ..., soc_temperature_celsius: _Optional[float] = ..., load_average_1m: _Optional[float] = ...) -> None: ...
