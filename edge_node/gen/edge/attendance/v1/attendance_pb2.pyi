import datetime

from edge_node.gen.edge.common.v1 import auth_pb2 as _auth_pb2
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
    EVENT_TYPE_PUNCH_ADDED: _ClassVar[EventType]
    EVENT_TYPE_PUNCH_VOIDED: _ClassVar[EventType]
    EVENT_TYPE_PUNCH_MOVED: _ClassVar[EventType]
    EVENT_TYPE_ADMIN: _ClassVar[EventType]
    EVENT_TYPE_PERSON_ERASED: _ClassVar[EventType]

class AnomalyKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    ANOMALY_KIND_UNSPECIFIED: _ClassVar[AnomalyKind]
    ANOMALY_KIND_AFTER_HOURS: _ClassVar[AnomalyKind]
    ANOMALY_KIND_WEEKEND: _ClassVar[AnomalyKind]
    ANOMALY_KIND_EXCESSIVE_SCANS: _ClassVar[AnomalyKind]
    ANOMALY_KIND_LATE: _ClassVar[AnomalyKind]
    ANOMALY_KIND_EARLY_LEAVE: _ClassVar[AnomalyKind]
    ANOMALY_KIND_OVERTIME: _ClassVar[AnomalyKind]
    ANOMALY_KIND_MISSING_EXIT: _ClassVar[AnomalyKind]
    ANOMALY_KIND_ABSENT: _ClassVar[AnomalyKind]
    ANOMALY_KIND_CLOCK_UNSYNCED: _ClassVar[AnomalyKind]
    ANOMALY_KIND_CLOCK_BACKWARDS: _ClassVar[AnomalyKind]
    ANOMALY_KIND_LIVENESS_DOUBT: _ClassVar[AnomalyKind]

class AttendanceStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    ATTENDANCE_STATUS_UNSPECIFIED: _ClassVar[AttendanceStatus]
    ATTENDANCE_STATUS_PRESENT: _ClassVar[AttendanceStatus]
    ATTENDANCE_STATUS_HALF_DAY: _ClassVar[AttendanceStatus]
    ATTENDANCE_STATUS_ABSENT: _ClassVar[AttendanceStatus]

class DayStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    DAY_STATUS_UNSPECIFIED: _ClassVar[DayStatus]
    DAY_STATUS_PRESENT: _ClassVar[DayStatus]
    DAY_STATUS_HALF_DAY: _ClassVar[DayStatus]
    DAY_STATUS_ABSENT: _ClassVar[DayStatus]
    DAY_STATUS_OFF: _ClassVar[DayStatus]
    DAY_STATUS_HOLIDAY: _ClassVar[DayStatus]
    DAY_STATUS_UPCOMING: _ClassVar[DayStatus]
    DAY_STATUS_INCOMPLETE: _ClassVar[DayStatus]
    DAY_STATUS_NOT_EMPLOYED: _ClassVar[DayStatus]

class DayKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    DAY_KIND_UNSPECIFIED: _ClassVar[DayKind]
    DAY_KIND_WORKDAY: _ClassVar[DayKind]
    DAY_KIND_DAY_OFF: _ClassVar[DayKind]
    DAY_KIND_HOLIDAY: _ClassVar[DayKind]
    DAY_KIND_DAY_OFF_WORK: _ClassVar[DayKind]
    DAY_KIND_HOLIDAY_WORK: _ClassVar[DayKind]

class DayException(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    DAY_EXCEPTION_UNSPECIFIED: _ClassVar[DayException]
    DAY_EXCEPTION_MISSING_EXIT: _ClassVar[DayException]
    DAY_EXCEPTION_OPEN: _ClassVar[DayException]
    DAY_EXCEPTION_CORRECTED: _ClassVar[DayException]
    DAY_EXCEPTION_CLOCK_BACKWARDS: _ClassVar[DayException]
    DAY_EXCEPTION_CLOCK_UNSYNCED: _ClassVar[DayException]
    DAY_EXCEPTION_BROKEN_LOG: _ClassVar[DayException]
    DAY_EXCEPTION_PRUNED: _ClassVar[DayException]

class ReviewReason(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    REVIEW_REASON_UNSPECIFIED: _ClassVar[ReviewReason]
    REVIEW_REASON_LOW_LIVENESS_MARGIN: _ClassVar[ReviewReason]
    REVIEW_REASON_LOW_MATCH_MARGIN: _ClassVar[ReviewReason]
    REVIEW_REASON_LEARNED_TEMPLATE: _ClassVar[ReviewReason]
    REVIEW_REASON_LIVENESS_DOUBT: _ClassVar[ReviewReason]
    REVIEW_REASON_CORRECTED: _ClassVar[ReviewReason]
EVENT_TYPE_UNSPECIFIED: EventType
EVENT_TYPE_ENTRY: EventType
EVENT_TYPE_EXIT: EventType
EVENT_TYPE_DUPLICATE: EventType
EVENT_TYPE_REJECTED: EventType
EVENT_TYPE_UNKNOWN_FACE: EventType
EVENT_TYPE_SPOOF: EventType
EVENT_TYPE_PUNCH_ADDED: EventType
EVENT_TYPE_PUNCH_VOIDED: EventType
EVENT_TYPE_PUNCH_MOVED: EventType
EVENT_TYPE_ADMIN: EventType
EVENT_TYPE_PERSON_ERASED: EventType
ANOMALY_KIND_UNSPECIFIED: AnomalyKind
ANOMALY_KIND_AFTER_HOURS: AnomalyKind
ANOMALY_KIND_WEEKEND: AnomalyKind
ANOMALY_KIND_EXCESSIVE_SCANS: AnomalyKind
ANOMALY_KIND_LATE: AnomalyKind
ANOMALY_KIND_EARLY_LEAVE: AnomalyKind
ANOMALY_KIND_OVERTIME: AnomalyKind
ANOMALY_KIND_MISSING_EXIT: AnomalyKind
ANOMALY_KIND_ABSENT: AnomalyKind
ANOMALY_KIND_CLOCK_UNSYNCED: AnomalyKind
ANOMALY_KIND_CLOCK_BACKWARDS: AnomalyKind
ANOMALY_KIND_LIVENESS_DOUBT: AnomalyKind
ATTENDANCE_STATUS_UNSPECIFIED: AttendanceStatus
ATTENDANCE_STATUS_PRESENT: AttendanceStatus
ATTENDANCE_STATUS_HALF_DAY: AttendanceStatus
ATTENDANCE_STATUS_ABSENT: AttendanceStatus
DAY_STATUS_UNSPECIFIED: DayStatus
DAY_STATUS_PRESENT: DayStatus
DAY_STATUS_HALF_DAY: DayStatus
DAY_STATUS_ABSENT: DayStatus
DAY_STATUS_OFF: DayStatus
DAY_STATUS_HOLIDAY: DayStatus
DAY_STATUS_UPCOMING: DayStatus
DAY_STATUS_INCOMPLETE: DayStatus
DAY_STATUS_NOT_EMPLOYED: DayStatus
DAY_KIND_UNSPECIFIED: DayKind
DAY_KIND_WORKDAY: DayKind
DAY_KIND_DAY_OFF: DayKind
DAY_KIND_HOLIDAY: DayKind
DAY_KIND_DAY_OFF_WORK: DayKind
DAY_KIND_HOLIDAY_WORK: DayKind
DAY_EXCEPTION_UNSPECIFIED: DayException
DAY_EXCEPTION_MISSING_EXIT: DayException
DAY_EXCEPTION_OPEN: DayException
DAY_EXCEPTION_CORRECTED: DayException
DAY_EXCEPTION_CLOCK_BACKWARDS: DayException
DAY_EXCEPTION_CLOCK_UNSYNCED: DayException
DAY_EXCEPTION_BROKEN_LOG: DayException
DAY_EXCEPTION_PRUNED: DayException
REVIEW_REASON_UNSPECIFIED: ReviewReason
REVIEW_REASON_LOW_LIVENESS_MARGIN: ReviewReason
REVIEW_REASON_LOW_MATCH_MARGIN: ReviewReason
REVIEW_REASON_LEARNED_TEMPLATE: ReviewReason
REVIEW_REASON_LIVENESS_DOUBT: ReviewReason
REVIEW_REASON_CORRECTED: ReviewReason

class Person(_message.Message):
    __slots__ = ("person_id", "display_name", "active", "created_at", "updated_at", "last_seen_at", "template_count", "employed_from", "employed_until")
    PERSON_ID_FIELD_NUMBER: _ClassVar[int]
    DISPLAY_NAME_FIELD_NUMBER: _ClassVar[int]
    ACTIVE_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    LAST_SEEN_AT_FIELD_NUMBER: _ClassVar[int]
    TEMPLATE_COUNT_FIELD_NUMBER: _ClassVar[int]
    EMPLOYED_FROM_FIELD_NUMBER: _ClassVar[int]
    EMPLOYED_UNTIL_FIELD_NUMBER: _ClassVar[int]
    person_id: str
    display_name: str
    active: bool
    created_at: _timestamp_pb2.Timestamp
    updated_at: _timestamp_pb2.Timestamp
    last_seen_at: _timestamp_pb2.Timestamp
    template_count: int
    employed_from: str
    employed_until: str
    def __init__(self, person_id: _Optional[str] = ..., display_name: _Optional[str] = ..., active: _Optional[bool] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., updated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., last_seen_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., template_count: _Optional[int] = ..., employed_from: _Optional[str] = ..., employed_until: _Optional[str] = ...) -> None: ...

class Anomaly(_message.Message):
    __slots__ = ("kind", "reason")
    KIND_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    kind: AnomalyKind
    reason: str
    def __init__(self, kind: _Optional[_Union[AnomalyKind, str]] = ..., reason: _Optional[str] = ...) -> None: ...

class AttendanceEvent(_message.Message):
    __slots__ = ("event_id", "person_id", "person_name", "event_type", "occurred_at", "local_date", "confidence", "camera_id", "anomalies", "reason", "liveness", "ref_event_id", "actor", "hash")
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
    LIVENESS_FIELD_NUMBER: _ClassVar[int]
    REF_EVENT_ID_FIELD_NUMBER: _ClassVar[int]
    ACTOR_FIELD_NUMBER: _ClassVar[int]
    HASH_FIELD_NUMBER: _ClassVar[int]
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
    liveness: float
    ref_event_id: int
    actor: str
    hash: str
    def __init__(self, event_id: _Optional[int] = ..., person_id: _Optional[str] = ..., person_name: _Optional[str] = ..., event_type: _Optional[_Union[EventType, str]] = ..., occurred_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., local_date: _Optional[str] = ..., confidence: _Optional[float] = ..., camera_id: _Optional[str] = ..., anomalies: _Optional[_Iterable[_Union[Anomaly, _Mapping]]] = ..., reason: _Optional[str] = ..., liveness: _Optional[float] = ..., ref_event_id: _Optional[int] = ..., actor: _Optional[str] = ..., hash: _Optional[str] = ...) -> None: ...

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
    __slots__ = ("time_zone", "cooldown_seconds", "work_start_hour", "work_end_hour", "lunch_start_hour", "lunch_end_hour", "lunch_minutes", "min_hours_full_day", "weekend_allowed", "weekend_days", "max_daily_scans", "box_mode", "match_threshold", "liveness_threshold")
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
    BOX_MODE_FIELD_NUMBER: _ClassVar[int]
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
    box_mode: str
    match_threshold: float
    liveness_threshold: float
    def __init__(self, time_zone: _Optional[str] = ..., cooldown_seconds: _Optional[int] = ..., work_start_hour: _Optional[int] = ..., work_end_hour: _Optional[int] = ..., lunch_start_hour: _Optional[int] = ..., lunch_end_hour: _Optional[int] = ..., lunch_minutes: _Optional[int] = ..., min_hours_full_day: _Optional[float] = ..., weekend_allowed: _Optional[bool] = ..., weekend_days: _Optional[_Iterable[int]] = ..., max_daily_scans: _Optional[int] = ..., box_mode: _Optional[str] = ..., match_threshold: _Optional[float] = ..., liveness_threshold: _Optional[float] = ...) -> None: ...

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
    __slots__ = ("person_id", "confidence", "camera_id", "occurred_at", "liveness")
    PERSON_ID_FIELD_NUMBER: _ClassVar[int]
    CONFIDENCE_FIELD_NUMBER: _ClassVar[int]
    CAMERA_ID_FIELD_NUMBER: _ClassVar[int]
    OCCURRED_AT_FIELD_NUMBER: _ClassVar[int]
    LIVENESS_FIELD_NUMBER: _ClassVar[int]
    person_id: str
    confidence: float
    camera_id: str
    occurred_at: _timestamp_pb2.Timestamp
    liveness: float
    def __init__(self, person_id: _Optional[str] = ..., confidence: _Optional[float] = ..., camera_id: _Optional[str] = ..., occurred_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., liveness: _Optional[float] = ...) -> None: ...

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
    __slots__ = ("local_date", "time_zone", "summaries", "present_count", "half_day_count", "absent_count", "log_verification")
    LOCAL_DATE_FIELD_NUMBER: _ClassVar[int]
    TIME_ZONE_FIELD_NUMBER: _ClassVar[int]
    SUMMARIES_FIELD_NUMBER: _ClassVar[int]
    PRESENT_COUNT_FIELD_NUMBER: _ClassVar[int]
    HALF_DAY_COUNT_FIELD_NUMBER: _ClassVar[int]
    ABSENT_COUNT_FIELD_NUMBER: _ClassVar[int]
    LOG_VERIFICATION_FIELD_NUMBER: _ClassVar[int]
    local_date: str
    time_zone: str
    summaries: _containers.RepeatedCompositeFieldContainer[DailySummary]
    present_count: int
    half_day_count: int
    absent_count: int
    log_verification: VerifyLogResponse
    def __init__(self, local_date: _Optional[str] = ..., time_zone: _Optional[str] = ..., summaries: _Optional[_Iterable[_Union[DailySummary, _Mapping]]] = ..., present_count: _Optional[int] = ..., half_day_count: _Optional[int] = ..., absent_count: _Optional[int] = ..., log_verification: _Optional[_Union[VerifyLogResponse, _Mapping]] = ...) -> None: ...

class GetConfigRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class GetConfigResponse(_message.Message):
    __slots__ = ("config",)
    CONFIG_FIELD_NUMBER: _ClassVar[int]
    config: NodeConfig
    def __init__(self, config: _Optional[_Union[NodeConfig, _Mapping]] = ...) -> None: ...

class UpdateConfigRequest(_message.Message):
    __slots__ = ("config", "update_mask", "effective_from", "actor")
    CONFIG_FIELD_NUMBER: _ClassVar[int]
    UPDATE_MASK_FIELD_NUMBER: _ClassVar[int]
    EFFECTIVE_FROM_FIELD_NUMBER: _ClassVar[int]
    ACTOR_FIELD_NUMBER: _ClassVar[int]
    config: NodeConfig
    update_mask: _field_mask_pb2.FieldMask
    effective_from: str
    actor: str
    def __init__(self, config: _Optional[_Union[NodeConfig, _Mapping]] = ..., update_mask: _Optional[_Union[_field_mask_pb2.FieldMask, _Mapping]] = ..., effective_from: _Optional[str] = ..., actor: _Optional[str] = ...) -> None: ...

class UpdateConfigResponse(_message.Message):
    __slots__ = ("config",)
    CONFIG_FIELD_NUMBER: _ClassVar[int]
    config: NodeConfig
    def __init__(self, config: _Optional[_Union[NodeConfig, _Mapping]] = ...) -> None: ...

class AddPunchRequest(_message.Message):
    __slots__ = ("person_id", "occurred_at", "reason", "actor")
    PERSON_ID_FIELD_NUMBER: _ClassVar[int]
    OCCURRED_AT_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    ACTOR_FIELD_NUMBER: _ClassVar[int]
    person_id: str
    occurred_at: _timestamp_pb2.Timestamp
    reason: str
    actor: str
    def __init__(self, person_id: _Optional[str] = ..., occurred_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., reason: _Optional[str] = ..., actor: _Optional[str] = ...) -> None: ...

class AddPunchResponse(_message.Message):
    __slots__ = ("event",)
    EVENT_FIELD_NUMBER: _ClassVar[int]
    event: AttendanceEvent
    def __init__(self, event: _Optional[_Union[AttendanceEvent, _Mapping]] = ...) -> None: ...

class VoidPunchRequest(_message.Message):
    __slots__ = ("event_id", "reason", "actor")
    EVENT_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    ACTOR_FIELD_NUMBER: _ClassVar[int]
    event_id: int
    reason: str
    actor: str
    def __init__(self, event_id: _Optional[int] = ..., reason: _Optional[str] = ..., actor: _Optional[str] = ...) -> None: ...

class VoidPunchResponse(_message.Message):
    __slots__ = ("event", "learned_templates_removed")
    EVENT_FIELD_NUMBER: _ClassVar[int]
    LEARNED_TEMPLATES_REMOVED_FIELD_NUMBER: _ClassVar[int]
    event: AttendanceEvent
    learned_templates_removed: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, event: _Optional[_Union[AttendanceEvent, _Mapping]] = ..., learned_templates_removed: _Optional[_Iterable[str]] = ...) -> None: ...

class MovePunchRequest(_message.Message):
    __slots__ = ("event_id", "to_person_id", "reason", "actor", "to_time")
    EVENT_ID_FIELD_NUMBER: _ClassVar[int]
    TO_PERSON_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    ACTOR_FIELD_NUMBER: _ClassVar[int]
    TO_TIME_FIELD_NUMBER: _ClassVar[int]
    event_id: int
    to_person_id: str
    reason: str
    actor: str
    to_time: _timestamp_pb2.Timestamp
    def __init__(self, event_id: _Optional[int] = ..., to_person_id: _Optional[str] = ..., reason: _Optional[str] = ..., actor: _Optional[str] = ..., to_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class MovePunchResponse(_message.Message):
    __slots__ = ("event", "learned_templates_removed")
    EVENT_FIELD_NUMBER: _ClassVar[int]
    LEARNED_TEMPLATES_REMOVED_FIELD_NUMBER: _ClassVar[int]
    event: AttendanceEvent
    learned_templates_removed: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, event: _Optional[_Union[AttendanceEvent, _Mapping]] = ..., learned_templates_removed: _Optional[_Iterable[str]] = ...) -> None: ...

class TimecardDay(_message.Message):
    __slots__ = ("date", "shift", "status", "first_in", "last_out", "worked_hours", "break_hours", "late_minutes", "early_leave_minutes", "overtime_hours", "flags", "punches", "corrections", "is_in", "sources", "day_kind", "scheduled_start", "scheduled_end", "scheduled_paid_minutes", "scheduled_paid_hours", "punch_times", "worked_minutes", "break_minutes", "break_deducted_minutes", "break_deducted_hours", "paid_minutes", "paid_hours", "overtime_minutes", "exceptions", "time_zone", "correction_notes")
    DATE_FIELD_NUMBER: _ClassVar[int]
    SHIFT_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    FIRST_IN_FIELD_NUMBER: _ClassVar[int]
    LAST_OUT_FIELD_NUMBER: _ClassVar[int]
    WORKED_HOURS_FIELD_NUMBER: _ClassVar[int]
    BREAK_HOURS_FIELD_NUMBER: _ClassVar[int]
    LATE_MINUTES_FIELD_NUMBER: _ClassVar[int]
    EARLY_LEAVE_MINUTES_FIELD_NUMBER: _ClassVar[int]
    OVERTIME_HOURS_FIELD_NUMBER: _ClassVar[int]
    FLAGS_FIELD_NUMBER: _ClassVar[int]
    PUNCHES_FIELD_NUMBER: _ClassVar[int]
    CORRECTIONS_FIELD_NUMBER: _ClassVar[int]
    IS_IN_FIELD_NUMBER: _ClassVar[int]
    SOURCES_FIELD_NUMBER: _ClassVar[int]
    DAY_KIND_FIELD_NUMBER: _ClassVar[int]
    SCHEDULED_START_FIELD_NUMBER: _ClassVar[int]
    SCHEDULED_END_FIELD_NUMBER: _ClassVar[int]
    SCHEDULED_PAID_MINUTES_FIELD_NUMBER: _ClassVar[int]
    SCHEDULED_PAID_HOURS_FIELD_NUMBER: _ClassVar[int]
    PUNCH_TIMES_FIELD_NUMBER: _ClassVar[int]
    WORKED_MINUTES_FIELD_NUMBER: _ClassVar[int]
    BREAK_MINUTES_FIELD_NUMBER: _ClassVar[int]
    BREAK_DEDUCTED_MINUTES_FIELD_NUMBER: _ClassVar[int]
    BREAK_DEDUCTED_HOURS_FIELD_NUMBER: _ClassVar[int]
    PAID_MINUTES_FIELD_NUMBER: _ClassVar[int]
    PAID_HOURS_FIELD_NUMBER: _ClassVar[int]
    OVERTIME_MINUTES_FIELD_NUMBER: _ClassVar[int]
    EXCEPTIONS_FIELD_NUMBER: _ClassVar[int]
    TIME_ZONE_FIELD_NUMBER: _ClassVar[int]
    CORRECTION_NOTES_FIELD_NUMBER: _ClassVar[int]
    date: str
    shift: str
    status: DayStatus
    first_in: _timestamp_pb2.Timestamp
    last_out: _timestamp_pb2.Timestamp
    worked_hours: float
    break_hours: float
    late_minutes: int
    early_leave_minutes: int
    overtime_hours: float
    flags: _containers.RepeatedScalarFieldContainer[AnomalyKind]
    punches: int
    corrections: int
    is_in: bool
    sources: _containers.RepeatedScalarFieldContainer[str]
    day_kind: DayKind
    scheduled_start: _timestamp_pb2.Timestamp
    scheduled_end: _timestamp_pb2.Timestamp
    scheduled_paid_minutes: int
    scheduled_paid_hours: float
    punch_times: _containers.RepeatedCompositeFieldContainer[_timestamp_pb2.Timestamp]
    worked_minutes: int
    break_minutes: int
    break_deducted_minutes: int
    break_deducted_hours: float
    paid_minutes: int
    paid_hours: float
    overtime_minutes: int
    exceptions: _containers.RepeatedScalarFieldContainer[DayException]
    time_zone: str
    correction_notes: _containers.RepeatedCompositeFieldContainer[CorrectionNote]
    def __init__(self, date: _Optional[str] = ..., shift: _Optional[str] = ..., status: _Optional[_Union[DayStatus, str]] = ..., first_in: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., last_out: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., worked_hours: _Optional[float] = ..., break_hours: _Optional[float] = ..., late_minutes: _Optional[int] = ..., early_leave_minutes: _Optional[int] = ..., overtime_hours: _Optional[float] = ..., flags: _Optional[_Iterable[_Union[AnomalyKind, str]]] = ..., punches: _Optional[int] = ..., corrections: _Optional[int] = ..., is_in: _Optional[bool] = ..., sources: _Optional[_Iterable[str]] = ..., day_kind: _Optional[_Union[DayKind, str]] = ..., scheduled_start: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., scheduled_end: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., scheduled_paid_minutes: _Optional[int] = ..., scheduled_paid_hours: _Optional[float] = ..., punch_times: _Optional[_Iterable[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]]] = ..., worked_minutes: _Optional[int] = ..., break_minutes: _Optional[int] = ..., break_deducted_minutes: _Optional[int] = ..., break_deducted_hours: _Optional[float] = ..., paid_minutes: _Optional[int] = ..., paid_hours: _Optional[float] = ..., overtime_minutes: _Optional[int] = ..., exceptions: _Optional[_Iterable[_Union[DayException, str]]] = ..., time_zone: _Optional[str] = ..., correction_notes: _Optional[_Iterable[_Union[CorrectionNote, _Mapping]]] = ...) -> None: ...

class CorrectionNote(_message.Message):
    __slots__ = ("event_id", "event_type", "occurred_at", "reason", "actor")
    EVENT_ID_FIELD_NUMBER: _ClassVar[int]
    EVENT_TYPE_FIELD_NUMBER: _ClassVar[int]
    OCCURRED_AT_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    ACTOR_FIELD_NUMBER: _ClassVar[int]
    event_id: int
    event_type: EventType
    occurred_at: _timestamp_pb2.Timestamp
    reason: str
    actor: str
    def __init__(self, event_id: _Optional[int] = ..., event_type: _Optional[_Union[EventType, str]] = ..., occurred_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., reason: _Optional[str] = ..., actor: _Optional[str] = ...) -> None: ...

class TimecardTotals(_message.Message):
    __slots__ = ("worked_hours", "break_hours", "overtime_hours", "late_minutes", "early_leave_minutes", "present_days", "half_days", "absent_days", "scheduled_paid_hours", "break_deducted_hours", "paid_hours", "scheduled_paid_minutes", "worked_minutes", "break_minutes", "break_deducted_minutes", "paid_minutes", "overtime_minutes", "incomplete_days")
    WORKED_HOURS_FIELD_NUMBER: _ClassVar[int]
    BREAK_HOURS_FIELD_NUMBER: _ClassVar[int]
    OVERTIME_HOURS_FIELD_NUMBER: _ClassVar[int]
    LATE_MINUTES_FIELD_NUMBER: _ClassVar[int]
    EARLY_LEAVE_MINUTES_FIELD_NUMBER: _ClassVar[int]
    PRESENT_DAYS_FIELD_NUMBER: _ClassVar[int]
    HALF_DAYS_FIELD_NUMBER: _ClassVar[int]
    ABSENT_DAYS_FIELD_NUMBER: _ClassVar[int]
    SCHEDULED_PAID_HOURS_FIELD_NUMBER: _ClassVar[int]
    BREAK_DEDUCTED_HOURS_FIELD_NUMBER: _ClassVar[int]
    PAID_HOURS_FIELD_NUMBER: _ClassVar[int]
    SCHEDULED_PAID_MINUTES_FIELD_NUMBER: _ClassVar[int]
    WORKED_MINUTES_FIELD_NUMBER: _ClassVar[int]
    BREAK_MINUTES_FIELD_NUMBER: _ClassVar[int]
    BREAK_DEDUCTED_MINUTES_FIELD_NUMBER: _ClassVar[int]
    PAID_MINUTES_FIELD_NUMBER: _ClassVar[int]
    OVERTIME_MINUTES_FIELD_NUMBER: _ClassVar[int]
    INCOMPLETE_DAYS_FIELD_NUMBER: _ClassVar[int]
    worked_hours: float
    break_hours: float
    overtime_hours: float
    late_minutes: int
    early_leave_minutes: int
    present_days: int
    half_days: int
    absent_days: int
    scheduled_paid_hours: float
    break_deducted_hours: float
    paid_hours: float
    scheduled_paid_minutes: int
    worked_minutes: int
    break_minutes: int
    break_deducted_minutes: int
    paid_minutes: int
    overtime_minutes: int
    incomplete_days: int
    def __init__(self, worked_hours: _Optional[float] = ..., break_hours: _Optional[float] = ..., overtime_hours: _Optional[float] = ..., late_minutes: _Optional[int] = ..., early_leave_minutes: _Optional[int] = ..., present_days: _Optional[int] = ..., half_days: _Optional[int] = ..., absent_days: _Optional[int] = ..., scheduled_paid_hours: _Optional[float] = ..., break_deducted_hours: _Optional[float] = ..., paid_hours: _Optional[float] = ..., scheduled_paid_minutes: _Optional[int] = ..., worked_minutes: _Optional[int] = ..., break_minutes: _Optional[int] = ..., break_deducted_minutes: _Optional[int] = ..., paid_minutes: _Optional[int] = ..., overtime_minutes: _Optional[int] = ..., incomplete_days: _Optional[int] = ...) -> None: ...

class Timecard(_message.Message):
    __slots__ = ("person_id", "person_name", "days", "totals")
    PERSON_ID_FIELD_NUMBER: _ClassVar[int]
    PERSON_NAME_FIELD_NUMBER: _ClassVar[int]
    DAYS_FIELD_NUMBER: _ClassVar[int]
    TOTALS_FIELD_NUMBER: _ClassVar[int]
    person_id: str
    person_name: str
    days: _containers.RepeatedCompositeFieldContainer[TimecardDay]
    totals: TimecardTotals
    def __init__(self, person_id: _Optional[str] = ..., person_name: _Optional[str] = ..., days: _Optional[_Iterable[_Union[TimecardDay, _Mapping]]] = ..., totals: _Optional[_Union[TimecardTotals, _Mapping]] = ...) -> None: ...

class GetTimecardsRequest(_message.Message):
    __slots__ = ("from_date", "to_date", "person_id", "include_unenrolled")
    FROM_DATE_FIELD_NUMBER: _ClassVar[int]
    TO_DATE_FIELD_NUMBER: _ClassVar[int]
    PERSON_ID_FIELD_NUMBER: _ClassVar[int]
    INCLUDE_UNENROLLED_FIELD_NUMBER: _ClassVar[int]
    from_date: str
    to_date: str
    person_id: str
    include_unenrolled: bool
    def __init__(self, from_date: _Optional[str] = ..., to_date: _Optional[str] = ..., person_id: _Optional[str] = ..., include_unenrolled: _Optional[bool] = ...) -> None: ...

class GetTimecardsResponse(_message.Message):
    __slots__ = ("time_zone", "timecards", "log_verification")
    TIME_ZONE_FIELD_NUMBER: _ClassVar[int]
    TIMECARDS_FIELD_NUMBER: _ClassVar[int]
    LOG_VERIFICATION_FIELD_NUMBER: _ClassVar[int]
    time_zone: str
    timecards: _containers.RepeatedCompositeFieldContainer[Timecard]
    log_verification: VerifyLogResponse
    def __init__(self, time_zone: _Optional[str] = ..., timecards: _Optional[_Iterable[_Union[Timecard, _Mapping]]] = ..., log_verification: _Optional[_Union[VerifyLogResponse, _Mapping]] = ...) -> None: ...

class GetWhoIsInRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class PersonIn(_message.Message):
    __slots__ = ("person_id", "person_name", "since", "shift")
    PERSON_ID_FIELD_NUMBER: _ClassVar[int]
    PERSON_NAME_FIELD_NUMBER: _ClassVar[int]
    SINCE_FIELD_NUMBER: _ClassVar[int]
    SHIFT_FIELD_NUMBER: _ClassVar[int]
    person_id: str
    person_name: str
    since: _timestamp_pb2.Timestamp
    shift: str
    def __init__(self, person_id: _Optional[str] = ..., person_name: _Optional[str] = ..., since: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., shift: _Optional[str] = ...) -> None: ...

class GetWhoIsInResponse(_message.Message):
    __slots__ = ("persons",)
    PERSONS_FIELD_NUMBER: _ClassVar[int]
    persons: _containers.RepeatedCompositeFieldContainer[PersonIn]
    def __init__(self, persons: _Optional[_Iterable[_Union[PersonIn, _Mapping]]] = ...) -> None: ...

class Shift(_message.Message):
    __slots__ = ("name", "start_minute", "end_minute", "grace_late_minutes", "grace_early_minutes", "lunch_start_minute", "lunch_end_minute", "lunch_minutes", "min_hours_present", "window_before_minutes", "window_after_minutes", "tracked")
    NAME_FIELD_NUMBER: _ClassVar[int]
    START_MINUTE_FIELD_NUMBER: _ClassVar[int]
    END_MINUTE_FIELD_NUMBER: _ClassVar[int]
    GRACE_LATE_MINUTES_FIELD_NUMBER: _ClassVar[int]
    GRACE_EARLY_MINUTES_FIELD_NUMBER: _ClassVar[int]
    LUNCH_START_MINUTE_FIELD_NUMBER: _ClassVar[int]
    LUNCH_END_MINUTE_FIELD_NUMBER: _ClassVar[int]
    LUNCH_MINUTES_FIELD_NUMBER: _ClassVar[int]
    MIN_HOURS_PRESENT_FIELD_NUMBER: _ClassVar[int]
    WINDOW_BEFORE_MINUTES_FIELD_NUMBER: _ClassVar[int]
    WINDOW_AFTER_MINUTES_FIELD_NUMBER: _ClassVar[int]
    TRACKED_FIELD_NUMBER: _ClassVar[int]
    name: str
    start_minute: int
    end_minute: int
    grace_late_minutes: int
    grace_early_minutes: int
    lunch_start_minute: int
    lunch_end_minute: int
    lunch_minutes: int
    min_hours_present: float
    window_before_minutes: int
    window_after_minutes: int
    tracked: bool
    def __init__(self, name: _Optional[str] = ..., start_minute: _Optional[int] = ..., end_minute: _Optional[int] = ..., grace_late_minutes: _Optional[int] = ..., grace_early_minutes: _Optional[int] = ..., lunch_start_minute: _Optional[int] = ..., lunch_end_minute: _Optional[int] = ..., lunch_minutes: _Optional[int] = ..., min_hours_present: _Optional[float] = ..., window_before_minutes: _Optional[int] = ..., window_after_minutes: _Optional[int] = ..., tracked: _Optional[bool] = ...) -> None: ...

class WeeklyPattern(_message.Message):
    __slots__ = ("name", "days")
    NAME_FIELD_NUMBER: _ClassVar[int]
    DAYS_FIELD_NUMBER: _ClassVar[int]
    name: str
    days: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, name: _Optional[str] = ..., days: _Optional[_Iterable[str]] = ...) -> None: ...

class Schedule(_message.Message):
    __slots__ = ("shifts", "patterns", "default_pattern", "person_patterns", "group_patterns", "person_groups", "holidays", "pay", "overtime", "day_off_shift")
    class PersonPatternsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    class GroupPatternsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    class PersonGroupsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    SHIFTS_FIELD_NUMBER: _ClassVar[int]
    PATTERNS_FIELD_NUMBER: _ClassVar[int]
    DEFAULT_PATTERN_FIELD_NUMBER: _ClassVar[int]
    PERSON_PATTERNS_FIELD_NUMBER: _ClassVar[int]
    GROUP_PATTERNS_FIELD_NUMBER: _ClassVar[int]
    PERSON_GROUPS_FIELD_NUMBER: _ClassVar[int]
    HOLIDAYS_FIELD_NUMBER: _ClassVar[int]
    PAY_FIELD_NUMBER: _ClassVar[int]
    OVERTIME_FIELD_NUMBER: _ClassVar[int]
    DAY_OFF_SHIFT_FIELD_NUMBER: _ClassVar[int]
    shifts: _containers.RepeatedCompositeFieldContainer[Shift]
    patterns: _containers.RepeatedCompositeFieldContainer[WeeklyPattern]
    default_pattern: str
    person_patterns: _containers.ScalarMap[str, str]
    group_patterns: _containers.ScalarMap[str, str]
    person_groups: _containers.ScalarMap[str, str]
    holidays: _containers.RepeatedScalarFieldContainer[str]
    pay: PayRules
    overtime: OvertimeRule
    day_off_shift: str
    def __init__(self, shifts: _Optional[_Iterable[_Union[Shift, _Mapping]]] = ..., patterns: _Optional[_Iterable[_Union[WeeklyPattern, _Mapping]]] = ..., default_pattern: _Optional[str] = ..., person_patterns: _Optional[_Mapping[str, str]] = ..., group_patterns: _Optional[_Mapping[str, str]] = ..., person_groups: _Optional[_Mapping[str, str]] = ..., holidays: _Optional[_Iterable[str]] = ..., pay: _Optional[_Union[PayRules, _Mapping]] = ..., overtime: _Optional[_Union[OvertimeRule, _Mapping]] = ..., day_off_shift: _Optional[str] = ...) -> None: ...

class PayRules(_message.Message):
    __slots__ = ("time_zone", "work_start_hour", "work_end_hour", "lunch_start_hour", "lunch_end_hour", "lunch_minutes", "min_hours_full_day", "weekend_allowed", "weekend_days")
    TIME_ZONE_FIELD_NUMBER: _ClassVar[int]
    WORK_START_HOUR_FIELD_NUMBER: _ClassVar[int]
    WORK_END_HOUR_FIELD_NUMBER: _ClassVar[int]
    LUNCH_START_HOUR_FIELD_NUMBER: _ClassVar[int]
    LUNCH_END_HOUR_FIELD_NUMBER: _ClassVar[int]
    LUNCH_MINUTES_FIELD_NUMBER: _ClassVar[int]
    MIN_HOURS_FULL_DAY_FIELD_NUMBER: _ClassVar[int]
    WEEKEND_ALLOWED_FIELD_NUMBER: _ClassVar[int]
    WEEKEND_DAYS_FIELD_NUMBER: _ClassVar[int]
    time_zone: str
    work_start_hour: int
    work_end_hour: int
    lunch_start_hour: int
    lunch_end_hour: int
    lunch_minutes: int
    min_hours_full_day: float
    weekend_allowed: bool
    weekend_days: _containers.RepeatedScalarFieldContainer[int]
    def __init__(self, time_zone: _Optional[str] = ..., work_start_hour: _Optional[int] = ..., work_end_hour: _Optional[int] = ..., lunch_start_hour: _Optional[int] = ..., lunch_end_hour: _Optional[int] = ..., lunch_minutes: _Optional[int] = ..., min_hours_full_day: _Optional[float] = ..., weekend_allowed: _Optional[bool] = ..., weekend_days: _Optional[_Iterable[int]] = ...) -> None: ...

class OvertimeRule(_message.Message):
    __slots__ = ("daily_threshold_minutes", "weekly_threshold_minutes", "round_minutes")
    DAILY_THRESHOLD_MINUTES_FIELD_NUMBER: _ClassVar[int]
    WEEKLY_THRESHOLD_MINUTES_FIELD_NUMBER: _ClassVar[int]
    ROUND_MINUTES_FIELD_NUMBER: _ClassVar[int]
    daily_threshold_minutes: int
    weekly_threshold_minutes: int
    round_minutes: int
    def __init__(self, daily_threshold_minutes: _Optional[int] = ..., weekly_threshold_minutes: _Optional[int] = ..., round_minutes: _Optional[int] = ...) -> None: ...

class ScheduleVersion(_message.Message):
    __slots__ = ("version", "effective_from", "schedule", "actor", "recorded_at")
    VERSION_FIELD_NUMBER: _ClassVar[int]
    EFFECTIVE_FROM_FIELD_NUMBER: _ClassVar[int]
    SCHEDULE_FIELD_NUMBER: _ClassVar[int]
    ACTOR_FIELD_NUMBER: _ClassVar[int]
    RECORDED_AT_FIELD_NUMBER: _ClassVar[int]
    version: int
    effective_from: str
    schedule: Schedule
    actor: str
    recorded_at: _timestamp_pb2.Timestamp
    def __init__(self, version: _Optional[int] = ..., effective_from: _Optional[str] = ..., schedule: _Optional[_Union[Schedule, _Mapping]] = ..., actor: _Optional[str] = ..., recorded_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class GetScheduleRequest(_message.Message):
    __slots__ = ("at", "history")
    AT_FIELD_NUMBER: _ClassVar[int]
    HISTORY_FIELD_NUMBER: _ClassVar[int]
    at: str
    history: bool
    def __init__(self, at: _Optional[str] = ..., history: _Optional[bool] = ...) -> None: ...

class GetScheduleResponse(_message.Message):
    __slots__ = ("schedule", "version", "versions")
    SCHEDULE_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    VERSIONS_FIELD_NUMBER: _ClassVar[int]
    schedule: Schedule
    version: ScheduleVersion
    versions: _containers.RepeatedCompositeFieldContainer[ScheduleVersion]
    def __init__(self, schedule: _Optional[_Union[Schedule, _Mapping]] = ..., version: _Optional[_Union[ScheduleVersion, _Mapping]] = ..., versions: _Optional[_Iterable[_Union[ScheduleVersion, _Mapping]]] = ...) -> None: ...

class UpdateScheduleRequest(_message.Message):
    __slots__ = ("schedule", "actor", "effective_from")
    SCHEDULE_FIELD_NUMBER: _ClassVar[int]
    ACTOR_FIELD_NUMBER: _ClassVar[int]
    EFFECTIVE_FROM_FIELD_NUMBER: _ClassVar[int]
    schedule: Schedule
    actor: str
    effective_from: str
    def __init__(self, schedule: _Optional[_Union[Schedule, _Mapping]] = ..., actor: _Optional[str] = ..., effective_from: _Optional[str] = ...) -> None: ...

class UpdateScheduleResponse(_message.Message):
    __slots__ = ("schedule", "version")
    SCHEDULE_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    schedule: Schedule
    version: ScheduleVersion
    def __init__(self, schedule: _Optional[_Union[Schedule, _Mapping]] = ..., version: _Optional[_Union[ScheduleVersion, _Mapping]] = ...) -> None: ...

class VerifyLogRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class VerifyLogResponse(_message.Message):
    __slots__ = ("ok", "checked", "head", "broken_event_id", "problem")
    OK_FIELD_NUMBER: _ClassVar[int]
    CHECKED_FIELD_NUMBER: _ClassVar[int]
    HEAD_FIELD_NUMBER: _ClassVar[int]
    BROKEN_EVENT_ID_FIELD_NUMBER: _ClassVar[int]
    PROBLEM_FIELD_NUMBER: _ClassVar[int]
    ok: bool
    checked: int
    head: str
    broken_event_id: int
    problem: str
    def __init__(self, ok: _Optional[bool] = ..., checked: _Optional[int] = ..., head: _Optional[str] = ..., broken_event_id: _Optional[int] = ..., problem: _Optional[str] = ...) -> None: ...

class ErasePersonRequest(_message.Message):
    __slots__ = ("person_id", "reason", "actor")
    PERSON_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    ACTOR_FIELD_NUMBER: _ClassVar[int]
    person_id: str
    reason: str
    actor: str
    def __init__(self, person_id: _Optional[str] = ..., reason: _Optional[str] = ..., actor: _Optional[str] = ...) -> None: ...

class ErasePersonResponse(_message.Message):
    __slots__ = ("event", "events_anonymised")
    EVENT_FIELD_NUMBER: _ClassVar[int]
    EVENTS_ANONYMISED_FIELD_NUMBER: _ClassVar[int]
    event: AttendanceEvent
    events_anonymised: int
    def __init__(self, event: _Optional[_Union[AttendanceEvent, _Mapping]] = ..., events_anonymised: _Optional[int] = ...) -> None: ...

class ListPunchReviewsRequest(_message.Message):
    __slots__ = ("start_time", "end_time", "include_reviewed", "without_crops", "event_id")
    START_TIME_FIELD_NUMBER: _ClassVar[int]
    END_TIME_FIELD_NUMBER: _ClassVar[int]
    INCLUDE_REVIEWED_FIELD_NUMBER: _ClassVar[int]
    WITHOUT_CROPS_FIELD_NUMBER: _ClassVar[int]
    EVENT_ID_FIELD_NUMBER: _ClassVar[int]
    start_time: _timestamp_pb2.Timestamp
    end_time: _timestamp_pb2.Timestamp
    include_reviewed: bool
    without_crops: bool
    event_id: int
    def __init__(self, start_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., end_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., include_reviewed: _Optional[bool] = ..., without_crops: _Optional[bool] = ..., event_id: _Optional[int] = ...) -> None: ...

class PunchReview(_message.Message):
    __slots__ = ("event", "reasons", "match_margin", "runner_up_margin", "liveness_margin", "crop_jpeg", "has_crop", "reviewed_at", "reviewed_by", "review_note")
    EVENT_FIELD_NUMBER: _ClassVar[int]
    REASONS_FIELD_NUMBER: _ClassVar[int]
    MATCH_MARGIN_FIELD_NUMBER: _ClassVar[int]
    RUNNER_UP_MARGIN_FIELD_NUMBER: _ClassVar[int]
    LIVENESS_MARGIN_FIELD_NUMBER: _ClassVar[int]
    CROP_JPEG_FIELD_NUMBER: _ClassVar[int]
    HAS_CROP_FIELD_NUMBER: _ClassVar[int]
    REVIEWED_AT_FIELD_NUMBER: _ClassVar[int]
    REVIEWED_BY_FIELD_NUMBER: _ClassVar[int]
    REVIEW_NOTE_FIELD_NUMBER: _ClassVar[int]
    event: AttendanceEvent
    reasons: _containers.RepeatedScalarFieldContainer[ReviewReason]
    match_margin: float
    runner_up_margin: float
    liveness_margin: float
    crop_jpeg: bytes
    has_crop: bool
    reviewed_at: _timestamp_pb2.Timestamp
    reviewed_by: str
    review_note: str
    def __init__(self, event: _Optional[_Union[AttendanceEvent, _Mapping]] = ..., reasons: _Optional[_Iterable[_Union[ReviewReason, str]]] = ..., match_margin: _Optional[float] = ..., runner_up_margin: _Optional[float] = ..., liveness_margin: _Optional[float] = ..., crop_jpeg: _Optional[bytes] = ..., has_crop: _Optional[bool] = ..., reviewed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., reviewed_by: _Optional[str] = ..., review_note: _Optional[str] = ...) -> None: ...

class ListPunchReviewsResponse(_message.Message):
    __slots__ = ("reviews", "truncated")
    REVIEWS_FIELD_NUMBER: _ClassVar[int]
    TRUNCATED_FIELD_NUMBER: _ClassVar[int]
    reviews: _containers.RepeatedCompositeFieldContainer[PunchReview]
    truncated: bool
    def __init__(self, reviews: _Optional[_Iterable[_Union[PunchReview, _Mapping]]] = ..., truncated: _Optional[bool] = ...) -> None: ...

class MarkPunchReviewedRequest(_message.Message):
    __slots__ = ("event_id", "note")
    EVENT_ID_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    event_id: int
    note: str
    def __init__(self, event_id: _Optional[int] = ..., note: _Optional[str] = ...) -> None: ...

class MarkPunchReviewedResponse(_message.Message):
    __slots__ = ("review", "audit_event")
    REVIEW_FIELD_NUMBER: _ClassVar[int]
    AUDIT_EVENT_FIELD_NUMBER: _ClassVar[int]
    review: PunchReview
    audit_event: AttendanceEvent
    def __init__(self, review: _Optional[_Union[PunchReview, _Mapping]] = ..., audit_event: _Optional[_Union[AttendanceEvent, _Mapping]] = ...) -> None: ...
