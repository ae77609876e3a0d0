import datetime

from edge_node.gen.edge.common.v1 import auth_pb2 as _auth_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class FrameSize(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    FRAME_SIZE_UNSPECIFIED: _ClassVar[FrameSize]
    FRAME_SIZE_QVGA: _ClassVar[FrameSize]
    FRAME_SIZE_VGA: _ClassVar[FrameSize]
    FRAME_SIZE_SVGA: _ClassVar[FrameSize]
    FRAME_SIZE_XGA: _ClassVar[FrameSize]
    FRAME_SIZE_SXGA: _ClassVar[FrameSize]
    FRAME_SIZE_UXGA: _ClassVar[FrameSize]

class CameraState(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    CAMERA_STATE_UNSPECIFIED: _ClassVar[CameraState]
    CAMERA_STATE_PENDING: _ClassVar[CameraState]
    CAMERA_STATE_PAIRED: _ClassVar[CameraState]
    CAMERA_STATE_REVOKED: _ClassVar[CameraState]

class SourceKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    SOURCE_KIND_UNSPECIFIED: _ClassVar[SourceKind]
    SOURCE_KIND_PUSH: _ClassVar[SourceKind]
    SOURCE_KIND_MJPEG: _ClassVar[SourceKind]
    SOURCE_KIND_VIDEO: _ClassVar[SourceKind]
    SOURCE_KIND_FOLDER: _ClassVar[SourceKind]

class ResultSignal(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    RESULT_SIGNAL_UNSPECIFIED: _ClassVar[ResultSignal]
    RESULT_SIGNAL_ACCEPTED: _ClassVar[ResultSignal]
    RESULT_SIGNAL_REJECTED: _ClassVar[ResultSignal]
FRAME_SIZE_UNSPECIFIED: FrameSize
FRAME_SIZE_QVGA: FrameSize
FRAME_SIZE_VGA: FrameSize
FRAME_SIZE_SVGA: FrameSize
FRAME_SIZE_XGA: FrameSize
FRAME_SIZE_SXGA: FrameSize
FRAME_SIZE_UXGA: FrameSize
CAMERA_STATE_UNSPECIFIED: CameraState
CAMERA_STATE_PENDING: CameraState
CAMERA_STATE_PAIRED: CameraState
CAMERA_STATE_REVOKED: CameraState
SOURCE_KIND_UNSPECIFIED: SourceKind
SOURCE_KIND_PUSH: SourceKind
SOURCE_KIND_MJPEG: SourceKind
SOURCE_KIND_VIDEO: SourceKind
SOURCE_KIND_FOLDER: SourceKind
RESULT_SIGNAL_UNSPECIFIED: ResultSignal
RESULT_SIGNAL_ACCEPTED: ResultSignal
RESULT_SIGNAL_REJECTED: ResultSignal

class StreamSettings(_message.Message):
    __slots__ = ("frame_size", "fps", "jpeg_quality")
    FRAME_SIZE_FIELD_NUMBER: _ClassVar[int]
    FPS_FIELD_NUMBER: _ClassVar[int]
    JPEG_QUALITY_FIELD_NUMBER: _ClassVar[int]
    frame_size: FrameSize
    fps: int
    jpeg_quality: int
    def __init__(self, frame_size: _Optional[_Union[FrameSize, str]] = ..., fps: _Optional[int] = ..., jpeg_quality: _Optional[int] = ...) -> None: ...

class HelloRequest(_message.Message):
    __slots__ = ("camera_id", "firmware_version", "device_nonce", "max_frame_size", "has_link_key", "hello_nonce", "hello_mac", "pairing_commitment", "pairing_public_key", "pairing_mac")
    CAMERA_ID_FIELD_NUMBER: _ClassVar[int]
    FIRMWARE_VERSION_FIELD_NUMBER: _ClassVar[int]
    DEVICE_NONCE_FIELD_NUMBER: _ClassVar[int]
    MAX_FRAME_SIZE_FIELD_NUMBER: _ClassVar[int]
    HAS_LINK_KEY_FIELD_NUMBER: _ClassVar[int]
    HELLO_NONCE_FIELD_NUMBER: _ClassVar[int]
    HELLO_MAC_FIELD_NUMBER: _ClassVar[int]
    PAIRING_COMMITMENT_FIELD_NUMBER: _ClassVar[int]
    PAIRING_PUBLIC_KEY_FIELD_NUMBER: _ClassVar[int]
    PAIRING_MAC_FIELD_NUMBER: _ClassVar[int]
    camera_id: str
    firmware_version: str
    device_nonce: bytes
    max_frame_size: FrameSize
    has_link_key: bool
    hello_nonce: bytes
    hello_mac: bytes
    pairing_commitment: bytes
    pairing_public_key: bytes
    pairing_mac: bytes
    def __init__(self, camera_id: _Optional[str] = ..., firmware_version: _Optional[str] = ..., device_nonce: _Optional[bytes] = ..., max_frame_size: _Optional[_Union[FrameSize, str]] = ..., has_link_key: _Optional[bool] = ..., hello_nonce: _Optional[bytes] = ..., hello_mac: _Optional[bytes] = ..., pairing_commitment: _Optional[bytes] = ..., pairing_public_key: _Optional[bytes] = ..., pairing_mac: _Optional[bytes] = ...) -> None: ...

class HelloResponse(_message.Message):
    __slots__ = ("state", "settings", "pairing_code", "retry_after_ms", "session_id", "box_public_key", "mac")
    STATE_FIELD_NUMBER: _ClassVar[int]
    SETTINGS_FIELD_NUMBER: _ClassVar[int]
    PAIRING_CODE_FIELD_NUMBER: _ClassVar[int]
    RETRY_AFTER_MS_FIELD_NUMBER: _ClassVar[int]
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    BOX_PUBLIC_KEY_FIELD_NUMBER: _ClassVar[int]
    MAC_FIELD_NUMBER: _ClassVar[int]
    state: CameraState
    settings: StreamSettings
    pairing_code: str
    retry_after_ms: int
    session_id: bytes
    box_public_key: bytes
    mac: bytes
    def __init__(self, state: _Optional[_Union[CameraState, str]] = ..., settings: _Optional[_Union[StreamSettings, _Mapping]] = ..., pairing_code: _Optional[str] = ..., retry_after_ms: _Optional[int] = ..., session_id: _Optional[bytes] = ..., box_public_key: _Optional[bytes] = ..., mac: _Optional[bytes] = ...) -> None: ...

class PushFrameRequest(_message.Message):
    __slots__ = ("camera_id", "sequence", "captured_at_ms", "frame_size", "high_quality", "command_id", "jpeg", "session_id", "mac")
    CAMERA_ID_FIELD_NUMBER: _ClassVar[int]
    SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    CAPTURED_AT_MS_FIELD_NUMBER: _ClassVar[int]
    FRAME_SIZE_FIELD_NUMBER: _ClassVar[int]
    HIGH_QUALITY_FIELD_NUMBER: _ClassVar[int]
    COMMAND_ID_FIELD_NUMBER: _ClassVar[int]
    JPEG_FIELD_NUMBER: _ClassVar[int]
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    MAC_FIELD_NUMBER: _ClassVar[int]
    camera_id: str
    sequence: int
    captured_at_ms: int
    frame_size: FrameSize
    high_quality: bool
    command_id: int
    jpeg: bytes
    session_id: bytes
    mac: bytes
    def __init__(self, camera_id: _Optional[str] = ..., sequence: _Optional[int] = ..., captured_at_ms: _Optional[int] = ..., frame_size: _Optional[_Union[FrameSize, str]] = ..., high_quality: _Optional[bool] = ..., command_id: _Optional[int] = ..., jpeg: _Optional[bytes] = ..., session_id: _Optional[bytes] = ..., mac: _Optional[bytes] = ...) -> None: ...

class CaptureHighQuality(_message.Message):
    __slots__ = ("frame_size", "jpeg_quality")
    FRAME_SIZE_FIELD_NUMBER: _ClassVar[int]
    JPEG_QUALITY_FIELD_NUMBER: _ClassVar[int]
    frame_size: FrameSize
    jpeg_quality: int
    def __init__(self, frame_size: _Optional[_Union[FrameSize, str]] = ..., jpeg_quality: _Optional[int] = ...) -> None: ...

class ShowResult(_message.Message):
    __slots__ = ("signal", "duration_ms")
    SIGNAL_FIELD_NUMBER: _ClassVar[int]
    DURATION_MS_FIELD_NUMBER: _ClassVar[int]
    signal: ResultSignal
    duration_ms: int
    def __init__(self, signal: _Optional[_Union[ResultSignal, str]] = ..., duration_ms: _Optional[int] = ...) -> None: ...

class CameraControls(_message.Message):
    __slots__ = ("ae_level", "aec_value", "gain_ceiling", "brightness")
    AE_LEVEL_FIELD_NUMBER: _ClassVar[int]
    AEC_VALUE_FIELD_NUMBER: _ClassVar[int]
    GAIN_CEILING_FIELD_NUMBER: _ClassVar[int]
    BRIGHTNESS_FIELD_NUMBER: _ClassVar[int]
    ae_level: int
    aec_value: int
    gain_ceiling: int
    brightness: int
    def __init__(self, ae_level: _Optional[int] = ..., aec_value: _Optional[int] = ..., gain_ceiling: _Optional[int] = ..., brightness: _Optional[int] = ...) -> None: ...

class Command(_message.Message):
    __slots__ = ("command_id", "capture_high_quality", "stream_settings", "show_result", "camera_controls")
    COMMAND_ID_FIELD_NUMBER: _ClassVar[int]
    CAPTURE_HIGH_QUALITY_FIELD_NUMBER: _ClassVar[int]
    STREAM_SETTINGS_FIELD_NUMBER: _ClassVar[int]
    SHOW_RESULT_FIELD_NUMBER: _ClassVar[int]
    CAMERA_CONTROLS_FIELD_NUMBER: _ClassVar[int]
    command_id: int
    capture_high_quality: CaptureHighQuality
    stream_settings: StreamSettings
    show_result: ShowResult
    camera_controls: CameraControls
    def __init__(self, command_id: _Optional[int] = ..., capture_high_quality: _Optional[_Union[CaptureHighQuality, _Mapping]] = ..., stream_settings: _Optional[_Union[StreamSettings, _Mapping]] = ..., show_result: _Optional[_Union[ShowResult, _Mapping]] = ..., camera_controls: _Optional[_Union[CameraControls, _Mapping]] = ...) -> None: ...

class PushFrameResponse(_message.Message):
    __slots__ = ("state", "commands", "mac")
    STATE_FIELD_NUMBER: _ClassVar[int]
    COMMANDS_FIELD_NUMBER: _ClassVar[int]
    MAC_FIELD_NUMBER: _ClassVar[int]
    state: CameraState
    commands: _containers.RepeatedCompositeFieldContainer[Command]
    mac: bytes
    def __init__(self, state: _Optional[_Union[CameraState, str]] = ..., commands: _Optional[_Iterable[_Union[Command, _Mapping]]] = ..., mac: _Optional[bytes] = ...) -> None: ...

class Camera(_message.Message):
    __slots__ = ("camera_id", "state", "source_kind", "firmware_version", "pairing_code", "address", "fps", "last_frame_age_ms", "frames_received", "frames_dropped", "frames_corrupt", "last_seen_at", "frames_oversized", "stream_settings", "repair_code")
    CAMERA_ID_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    SOURCE_KIND_FIELD_NUMBER: _ClassVar[int]
    FIRMWARE_VERSION_FIELD_NUMBER: _ClassVar[int]
    PAIRING_CODE_FIELD_NUMBER: _ClassVar[int]
    ADDRESS_FIELD_NUMBER: _ClassVar[int]
    FPS_FIELD_NUMBER: _ClassVar[int]
    LAST_FRAME_AGE_MS_FIELD_NUMBER: _ClassVar[int]
    FRAMES_RECEIVED_FIELD_NUMBER: _ClassVar[int]
    FRAMES_DROPPED_FIELD_NUMBER: _ClassVar[int]
    FRAMES_CORRUPT_FIELD_NUMBER: _ClassVar[int]
    LAST_SEEN_AT_FIELD_NUMBER: _ClassVar[int]
    FRAMES_OVERSIZED_FIELD_NUMBER: _ClassVar[int]
    STREAM_SETTINGS_FIELD_NUMBER: _ClassVar[int]
    REPAIR_CODE_FIELD_NUMBER: _ClassVar[int]
    camera_id: str
    state: CameraState
    source_kind: SourceKind
    firmware_version: str
    pairing_code: str
    address: str
    fps: float
    last_frame_age_ms: int
    frames_received: int
    frames_dropped: int
    frames_corrupt: int
    last_seen_at: _timestamp_pb2.Timestamp
    frames_oversized: int
    stream_settings: StreamSettings
    repair_code: str
    def __init__(self, camera_id: _Optional[str] = ..., state: _Optional[_Union[CameraState, str]] = ..., source_kind: _Optional[_Union[SourceKind, str]] = ..., firmware_version: _Optional[str] = ..., pairing_code: _Optional[str] = ..., address: _Optional[str] = ..., fps: _Optional[float] = ..., last_frame_age_ms: _Optional[int] = ..., frames_received: _Optional[int] = ..., frames_dropped: _Optional[int] = ..., frames_corrupt: _Optional[int] = ..., last_seen_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., frames_oversized: _Optional[int] = ..., stream_settings: _Optional[_Union[StreamSettings, _Mapping]] = ..., repair_code: _Optional[str] = ...) -> None: ...

class ListCamerasRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ListCamerasResponse(_message.Message):
    __slots__ = ("cameras",)
    CAMERAS_FIELD_NUMBER: _ClassVar[int]
    cameras: _containers.RepeatedCompositeFieldContainer[Camera]
    def __init__(self, cameras: _Optional[_Iterable[_Union[Camera, _Mapping]]] = ...) -> None: ...

class ApproveCameraRequest(_message.Message):
    __slots__ = ("camera_id", "pairing_code")
    CAMERA_ID_FIELD_NUMBER: _ClassVar[int]
    PAIRING_CODE_FIELD_NUMBER: _ClassVar[int]
    camera_id: str
    pairing_code: str
    def __init__(self, camera_id: _Optional[str] = ..., pairing_code: _Optional[str] = ...) -> None: ...

class ApproveCameraResponse(_message.Message):
    __slots__ = ("camera",)
    CAMERA_FIELD_NUMBER: _ClassVar[int]
    camera: Camera
    def __init__(self, camera: _Optional[_Union[Camera, _Mapping]] = ...) -> None: ...

class RemoveCameraRequest(_message.Message):
    __slots__ = ("camera_id",)
    CAMERA_ID_FIELD_NUMBER: _ClassVar[int]
    camera_id: str
    def __init__(self, camera_id: _Optional[str] = ...) -> None: ...

class RemoveCameraResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class GetSnapshotRequest(_message.Message):
    __slots__ = ("camera_id",)
    CAMERA_ID_FIELD_NUMBER: _ClassVar[int]
    camera_id: str
    def __init__(self, camera_id: _Optional[str] = ...) -> None: ...

class GetSnapshotResponse(_message.Message):
    __slots__ = ("jpeg", "captured_at", "frame_size", "width", "height")
    JPEG_FIELD_NUMBER: _ClassVar[int]
    CAPTURED_AT_FIELD_NUMBER: _ClassVar[int]
    FRAME_SIZE_FIELD_NUMBER: _ClassVar[int]
    WIDTH_FIELD_NUMBER: _ClassVar[int]
    HEIGHT_FIELD_NUMBER: _ClassVar[int]
    jpeg: bytes
    captured_at: _timestamp_pb2.Timestamp
    frame_size: FrameSize
    width: int
    height: int
    def __init__(self, jpeg: _Optional[bytes] = ..., captured_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., frame_size: _Optional[_Union[FrameSize, str]] = ..., width: _Optional[int] = ..., height: _Optional[int] = ...) -> None: ...

class RequestCaptureRequest(_message.Message):
    __slots__ = ("camera_id", "frame_size")
    CAMERA_ID_FIELD_NUMBER: _ClassVar[int]
    FRAME_SIZE_FIELD_NUMBER: _ClassVar[int]
    camera_id: str
    frame_size: FrameSize
    def __init__(self, camera_id: _Optional[str] = ..., frame_size: _Optional[_Union[FrameSize, str]] = ...) -> None: ...

class RequestCaptureResponse(_message.Message):
    __slots__ = ("command_id",)
    COMMAND_ID_FIELD_NUMBER: _ClassVar[int]
    command_id: int
    def __init__(self, command_id: _Optional[int] = ...) -> None: ...

class AddSourceRequest(_message.Message):
    __slots__ = ("camera_id", "url")
    CAMERA_ID_FIELD_NUMBER: _ClassVar[int]
    URL_FIELD_NUMBER: _ClassVar[int]
    camera_id: str
    url: str
    def __init__(self, camera_id: _Optional[str] = ..., url: _Optional[str] = ...) -> None: ...

class AddSourceResponse(_message.Message):
    __slots__ = ("camera",)
    CAMERA_FIELD_NUMBER: _ClassVar[int]
    camera: Camera
    def __init__(self, camera: _Optional[_Union[Camera, _Mapping]] = ...) -> None: ...

class UpdateStreamSettingsRequest(_message.Message):
    __slots__ = ("camera_id", "settings")
    CAMERA_ID_FIELD_NUMBER: _ClassVar[int]
    SETTINGS_FIELD_NUMBER: _ClassVar[int]
    camera_id: str
    settings: StreamSettings
    def __init__(self, camera_id: _Optional[str] = ..., settings: _Optional[_Union[StreamSettings, _Mapping]] = ...) -> None: ...

class UpdateStreamSettingsResponse(_message.Message):
    __slots__ = ("camera", "command_id")
    CAMERA_FIELD_NUMBER: _ClassVar[int]
    COMMAND_ID_FIELD_NUMBER: _ClassVar[int]
    camera: Camera
    command_id: int
    def __init__(self, camera: _Optional[_Union[Camera, _Mapping]] = ..., command_id: _Optional[int] = ...) -> None: ...
