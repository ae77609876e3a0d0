import datetime

from edge_node.gen.edge.attendance.v1 import attendance_pb2 as _attendance_pb2
from edge_node.gen.edge.common.v1 import auth_pb2 as _auth_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class RosterEntity(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    ROSTER_ENTITY_UNSPECIFIED: _ClassVar[RosterEntity]
    ROSTER_ENTITY_PERSON: _ClassVar[RosterEntity]
    ROSTER_ENTITY_TEMPLATE: _ClassVar[RosterEntity]

class RosterOp(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    ROSTER_OP_UNSPECIFIED: _ClassVar[RosterOp]
    ROSTER_OP_UPSERT: _ClassVar[RosterOp]
    ROSTER_OP_DELETE: _ClassVar[RosterOp]

class TemplateKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    TEMPLATE_KIND_UNSPECIFIED: _ClassVar[TemplateKind]
    TEMPLATE_KIND_PHOTO: _ClassVar[TemplateKind]
    TEMPLATE_KIND_CAMERA: _ClassVar[TemplateKind]
    TEMPLATE_KIND_LEARNED: _ClassVar[TemplateKind]
ROSTER_ENTITY_UNSPECIFIED: RosterEntity
ROSTER_ENTITY_PERSON: RosterEntity
ROSTER_ENTITY_TEMPLATE: RosterEntity
ROSTER_OP_UNSPECIFIED: RosterOp
ROSTER_OP_UPSERT: RosterOp
ROSTER_OP_DELETE: RosterOp
TEMPLATE_KIND_UNSPECIFIED: TemplateKind
TEMPLATE_KIND_PHOTO: TemplateKind
TEMPLATE_KIND_CAMERA: TemplateKind
TEMPLATE_KIND_LEARNED: TemplateKind

class SyncEvent(_message.Message):
    __slots__ = ("seq", "person_id", "person_name", "event_type", "occurred_at", "local_date", "confidence", "camera_id", "anomalies", "reason", "liveness", "ref_seq", "actor", "prev_hash", "hash")
    SEQ_FIELD_NUMBER: _ClassVar[int]
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
    REF_SEQ_FIELD_NUMBER: _ClassVar[int]
    ACTOR_FIELD_NUMBER: _ClassVar[int]
    PREV_HASH_FIELD_NUMBER: _ClassVar[int]
    HASH_FIELD_NUMBER: _ClassVar[int]
    seq: int
    person_id: str
    person_name: str
    event_type: _attendance_pb2.EventType
    occurred_at: _timestamp_pb2.Timestamp
    local_date: str
    confidence: float
    camera_id: str
    anomalies: _containers.RepeatedCompositeFieldContainer[_attendance_pb2.Anomaly]
    reason: str
    liveness: float
    ref_seq: int
    actor: str
    prev_hash: str
    hash: str
    def __init__(self, seq: _Optional[int] = ..., person_id: _Optional[str] = ..., person_name: _Optional[str] = ..., event_type: _Optional[_Union[_attendance_pb2.EventType, str]] = ..., occurred_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., local_date: _Optional[str] = ..., confidence: _Optional[float] = ..., camera_id: _Optional[str] = ..., anomalies: _Optional[_Iterable[_Union[_attendance_pb2.Anomaly, _Mapping]]] = ..., reason: _Optional[str] = ..., liveness: _Optional[float] = ..., ref_seq: _Optional[int] = ..., actor: _Optional[str] = ..., prev_hash: _Optional[str] = ..., hash: _Optional[str] = ...) -> None: ...

class PushEventsRequest(_message.Message):
    __slots__ = ("node_id", "after_seq", "events", "queue_depth", "lag_seconds", "installation_id", "chain_head")
    NODE_ID_FIELD_NUMBER: _ClassVar[int]
    AFTER_SEQ_FIELD_NUMBER: _ClassVar[int]
    EVENTS_FIELD_NUMBER: _ClassVar[int]
    QUEUE_DEPTH_FIELD_NUMBER: _ClassVar[int]
    LAG_SECONDS_FIELD_NUMBER: _ClassVar[int]
    INSTALLATION_ID_FIELD_NUMBER: _ClassVar[int]
    CHAIN_HEAD_FIELD_NUMBER: _ClassVar[int]
    node_id: str
    after_seq: int
    events: _containers.RepeatedCompositeFieldContainer[SyncEvent]
    queue_depth: int
    lag_seconds: float
    installation_id: str
    chain_head: str
    def __init__(self, node_id: _Optional[str] = ..., after_seq: _Optional[int] = ..., events: _Optional[_Iterable[_Union[SyncEvent, _Mapping]]] = ..., queue_depth: _Optional[int] = ..., lag_seconds: _Optional[float] = ..., installation_id: _Optional[str] = ..., chain_head: _Optional[str] = ...) -> None: ...

class PushEventsResponse(_message.Message):
    __slots__ = ("acked_seq", "stored", "duplicates")
    ACKED_SEQ_FIELD_NUMBER: _ClassVar[int]
    STORED_FIELD_NUMBER: _ClassVar[int]
    DUPLICATES_FIELD_NUMBER: _ClassVar[int]
    acked_seq: int
    stored: int
    duplicates: int
    def __init__(self, acked_seq: _Optional[int] = ..., stored: _Optional[int] = ..., duplicates: _Optional[int] = ...) -> None: ...

class RosterChange(_message.Message):
    __slots__ = ("version", "entity", "op", "person_id", "display_name", "active", "template_id", "model_id", "embedding", "origin_node_id", "employed_from", "employed_until", "created_at", "template_kind", "template_source")
    VERSION_FIELD_NUMBER: _ClassVar[int]
    ENTITY_FIELD_NUMBER: _ClassVar[int]
    OP_FIELD_NUMBER: _ClassVar[int]
    PERSON_ID_FIELD_NUMBER: _ClassVar[int]
    DISPLAY_NAME_FIELD_NUMBER: _ClassVar[int]
    ACTIVE_FIELD_NUMBER: _ClassVar[int]
    TEMPLATE_ID_FIELD_NUMBER: _ClassVar[int]
    MODEL_ID_FIELD_NUMBER: _ClassVar[int]
    EMBEDDING_FIELD_NUMBER: _ClassVar[int]
    ORIGIN_NODE_ID_FIELD_NUMBER: _ClassVar[int]
    EMPLOYED_FROM_FIELD_NUMBER: _ClassVar[int]
    EMPLOYED_UNTIL_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    TEMPLATE_KIND_FIELD_NUMBER: _ClassVar[int]
    TEMPLATE_SOURCE_FIELD_NUMBER: _ClassVar[int]
    version: int
    entity: RosterEntity
    op: RosterOp
    person_id: str
    display_name: str
    active: bool
    template_id: str
    model_id: str
    embedding: bytes
    origin_node_id: str
    employed_from: str
    employed_until: str
    created_at: _timestamp_pb2.Timestamp
    template_kind: TemplateKind
    template_source: str
    def __init__(self, version: _Optional[int] = ..., entity: _Optional[_Union[RosterEntity, str]] = ..., op: _Optional[_Union[RosterOp, str]] = ..., person_id: _Optional[str] = ..., display_name: _Optional[str] = ..., active: _Optional[bool] = ..., template_id: _Optional[str] = ..., model_id: _Optional[str] = ..., embedding: _Optional[bytes] = ..., origin_node_id: _Optional[str] = ..., employed_from: _Optional[str] = ..., employed_until: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., template_kind: _Optional[_Union[TemplateKind, str]] = ..., template_source: _Optional[str] = ...) -> None: ...

class PushRosterRequest(_message.Message):
    __slots__ = ("node_id", "after_seq", "changes", "installation_id")
    NODE_ID_FIELD_NUMBER: _ClassVar[int]
    AFTER_SEQ_FIELD_NUMBER: _ClassVar[int]
    CHANGES_FIELD_NUMBER: _ClassVar[int]
    INSTALLATION_ID_FIELD_NUMBER: _ClassVar[int]
    node_id: str
    after_seq: int
    changes: _containers.RepeatedCompositeFieldContainer[RosterChange]
    installation_id: str
    def __init__(self, node_id: _Optional[str] = ..., after_seq: _Optional[int] = ..., changes: _Optional[_Iterable[_Union[RosterChange, _Mapping]]] = ..., installation_id: _Optional[str] = ...) -> None: ...

class PushRosterResponse(_message.Message):
    __slots__ = ("acked_seq", "applied", "ignored")
    ACKED_SEQ_FIELD_NUMBER: _ClassVar[int]
    APPLIED_FIELD_NUMBER: _ClassVar[int]
    IGNORED_FIELD_NUMBER: _ClassVar[int]
    acked_seq: int
    applied: int
    ignored: int
    def __init__(self, acked_seq: _Optional[int] = ..., applied: _Optional[int] = ..., ignored: _Optional[int] = ...) -> None: ...

class PullRosterRequest(_message.Message):
    __slots__ = ("node_id", "since_version", "page_size")
    NODE_ID_FIELD_NUMBER: _ClassVar[int]
    SINCE_VERSION_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    node_id: str
    since_version: int
    page_size: int
    def __init__(self, node_id: _Optional[str] = ..., since_version: _Optional[int] = ..., page_size: _Optional[int] = ...) -> None: ...

class PullRosterResponse(_message.Message):
    __slots__ = ("changes", "more", "latest_version")
    CHANGES_FIELD_NUMBER: _ClassVar[int]
    MORE_FIELD_NUMBER: _ClassVar[int]
    LATEST_VERSION_FIELD_NUMBER: _ClassVar[int]
    changes: _containers.RepeatedCompositeFieldContainer[RosterChange]
    more: bool
    latest_version: int
    def __init__(self, changes: _Optional[_Iterable[_Union[RosterChange, _Mapping]]] = ..., more: _Optional[bool] = ..., latest_version: _Optional[int] = ...) -> None: ...

class PushSchedulesRequest(_message.Message):
    __slots__ = ("node_id", "after_version", "versions", "installation_id", "fallback_pay")
    NODE_ID_FIELD_NUMBER: _ClassVar[int]
    AFTER_VERSION_FIELD_NUMBER: _ClassVar[int]
    VERSIONS_FIELD_NUMBER: _ClassVar[int]
    INSTALLATION_ID_FIELD_NUMBER: _ClassVar[int]
    FALLBACK_PAY_FIELD_NUMBER: _ClassVar[int]
    node_id: str
    after_version: int
    versions: _containers.RepeatedCompositeFieldContainer[_attendance_pb2.ScheduleVersion]
    installation_id: str
    fallback_pay: _attendance_pb2.PayRules
    def __init__(self, node_id: _Optional[str] = ..., after_version: _Optional[int] = ..., versions: _Optional[_Iterable[_Union[_attendance_pb2.ScheduleVersion, _Mapping]]] = ..., installation_id: _Optional[str] = ..., fallback_pay: _Optional[_Union[_attendance_pb2.PayRules, _Mapping]] = ...) -> None: ...

class PushSchedulesResponse(_message.Message):
    __slots__ = ("acked_version", "stored")
    ACKED_VERSION_FIELD_NUMBER: _ClassVar[int]
    STORED_FIELD_NUMBER: _ClassVar[int]
    acked_version: int
    stored: int
    def __init__(self, acked_version: _Optional[int] = ..., stored: _Optional[int] = ...) -> None: ...

class PullSitePunchesRequest(_message.Message):
    __slots__ = ("node_id", "since_cursor", "from_node_ids", "page_size")
    NODE_ID_FIELD_NUMBER: _ClassVar[int]
    SINCE_CURSOR_FIELD_NUMBER: _ClassVar[int]
    FROM_NODE_IDS_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    node_id: str
    since_cursor: int
    from_node_ids: _containers.RepeatedScalarFieldContainer[str]
    page_size: int
    def __init__(self, node_id: _Optional[str] = ..., since_cursor: _Optional[int] = ..., from_node_ids: _Optional[_Iterable[str]] = ..., page_size: _Optional[int] = ...) -> None: ...

class SitePunch(_message.Message):
    __slots__ = ("cursor", "node_id", "seq", "person_id", "event_type", "occurred_at", "ref_seq", "anomalies")
    CURSOR_FIELD_NUMBER: _ClassVar[int]
    NODE_ID_FIELD_NUMBER: _ClassVar[int]
    SEQ_FIELD_NUMBER: _ClassVar[int]
    PERSON_ID_FIELD_NUMBER: _ClassVar[int]
    EVENT_TYPE_FIELD_NUMBER: _ClassVar[int]
    OCCURRED_AT_FIELD_NUMBER: _ClassVar[int]
    REF_SEQ_FIELD_NUMBER: _ClassVar[int]
    ANOMALIES_FIELD_NUMBER: _ClassVar[int]
    cursor: int
    node_id: str
    seq: int
    person_id: str
    event_type: _attendance_pb2.EventType
    occurred_at: _timestamp_pb2.Timestamp
    ref_seq: int
    anomalies: _containers.RepeatedCompositeFieldContainer[_attendance_pb2.Anomaly]
    def __init__(self, cursor: _Optional[int] = ..., node_id: _Optional[str] = ..., seq: _Optional[int] = ..., person_id: _Optional[str] = ..., event_type: _Optional[_Union[_attendance_pb2.EventType, str]] = ..., occurred_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., ref_seq: _Optional[int] = ..., anomalies: _Optional[_Iterable[_Union[_attendance_pb2.Anomaly, _Mapping]]] = ...) -> None: ...

class PullSitePunchesResponse(_message.Message):
    __slots__ = ("punches", "more", "latest_cursor")
    PUNCHES_FIELD_NUMBER: _ClassVar[int]
    MORE_FIELD_NUMBER: _ClassVar[int]
    LATEST_CURSOR_FIELD_NUMBER: _ClassVar[int]
    punches: _containers.RepeatedCompositeFieldContainer[SitePunch]
    more: bool
    latest_cursor: int
    def __init__(self, punches: _Optional[_Iterable[_Union[SitePunch, _Mapping]]] = ..., more: _Optional[bool] = ..., latest_cursor: _Optional[int] = ...) -> None: ...

class CreateNodeRequest(_message.Message):
    __slots__ = ("node_id",)
    NODE_ID_FIELD_NUMBER: _ClassVar[int]
    node_id: str
    def __init__(self, node_id: _Optional[str] = ...) -> None: ...

class CreateNodeResponse(_message.Message):
    __slots__ = ("node_id", "token")
    NODE_ID_FIELD_NUMBER: _ClassVar[int]
    TOKEN_FIELD_NUMBER: _ClassVar[int]
    node_id: str
    token: str
    def __init__(self, node_id: _Optional[str] = ..., token: _Optional[str] = ...) -> None: ...

class RevokeNodeRequest(_message.Message):
    __slots__ = ("node_id",)
    NODE_ID_FIELD_NUMBER: _ClassVar[int]
    node_id: str
    def __init__(self, node_id: _Optional[str] = ...) -> None: ...

class RevokeNodeResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ListNodesRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class NodeInfo(_message.Message):
    __slots__ = ("node_id", "revoked", "created_at", "last_seen_at", "acked_seq", "queue_depth", "lag_seconds", "roster_version", "installation_id")
    NODE_ID_FIELD_NUMBER: _ClassVar[int]
    REVOKED_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    LAST_SEEN_AT_FIELD_NUMBER: _ClassVar[int]
    ACKED_SEQ_FIELD_NUMBER: _ClassVar[int]
    QUEUE_DEPTH_FIELD_NUMBER: _ClassVar[int]
    LAG_SECONDS_FIELD_NUMBER: _ClassVar[int]
    ROSTER_VERSION_FIELD_NUMBER: _ClassVar[int]
    INSTALLATION_ID_FIELD_NUMBER: _ClassVar[int]
    node_id: str
    revoked: bool
    created_at: _timestamp_pb2.Timestamp
    last_seen_at: _timestamp_pb2.Timestamp
    acked_seq: int
    queue_depth: int
    lag_seconds: float
    roster_version: int
    installation_id: str
    def __init__(self, node_id: _Optional[str] = ..., revoked: _Optional[bool] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., last_seen_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., acked_seq: _Optional[int] = ..., queue_depth: _Optional[int] = ..., lag_seconds: _Optional[float] = ..., roster_version: _Optional[int] = ..., installation_id: _Optional[str] = ...) -> None: ...

class ListNodesResponse(_message.Message):
    __slots__ = ("nodes",)
    NODES_FIELD_NUMBER: _ClassVar[int]
    nodes: _containers.RepeatedCompositeFieldContainer[NodeInfo]
    def __init__(self, nodes: _Optional[_Iterable[_Union[NodeInfo, _Mapping]]] = ...) -> None: ...

class QueryEventsRequest(_message.Message):
    __slots__ = ("node_ids", "person_id", "start_time", "end_time", "page_size", "page_token")
    NODE_IDS_FIELD_NUMBER: _ClassVar[int]
    PERSON_ID_FIELD_NUMBER: _ClassVar[int]
    START_TIME_FIELD_NUMBER: _ClassVar[int]
    END_TIME_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    node_ids: _containers.RepeatedScalarFieldContainer[str]
    person_id: str
    start_time: _timestamp_pb2.Timestamp
    end_time: _timestamp_pb2.Timestamp
    page_size: int
    page_token: str
    def __init__(self, node_ids: _Optional[_Iterable[str]] = ..., person_id: _Optional[str] = ..., start_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., end_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class HubEvent(_message.Message):
    __slots__ = ("node_id", "event", "received_at")
    NODE_ID_FIELD_NUMBER: _ClassVar[int]
    EVENT_FIELD_NUMBER: _ClassVar[int]
    RECEIVED_AT_FIELD_NUMBER: _ClassVar[int]
    node_id: str
    event: SyncEvent
    received_at: _timestamp_pb2.Timestamp
    def __init__(self, node_id: _Optional[str] = ..., event: _Optional[_Union[SyncEvent, _Mapping]] = ..., received_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class QueryEventsResponse(_message.Message):
    __slots__ = ("events", "next_page_token")
    EVENTS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    events: _containers.RepeatedCompositeFieldContainer[HubEvent]
    next_page_token: str
    def __init__(self, events: _Optional[_Iterable[_Union[HubEvent, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class GetDailyReportRequest(_message.Message):
    __slots__ = ("date", "time_zone", "node_ids")
    DATE_FIELD_NUMBER: _ClassVar[int]
    TIME_ZONE_FIELD_NUMBER: _ClassVar[int]
    NODE_IDS_FIELD_NUMBER: _ClassVar[int]
    date: str
    time_zone: str
    node_ids: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, date: _Optional[str] = ..., time_zone: _Optional[str] = ..., node_ids: _Optional[_Iterable[str]] = ...) -> None: ...

class SiteSummary(_message.Message):
    __slots__ = ("person_id", "person_name", "node_ids", "entry_count", "exit_count", "first_entry_at", "last_exit_at", "anomaly_count", "day")
    PERSON_ID_FIELD_NUMBER: _ClassVar[int]
    PERSON_NAME_FIELD_NUMBER: _ClassVar[int]
    NODE_IDS_FIELD_NUMBER: _ClassVar[int]
    ENTRY_COUNT_FIELD_NUMBER: _ClassVar[int]
    EXIT_COUNT_FIELD_NUMBER: _ClassVar[int]
    FIRST_ENTRY_AT_FIELD_NUMBER: _ClassVar[int]
    LAST_EXIT_AT_FIELD_NUMBER: _ClassVar[int]
    ANOMALY_COUNT_FIELD_NUMBER: _ClassVar[int]
    DAY_FIELD_NUMBER: _ClassVar[int]
    person_id: str
    person_name: str
    node_ids: _containers.RepeatedScalarFieldContainer[str]
    entry_count: int
    exit_count: int
    first_entry_at: _timestamp_pb2.Timestamp
    last_exit_at: _timestamp_pb2.Timestamp
    anomaly_count: int
    day: _attendance_pb2.TimecardDay
    def __init__(self, person_id: _Optional[str] = ..., person_name: _Optional[str] = ..., node_ids: _Optional[_Iterable[str]] = ..., entry_count: _Optional[int] = ..., exit_count: _Optional[int] = ..., first_entry_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., last_exit_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., anomaly_count: _Optional[int] = ..., day: _Optional[_Union[_attendance_pb2.TimecardDay, _Mapping]] = ...) -> None: ...

class GetDailyReportResponse(_message.Message):
    __slots__ = ("date", "summaries", "schedule_conflicts", "log_verification")
    DATE_FIELD_NUMBER: _ClassVar[int]
    SUMMARIES_FIELD_NUMBER: _ClassVar[int]
    SCHEDULE_CONFLICTS_FIELD_NUMBER: _ClassVar[int]
    LOG_VERIFICATION_FIELD_NUMBER: _ClassVar[int]
    date: str
    summaries: _containers.RepeatedCompositeFieldContainer[SiteSummary]
    schedule_conflicts: _containers.RepeatedScalarFieldContainer[str]
    log_verification: _attendance_pb2.VerifyLogResponse
    def __init__(self, date: _Optional[str] = ..., summaries: _Optional[_Iterable[_Union[SiteSummary, _Mapping]]] = ..., schedule_conflicts: _Optional[_Iterable[str]] = ..., log_verification: _Optional[_Union[_attendance_pb2.VerifyLogResponse, _Mapping]] = ...) -> None: ...

class TemplateInput(_message.Message):
    __slots__ = ("model_id", "embedding")
    MODEL_ID_FIELD_NUMBER: _ClassVar[int]
    EMBEDDING_FIELD_NUMBER: _ClassVar[int]
    model_id: str
    embedding: bytes
    def __init__(self, model_id: _Optional[str] = ..., embedding: _Optional[bytes] = ...) -> None: ...

class EnrollPersonRequest(_message.Message):
    __slots__ = ("person_id", "display_name", "inactive", "templates")
    PERSON_ID_FIELD_NUMBER: _ClassVar[int]
    DISPLAY_NAME_FIELD_NUMBER: _ClassVar[int]
    INACTIVE_FIELD_NUMBER: _ClassVar[int]
    TEMPLATES_FIELD_NUMBER: _ClassVar[int]
    person_id: str
    display_name: str
    inactive: bool
    templates: _containers.RepeatedCompositeFieldContainer[TemplateInput]
    def __init__(self, person_id: _Optional[str] = ..., display_name: _Optional[str] = ..., inactive: _Optional[bool] = ..., templates: _Optional[_Iterable[_Union[TemplateInput, _Mapping]]] = ...) -> None: ...

class EnrollPersonResponse(_message.Message):
    __slots__ = ("version", "template_ids")
    VERSION_FIELD_NUMBER: _ClassVar[int]
    TEMPLATE_IDS_FIELD_NUMBER: _ClassVar[int]
    version: int
    template_ids: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, version: _Optional[int] = ..., template_ids: _Optional[_Iterable[str]] = ...) -> None: ...

class DeletePersonRequest(_message.Message):
    __slots__ = ("person_id",)
    PERSON_ID_FIELD_NUMBER: _ClassVar[int]
    person_id: str
    def __init__(self, person_id: _Optional[str] = ...) -> None: ...

class DeletePersonResponse(_message.Message):
    __slots__ = ("version", "templates_deleted")
    VERSION_FIELD_NUMBER: _ClassVar[int]
    TEMPLATES_DELETED_FIELD_NUMBER: _ClassVar[int]
    version: int
    templates_deleted: int
    def __init__(self, version: _Optional[int] = ..., templates_deleted: _Optional[int] = ...) -> None: ...

class GetTimecardsRequest(_message.Message):
    __slots__ = ("from_date", "to_date", "person_id", "node_ids", "time_zone")
    FROM_DATE_FIELD_NUMBER: _ClassVar[int]
    TO_DATE_FIELD_NUMBER: _ClassVar[int]
    PERSON_ID_FIELD_NUMBER: _ClassVar[int]
    NODE_IDS_FIELD_NUMBER: _ClassVar[int]
    TIME_ZONE_FIELD_NUMBER: _ClassVar[int]
    from_date: str
    to_date: str
    person_id: str
    node_ids: _containers.RepeatedScalarFieldContainer[str]
    time_zone: str
    def __init__(self, from_date: _Optional[str] = ..., to_date: _Optional[str] = ..., person_id: _Optional[str] = ..., node_ids: _Optional[_Iterable[str]] = ..., time_zone: _Optional[str] = ...) -> None: ...

class GetTimecardsResponse(_message.Message):
    __slots__ = ("time_zone", "timecards", "schedule_conflicts", "log_verification")
    TIME_ZONE_FIELD_NUMBER: _ClassVar[int]
    TIMECARDS_FIELD_NUMBER: _ClassVar[int]
    SCHEDULE_CONFLICTS_FIELD_NUMBER: _ClassVar[int]
    LOG_VERIFICATION_FIELD_NUMBER: _ClassVar[int]
    time_zone: str
    timecards: _containers.RepeatedCompositeFieldContainer[_attendance_pb2.Timecard]
    schedule_conflicts: _containers.RepeatedScalarFieldContainer[str]
    log_verification: _attendance_pb2.VerifyLogResponse
    def __init__(self, time_zone: _Optional[str] = ..., timecards: _Optional[_Iterable[_Union[_attendance_pb2.Timecard, _Mapping]]] = ..., schedule_conflicts: _Optional[_Iterable[str]] = ..., log_verification: _Optional[_Union[_attendance_pb2.VerifyLogResponse, _Mapping]] = ...) -> None: ...
