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

class QualityIssue(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    QUALITY_ISSUE_UNSPECIFIED: _ClassVar[QualityIssue]
    QUALITY_ISSUE_TOO_SMALL: _ClassVar[QualityIssue]
    QUALITY_ISSUE_TOO_BLURRY: _ClassVar[QualityIssue]
    QUALITY_ISSUE_CUT_OFF: _ClassVar[QualityIssue]
    QUALITY_ISSUE_POSE: _ClassVar[QualityIssue]
    QUALITY_ISSUE_MULTIPLE_FACES: _ClassVar[QualityIssue]
    QUALITY_ISSUE_NO_FACE: _ClassVar[QualityIssue]

class Decision(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    DECISION_UNSPECIFIED: _ClassVar[Decision]
    DECISION_MATCH: _ClassVar[Decision]
    DECISION_UNKNOWN: _ClassVar[Decision]
    DECISION_SPOOF: _ClassVar[Decision]
    DECISION_LOW_QUALITY: _ClassVar[Decision]
    DECISION_NO_FACE: _ClassVar[Decision]

class EnrollmentState(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    ENROLLMENT_STATE_UNSPECIFIED: _ClassVar[EnrollmentState]
    ENROLLMENT_STATE_COLLECTING: _ClassVar[EnrollmentState]
    ENROLLMENT_STATE_DONE: _ClassVar[EnrollmentState]
    ENROLLMENT_STATE_FAILED: _ClassVar[EnrollmentState]
    ENROLLMENT_STATE_TIMED_OUT: _ClassVar[EnrollmentState]
    ENROLLMENT_STATE_CANCELLED: _ClassVar[EnrollmentState]
QUALITY_ISSUE_UNSPECIFIED: QualityIssue
QUALITY_ISSUE_TOO_SMALL: QualityIssue
QUALITY_ISSUE_TOO_BLURRY: QualityIssue
QUALITY_ISSUE_CUT_OFF: QualityIssue
QUALITY_ISSUE_POSE: QualityIssue
QUALITY_ISSUE_MULTIPLE_FACES: QualityIssue
QUALITY_ISSUE_NO_FACE: QualityIssue
DECISION_UNSPECIFIED: Decision
DECISION_MATCH: Decision
DECISION_UNKNOWN: Decision
DECISION_SPOOF: Decision
DECISION_LOW_QUALITY: Decision
DECISION_NO_FACE: Decision
ENROLLMENT_STATE_UNSPECIFIED: EnrollmentState
ENROLLMENT_STATE_COLLECTING: EnrollmentState
ENROLLMENT_STATE_DONE: EnrollmentState
ENROLLMENT_STATE_FAILED: EnrollmentState
ENROLLMENT_STATE_TIMED_OUT: EnrollmentState
ENROLLMENT_STATE_CANCELLED: EnrollmentState

class Box(_message.Message):
    __slots__ = ("x", "y", "width", "height")
    X_FIELD_NUMBER: _ClassVar[int]
    Y_FIELD_NUMBER: _ClassVar[int]
    WIDTH_FIELD_NUMBER: _ClassVar[int]
    HEIGHT_FIELD_NUMBER: _ClassVar[int]
    x: float
    y: float
    width: float
    height: float
    def __init__(self, x: _Optional[float] = ..., y: _Optional[float] = ..., width: _Optional[float] = ..., height: _Optional[float] = ...) -> None: ...

class Point(_message.Message):
    __slots__ = ("x", "y")
    X_FIELD_NUMBER: _ClassVar[int]
    Y_FIELD_NUMBER: _ClassVar[int]
    x: float
    y: float
    def __init__(self, x: _Optional[float] = ..., y: _Optional[float] = ...) -> None: ...

class Quality(_message.Message):
    __slots__ = ("ok", "issues", "reason", "eye_distance", "sharpness", "yaw_degrees")
    OK_FIELD_NUMBER: _ClassVar[int]
    ISSUES_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    EYE_DISTANCE_FIELD_NUMBER: _ClassVar[int]
    SHARPNESS_FIELD_NUMBER: _ClassVar[int]
    YAW_DEGREES_FIELD_NUMBER: _ClassVar[int]
    ok: bool
    issues: _containers.RepeatedScalarFieldContainer[QualityIssue]
    reason: str
    eye_distance: float
    sharpness: float
    yaw_degrees: float
    def __init__(self, ok: _Optional[bool] = ..., issues: _Optional[_Iterable[_Union[QualityIssue, str]]] = ..., reason: _Optional[str] = ..., eye_distance: _Optional[float] = ..., sharpness: _Optional[float] = ..., yaw_degrees: _Optional[float] = ...) -> None: ...

class Liveness(_message.Message):
    __slots__ = ("checked", "live", "score")
    CHECKED_FIELD_NUMBER: _ClassVar[int]
    LIVE_FIELD_NUMBER: _ClassVar[int]
    SCORE_FIELD_NUMBER: _ClassVar[int]
    checked: bool
    live: bool
    score: float
    def __init__(self, checked: _Optional[bool] = ..., live: _Optional[bool] = ..., score: _Optional[float] = ...) -> None: ...

class Match(_message.Message):
    __slots__ = ("person_id", "display_name", "score")
    PERSON_ID_FIELD_NUMBER: _ClassVar[int]
    DISPLAY_NAME_FIELD_NUMBER: _ClassVar[int]
    SCORE_FIELD_NUMBER: _ClassVar[int]
    person_id: str
    display_name: str
    score: float
    def __init__(self, person_id: _Optional[str] = ..., display_name: _Optional[str] = ..., score: _Optional[float] = ...) -> None: ...

class Face(_message.Message):
    __slots__ = ("box", "landmarks", "detection_score", "quality", "liveness", "matches", "decision")
    BOX_FIELD_NUMBER: _ClassVar[int]
    LANDMARKS_FIELD_NUMBER: _ClassVar[int]
    DETECTION_SCORE_FIELD_NUMBER: _ClassVar[int]
    QUALITY_FIELD_NUMBER: _ClassVar[int]
    LIVENESS_FIELD_NUMBER: _ClassVar[int]
    MATCHES_FIELD_NUMBER: _ClassVar[int]
    DECISION_FIELD_NUMBER: _ClassVar[int]
    box: Box
    landmarks: _containers.RepeatedCompositeFieldContainer[Point]
    detection_score: float
    quality: Quality
    liveness: Liveness
    matches: _containers.RepeatedCompositeFieldContainer[Match]
    decision: Decision
    def __init__(self, box: _Optional[_Union[Box, _Mapping]] = ..., landmarks: _Optional[_Iterable[_Union[Point, _Mapping]]] = ..., detection_score: _Optional[float] = ..., quality: _Optional[_Union[Quality, _Mapping]] = ..., liveness: _Optional[_Union[Liveness, _Mapping]] = ..., matches: _Optional[_Iterable[_Union[Match, _Mapping]]] = ..., decision: _Optional[_Union[Decision, str]] = ...) -> None: ...

class Template(_message.Message):
    __slots__ = ("template_id", "person_id", "model_id", "created_at", "kind", "source", "learned_from_event")
    TEMPLATE_ID_FIELD_NUMBER: _ClassVar[int]
    PERSON_ID_FIELD_NUMBER: _ClassVar[int]
    MODEL_ID_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    LEARNED_FROM_EVENT_FIELD_NUMBER: _ClassVar[int]
    template_id: str
    person_id: str
    model_id: str
    created_at: _timestamp_pb2.Timestamp
    kind: str
    source: str
    learned_from_event: int
    def __init__(self, template_id: _Optional[str] = ..., person_id: _Optional[str] = ..., model_id: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., kind: _Optional[str] = ..., source: _Optional[str] = ..., learned_from_event: _Optional[int] = ...) -> None: ...

class EnrollResult(_message.Message):
    __slots__ = ("index", "accepted", "template_id", "reason", "quality")
    INDEX_FIELD_NUMBER: _ClassVar[int]
    ACCEPTED_FIELD_NUMBER: _ClassVar[int]
    TEMPLATE_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    QUALITY_FIELD_NUMBER: _ClassVar[int]
    index: int
    accepted: bool
    template_id: str
    reason: str
    quality: Quality
    def __init__(self, index: _Optional[int] = ..., accepted: _Optional[bool] = ..., template_id: _Optional[str] = ..., reason: _Optional[str] = ..., quality: _Optional[_Union[Quality, _Mapping]] = ...) -> None: ...

class EnrollRequest(_message.Message):
    __slots__ = ("person_id", "images", "allow_duplicate", "override_reason", "actor", "sources")
    PERSON_ID_FIELD_NUMBER: _ClassVar[int]
    IMAGES_FIELD_NUMBER: _ClassVar[int]
    ALLOW_DUPLICATE_FIELD_NUMBER: _ClassVar[int]
    OVERRIDE_REASON_FIELD_NUMBER: _ClassVar[int]
    ACTOR_FIELD_NUMBER: _ClassVar[int]
    SOURCES_FIELD_NUMBER: _ClassVar[int]
    person_id: str
    images: _containers.RepeatedScalarFieldContainer[bytes]
    allow_duplicate: bool
    override_reason: str
    actor: str
    sources: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, person_id: _Optional[str] = ..., images: _Optional[_Iterable[bytes]] = ..., allow_duplicate: _Optional[bool] = ..., override_reason: _Optional[str] = ..., actor: _Optional[str] = ..., sources: _Optional[_Iterable[str]] = ...) -> None: ...

class EnrollResponse(_message.Message):
    __slots__ = ("results", "template_count")
    RESULTS_FIELD_NUMBER: _ClassVar[int]
    TEMPLATE_COUNT_FIELD_NUMBER: _ClassVar[int]
    results: _containers.RepeatedCompositeFieldContainer[EnrollResult]
    template_count: int
    def __init__(self, results: _Optional[_Iterable[_Union[EnrollResult, _Mapping]]] = ..., template_count: _Optional[int] = ...) -> None: ...

class RecognizeRequest(_message.Message):
    __slots__ = ("image", "extra_frames", "record", "camera_id", "top_k")
    IMAGE_FIELD_NUMBER: _ClassVar[int]
    EXTRA_FRAMES_FIELD_NUMBER: _ClassVar[int]
    RECORD_FIELD_NUMBER: _ClassVar[int]
    CAMERA_ID_FIELD_NUMBER: _ClassVar[int]
    TOP_K_FIELD_NUMBER: _ClassVar[int]
    image: bytes
    extra_frames: _containers.RepeatedScalarFieldContainer[bytes]
    record: bool
    camera_id: str
    top_k: int
    def __init__(self, image: _Optional[bytes] = ..., extra_frames: _Optional[_Iterable[bytes]] = ..., record: _Optional[bool] = ..., camera_id: _Optional[str] = ..., top_k: _Optional[int] = ...) -> None: ...

class RecognizeResponse(_message.Message):
    __slots__ = ("decision", "faces", "image_width", "image_height", "attendance")
    DECISION_FIELD_NUMBER: _ClassVar[int]
    FACES_FIELD_NUMBER: _ClassVar[int]
    IMAGE_WIDTH_FIELD_NUMBER: _ClassVar[int]
    IMAGE_HEIGHT_FIELD_NUMBER: _ClassVar[int]
    ATTENDANCE_FIELD_NUMBER: _ClassVar[int]
    decision: Decision
    faces: _containers.RepeatedCompositeFieldContainer[Face]
    image_width: int
    image_height: int
    attendance: _attendance_pb2.RecordScanResponse
    def __init__(self, decision: _Optional[_Union[Decision, str]] = ..., faces: _Optional[_Iterable[_Union[Face, _Mapping]]] = ..., image_width: _Optional[int] = ..., image_height: _Optional[int] = ..., attendance: _Optional[_Union[_attendance_pb2.RecordScanResponse, _Mapping]] = ...) -> None: ...

class ListTemplatesRequest(_message.Message):
    __slots__ = ("person_id",)
    PERSON_ID_FIELD_NUMBER: _ClassVar[int]
    person_id: str
    def __init__(self, person_id: _Optional[str] = ...) -> None: ...

class ListTemplatesResponse(_message.Message):
    __slots__ = ("templates",)
    TEMPLATES_FIELD_NUMBER: _ClassVar[int]
    templates: _containers.RepeatedCompositeFieldContainer[Template]
    def __init__(self, templates: _Optional[_Iterable[_Union[Template, _Mapping]]] = ...) -> None: ...

class DeleteTemplatesRequest(_message.Message):
    __slots__ = ("person_id", "template_ids")
    PERSON_ID_FIELD_NUMBER: _ClassVar[int]
    TEMPLATE_IDS_FIELD_NUMBER: _ClassVar[int]
    person_id: str
    template_ids: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, person_id: _Optional[str] = ..., template_ids: _Optional[_Iterable[str]] = ...) -> None: ...

class DeleteTemplatesResponse(_message.Message):
    __slots__ = ("deleted",)
    DELETED_FIELD_NUMBER: _ClassVar[int]
    deleted: int
    def __init__(self, deleted: _Optional[int] = ...) -> None: ...

class EnrollFromCameraRequest(_message.Message):
    __slots__ = ("person_id", "camera_id", "frames", "timeout_seconds", "allow_duplicate", "override_reason", "actor")
    PERSON_ID_FIELD_NUMBER: _ClassVar[int]
    CAMERA_ID_FIELD_NUMBER: _ClassVar[int]
    FRAMES_FIELD_NUMBER: _ClassVar[int]
    TIMEOUT_SECONDS_FIELD_NUMBER: _ClassVar[int]
    ALLOW_DUPLICATE_FIELD_NUMBER: _ClassVar[int]
    OVERRIDE_REASON_FIELD_NUMBER: _ClassVar[int]
    ACTOR_FIELD_NUMBER: _ClassVar[int]
    person_id: str
    camera_id: str
    frames: int
    timeout_seconds: int
    allow_duplicate: bool
    override_reason: str
    actor: str
    def __init__(self, person_id: _Optional[str] = ..., camera_id: _Optional[str] = ..., frames: _Optional[int] = ..., timeout_seconds: _Optional[int] = ..., allow_duplicate: _Optional[bool] = ..., override_reason: _Optional[str] = ..., actor: _Optional[str] = ...) -> None: ...

class EnrollFromCameraResponse(_message.Message):
    __slots__ = ("state", "guidance", "accepted_frames", "needed_frames", "reason", "template_count")
    STATE_FIELD_NUMBER: _ClassVar[int]
    GUIDANCE_FIELD_NUMBER: _ClassVar[int]
    ACCEPTED_FRAMES_FIELD_NUMBER: _ClassVar[int]
    NEEDED_FRAMES_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    TEMPLATE_COUNT_FIELD_NUMBER: _ClassVar[int]
    state: EnrollmentState
    guidance: str
    accepted_frames: int
    needed_frames: int
    reason: str
    template_count: int
    def __init__(self, state: _Optional[_Union[EnrollmentState, str]] = ..., guidance: _Optional[str] = ..., accepted_frames: _Optional[int] = ..., needed_frames: _Optional[int] = ..., reason: _Optional[str] = ..., template_count: _Optional[int] = ...) -> None: ...
