import datetime

from google.protobuf import field_mask_pb2 as _field_mask_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class EventType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    EVENT_TYPE_UNSPECIFIED: _ClassVar[EventType]
    EVENT_TYPE_ENTRY: _ClassVar[EventType]
    EVENT_TYPE_EXIT: _ClassVar[EventType]
    EVENT_TYPE_DUPLICATE: _ClassVar[EventType]
    EVENT_TYPE_REJECTED: _ClassVar[EventType]
    EVENT_TYPE_UNKNOWN_FACE: _ClassVar[EventType]
    EVENT_TYPE_SPOOF: _ClassVar[EventType]

class AnomalyKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    ANOMALY_KIND_UNSPECIFIED: _ClassVar[AnomalyKind]
    ANOMALY_KIND_AFTER_HOURS: _ClassVar[AnomalyKind]
    ANOMALY_KIND_WEEKEND: _ClassVar[AnomalyKind]
    ANOMALY_KIND_EXCESSIVE_SCANS: _ClassVar[AnomalyKind]

class AttendanceStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    ATTENDANCE_STATUS_UNSPECIFIED: _ClassVar[AttendanceStatus]
    ATTENDANCE_STATUS_PRESENT: _ClassVar[AttendanceStatus]
    ATTENDANCE_STATUS_HALF_DAY: _ClassVar[AttendanceStatus]
    ATTENDANCE_STATUS_ABSENT: _ClassVar[AttendanceStatus]
EVENT_TYPE_UNSPECIFIED: EventType
EVENT_TYPE_ENTRY: EventType
EVENT_TYPE_EXIT: EventType
EVENT_TYPE_DUPLICATE: EventType
EVENT_TYPE_REJECTED: EventType
EVENT_TYPE_UNKNOWN_FACE: EventType
EVENT_TYPE_SPOOF: EventType
ANOMALY_KIND_UNSPECIFIED: AnomalyKind
ANOMALY_KIND_AFTER_HOURS: AnomalyKind
ANOMALY_KIND_WEEKEND: AnomalyKind
ANOMALY_KIND_EXCESSIVE_SCANS: AnomalyKind
ATTENDANCE_STATUS_UNSPECIFIED: AttendanceStatus
ATTENDANCE_STATUS_PRESENT: AttendanceStatus
ATTENDANCE_STATUS_HALF_DAY: AttendanceStatus
ATTENDANCE_STATUS_ABSENT: AttendanceStatus

class Person(_message.Message):
    __slots__ = ("person_id", "display_name", "active", "created_at", "updated_at", "last_seen_at", "template_count")
    PERSON_ID_FIELD_NUMBER: _ClassVar[int]
    DISPLAY_NAME_FIELD_NUMBER: _ClassVar[int]
    ACTIVE_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    LAST_SEEN_AT_FIELD_NUMBER: _ClassVar[int]
    TEMPLATE_COUNT_FIELD_NUMBER: _ClassVar[int]
    person_id: str
    display_name: str
    active: bool
    created_at: _timestamp_pb2.Timestamp
    updated_at: _timestamp_pb2.Timestamp
    last_seen_at: _timestamp_pb2.Timestamp
    template_count: int
    def __init__(self, person_id: _Optional[str] = ..., display_name: _Optional[str] = ..., active: _Optional[bool] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., updated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., last_seen_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., template_count: _Optional[int] = ...) -> None: ...

class Anomaly(_message.Message):
    __slots__ = ("kind", "reason")
    KIND_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    kind: AnomalyKind
    reason: str
    def __init__(self, kind: _Optional[_Union[AnomalyKind, str]] = ..., reason: _Optional[str] = ...) -> None: ...

class AttendanceEvent(_message.Message):
    __slots__ = ("event_id", "person_id", "person_name", "event_type", "occurred_at", "local_date", "confidence", "camera_id", "anomalies", "reason")
    EVENT_ID_FIELD_NUMBER: _ClassVar[int]
    PERSON_ID_FIELD_NUMBER: _ClassVar[int]
    PERSON_NAME_FIELD_NUMBER: _ClassVar[int]
    EVENT_TYPE_FIELD_NUMBER: _ClassVar[int]
    OCCURRED_AT_FIELD_NUMBER: _ClassVar[int]
    LOCAL_DATE_FIELD_NUMBER: _ClassVar[int]
    CONFIDENCE_FIELD_NUMBER: _ClassVar[int]
    CAMERA_ID_FIELD_NUMBER: _ClassVar[int]
    ANOMALIES_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    event_id: int
    person_id: str
    person_name: str
    event_type: EventType
    occurred_at: _timestamp_pb2.Timestamp
    local_date: str
    confidence: float
    camera_id: str
    anomalies: _containers.RepeatedCompositeFieldContainer[Anomaly]
    reason: str
    def __init__(self, event_id: _Optional[int] = ..., person_id: _Optional[str] = ..., person_name: _Optional[str] = ..., event_type: _Optional[_Union[EventType, str]] = ..., occurred_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., local_date: _Optional[str] = ..., confidence: _Optional[float] = ..., camera_id: _Optional[str] = ..., anomalies: _Optional[_Iterable[_Union[Anomaly, _Mapping]]] = ..., reason: _Optional[str] = ...) -> None: ...

class DailySummary(_message.Message):
    __slots__ = ("person_id", "person_name", "local_date", "first_entry_at", "last_exit_at", "entry_count", "exit_count", "hours_worked", "status", "anomaly_count", "open_entry")
    PERSON_ID_FIELD_NUMBER: _ClassVar[int]
    PERSON_NAME_FIELD_NUMBER: _ClassVar[int]
    LOCAL_DATE_FIELD_NUMBER: _ClassVar[int]
    FIRST_ENTRY_AT_FIELD_NUMBER: _ClassVar[int]
    LAST_EXIT_AT_FIELD_NUMBER: _ClassVar[int]
    ENTRY_COUNT_FIELD_NUMBER: _ClassVar[int]
    EXIT_COUNT_FIELD_NUMBER: _ClassVar[int]
    HOURS_WORKED_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    ANOMALY_COUNT_FIELD_NUMBER: _ClassVar[int]
    OPEN_ENTRY_FIELD_NUMBER: _ClassVar[int]
    person_id: str
    person_name: str
    local_date: str
    first_entry_at: _timestamp_pb2.Timestamp
    last_exit_at: _timestamp_pb2.Timestamp
    entry_count: int
    exit_count: int
    hours_worked: float
    status: AttendanceStatus
    anomaly_count: int
    open_entry: bool
    def __init__(self, person_id: _Optional[str] = ..., person_name: _Optional[str] = ..., local_date: _Optional[str] = ..., first_entry_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., last_exit_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., entry_count: _Optional[int] = ..., exit_count: _Optional[int] = ..., hours_worked: _Optional[float] = ..., status: _Optional[_Union[AttendanceStatus, str]] = ..., anomaly_count: _Optional[int] = ..., open_entry: _Optional[bool] = ...) -> None: ...

class NodeConfig(_message.Message):
    __slots__ = ("time_zone", "cooldown_seconds", "work_start_hour", "work_end_hour", "lunch_start_hour", "lunch_end_hour", "lunch_minutes", "min_hours_full_day", "weekend_allowed", "weekend_days", "max_daily_scans", "match_threshold", "liveness_threshold")
    TIME_ZONE_FIELD_NUMBER: _ClassVar[int]
    COOLDOWN_SECONDS_FIELD_NUMBER: _ClassVar[int]
    WORK_START_HOUR_FIELD_NUMBER: _ClassVar[int]
    WORK_END_HOUR_FIELD_NUMBER: _ClassVar[int]
    LUNCH_START_HOUR_FIELD_NUMBER: _ClassVar[int]
    LUNCH_END_HOUR_FIELD_NUMBER: _ClassVar[int]
    LUNCH_MINUTES_FIELD_NUMBER: _ClassVar[int]
    MIN_HOURS_FULL_DAY_FIELD_NUMBER: _ClassVar[int]
    WEEKEND_ALLOWED_FIELD_NUMBER: _ClassVar[int]
    WEEKEND_DAYS_FIELD_NUMBER: _ClassVar[int]
    MAX_DAILY_SCANS_FIELD_NUMBER: _ClassVar[int]
    MATCH_THRESHOLD_FIELD_NUMBER: _ClassVar[int]
    LIVENESS_THRESHOLD_FIELD_NUMBER: _ClassVar[int]
    time_zone: str
    cooldown_seconds: int
    work_start_hour: int
    work_end_hour: int
    lunch_start_hour: int
    lunch_end_hour: int
    lunch_minutes: int
    min_hours_full_day: float
    weekend_allowed: bool
    weekend_days: _containers.RepeatedScalarFieldContainer[int]
    max_daily_scans: int
    match_threshold: float
    liveness_threshold: float
    def __init__(self, time_zone: _Optional[str] = ..., cooldown_seconds: _Optional[int] = ..., work_start_hour: _Optional[int] = ..., work_end_hour: _Optional[int] = ..., lunch_start_hour: _Optional[int] = ..., lunch_end_hour: _Optional[int] = ..., lunch_minutes: _Optional[int] = ..., min_hours_full_day: _Optional[float] = ..., weekend_allowed: _Optional[bool] = ..., weekend_days: _Optional[_Iterable[int]] = ..., max_daily_scans: _Optional[int] = ..., match_threshold: _Optional[float] = ..., liveness_threshold: _Optional[float] = ...) -> None: ...

class UpsertPersonRequest(_message.Message):
    __slots__ = ("person", "create_only", "update_mask")
    PERSON_FIELD_NUMBER: _ClassVar[int]
    CREATE_ONLY_FIELD_NUMBER: _ClassVar[int]
    UPDATE_MASK_FIELD_NUMBER: _ClassVar[int]
    person: Person
    create_only: bool
    update_mask: _field_mask_pb2.FieldMask
    def __init__(self, person: _Optional[_Union[Person, _Mapping]] = ..., create_only: _Optional[bool] = ..., update_mask: _Optional[_Union[_field_mask_pb2.FieldMask, _Mapping]] = ...) -> None: ...

class UpsertPersonResponse(_message.Message):
    __slots__ = ("person", "created")
    PERSON_FIELD_NUMBER: _ClassVar[int]
    CREATED_FIELD_NUMBER: _ClassVar[int]
    person: Person
    created: bool
    def __init__(self, person: _Optional[_Union[Person, _Mapping]] = ..., created: _Optional[bool] = ...) -> None: ...

class GetPersonRequest(_message.Message):
    __slots__ = ("person_id",)
    PERSON_ID_FIELD_NUMBER: _ClassVar[int]
    person_id: str
    def __init__(self, person_id: _Optional[str] = ...) -> None: ...

class GetPersonResponse(_message.Message):
    __slots__ = ("person",)
    PERSON_FIELD_NUMBER: _ClassVar[int]
    person: Person
    def __init__(self, person: _Optional[_Union[Person, _Mapping]] = ...) -> None: ...

class ListPersonsRequest(_message.Message):
    __slots__ = ("page_size", "page_token", "include_inactive")
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    INCLUDE_INACTIVE_FIELD_NUMBER: _ClassVar[int]
    page_size: int
    page_token: str
    include_inactive: bool
    def __init__(self, page_size: _Optional[int] = ..., page_token: _Optional[str] = ..., include_inactive: _Optional[bool] = ...) -> None: ...

class ListPersonsResponse(_message.Message):
    __slots__ = ("persons", "next_page_token", "total_size")
    PERSONS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    TOTAL_SIZE_FIELD_NUMBER: _ClassVar[int]
    persons: _containers.RepeatedCompositeFieldContainer[Person]
    next_page_token: str
    total_size: int
    def __init__(self, persons: _Optional[_Iterable[_Union[Person, _Mapping]]] = ..., next_page_token: _Optional[str] = ..., total_size: _Optional[int] = ...) -> None: ...

class DeletePersonRequest(_message.Message):
    __slots__ = ("person_id",)
    PERSON_ID_FIELD_NUMBER: _ClassVar[int]
    person_id: str
    def __init__(self, person_id: _Optional[str] = ...) -> None: ...

class DeletePersonResponse(_message.Message):
    __slots__ = ("templates_deleted",)
    TEMPLATES_DELETED_FIELD_NUMBER: _ClassVar[int]
    templates_deleted: int
    def __init__(self, templates_deleted: _Optional[int] = ...) -> None: ...

class RecordScanRequest(_message.Message):
    __slots__ = ("person_id", "confidence", "camera_id", "occurred_at")
    PERSON_ID_FIELD_NUMBER: _ClassVar[int]
    CONFIDENCE_FIELD_NUMBER: _ClassVar[int]
    CAMERA_ID_FIELD_NUMBER: _ClassVar[int]
    OCCURRED_AT_FIELD_NUMBER: _ClassVar[int]
    person_id: str
    confidence: float
    camera_id: str
    occurred_at: _timestamp_pb2.Timestamp
    def __init__(self, person_id: _Optional[str] = ..., confidence: _Optional[float] = ..., camera_id: _Optional[str] = ..., occurred_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class RecordScanResponse(_message.Message):
    __slots__ = ("event", "summary")
    EVENT_FIELD_NUMBER: _ClassVar[int]
    SUMMARY_FIELD_NUMBER: _ClassVar[int]
    event: AttendanceEvent
    summary: DailySummary
    def __init__(self, event: _Optional[_Union[AttendanceEvent, _Mapping]] = ..., summary: _Optional[_Union[DailySummary, _Mapping]] = ...) -> None: ...

class ListEventsRequest(_message.Message):
    __slots__ = ("person_id", "start_time", "end_time", "event_types", "anomalies_only", "page_size", "page_token")
    PERSON_ID_FIELD_NUMBER: _ClassVar[int]
    START_TIME_FIELD_NUMBER: _ClassVar[int]
    END_TIME_FIELD_NUMBER: _ClassVar[int]
    EVENT_TYPES_FIELD_NUMBER: _ClassVar[int]
    ANOMALIES_ONLY_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    person_id: str
    start_time: _timestamp_pb2.Timestamp
    end_time: _timestamp_pb2.Timestamp
    event_types: _containers.RepeatedScalarFieldContainer[EventType]
    anomalies_only: bool
    page_size: int
    page_token: str
    def __init__(self, person_id: _Optional[str] = ..., start_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., end_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., event_types: _Optional[_Iterable[_Union[EventType, str]]] = ..., anomalies_only: _Optional[bool] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListEventsResponse(_message.Message):
    __slots__ = ("events", "next_page_token")
    EVENTS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    events: _containers.RepeatedCompositeFieldContainer[AttendanceEvent]
    next_page_token: str
    def __init__(self, events: _Optional[_Iterable[_Union[AttendanceEvent, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class WatchEventsRequest(_message.Message):
    __slots__ = ("person_id", "event_types")
    PERSON_ID_FIELD_NUMBER: _ClassVar[int]
    EVENT_TYPES_FIELD_NUMBER: _ClassVar[int]
    person_id: str
    event_types: _containers.RepeatedScalarFieldContainer[EventType]
    def __init__(self, person_id: _Optional[str] = ..., event_types: _Optional[_Iterable[_Union[EventType, str]]] = ...) -> None: ...

class WatchEventsResponse(_message.Message):
    __slots__ = ("event",)
    EVENT_FIELD_NUMBER: _ClassVar[int]
    event: AttendanceEvent
    def __init__(self, event: _Optional[_Union[AttendanceEvent, _Mapping]] = ...) -> None: ...

class GetDailyReportRequest(_message.Message):
    __slots__ = ("local_date",)
    LOCAL_DATE_FIELD_NUMBER: _ClassVar[int]
    local_date: str
    def __init__(self, local_date: _Optional[str] = ...) -> None: ...

class GetDailyReportResponse(_message.Message):
    __slots__ = ("local_date", "time_zone", "summaries", "present_count", "half_day_count", "absent_count")
    LOCAL_DATE_FIELD_NUMBER: _ClassVar[int]
    TIME_ZONE_FIELD_NUMBER: _ClassVar[int]
    SUMMARIES_FIELD_NUMBER: _ClassVar[int]
    PRESENT_COUNT_FIELD_NUMBER: _ClassVar[int]
    HALF_DAY_COUNT_FIELD_NUMBER: _ClassVar[int]
    ABSENT_COUNT_FIELD_NUMBER: _ClassVar[int]
    local_date: str
    time_zone: str
    summaries: _containers.RepeatedCompositeFieldContainer[DailySummary]
    present_count: int
    half_day_count: int
    absent_count: int
    def __init__(self, local_date: _Optional[str] = ..., time_zone: _Optional[str] = ..., summaries: _Optional[_Iterable[_Union[DailySummary, _Mapping]]] = ..., present_count: _Optional[int] = ..., half_day_count: _Optional[int] = ..., absent_count: _Optional[int] = ...) -> None: ...

class GetConfigRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class GetConfigResponse(_message.Message):
    __slots__ = ("config",)
    CONFIG_FIELD_NUMBER: _ClassVar[int]
    config: NodeConfig
    def __init__(self, config: _Optional[_Union[NodeConfig, _Mapping]] = ...) -> None: ...

class UpdateConfigRequest(_message.Message):
    __slots__ = ("config", "update_mask")
    CONFIG_FIELD_NUMBER: _ClassVar[int]
    UPDATE_MASK_FIELD_NUMBER: _ClassVar[int]
    config: NodeConfig
    update_mask: _field_mask_pb2.FieldMask
    def __init__(self, config: _Optional[_Union[NodeConfig, _Mapping]] = ..., update_mask: _Optional[_Union[_field_mask_pb2.FieldMask, _Mapping]] = ...) -> None: ...

class UpdateConfigResponse(_message.Message):
    __slots__ = ("config",)
    CONFIG_FIELD_NUMBER: _ClassVar[int]
    config: NodeConfig
    def __init__(self, config: _Optional[_Union[NodeConfig, _Mapping]] = ...) -> None: ...
