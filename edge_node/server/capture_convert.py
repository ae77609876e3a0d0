"""Capture records <-> edge.capture.v1 messages."""
from __future__ import annotations

from edge_node.capture.records import CameraStatus
from edge_node.gen.edge.capture.v1 import capture_pb2 as pb
from edge_node.wire.timestamps import to_timestamp
_SIZES = {(320, 240): pb.FRAME_SIZE_QVGA, (640, 480): pb.FRAME_SIZE_VGA, (800, 600): pb.FRAME_SIZE_SVGA,
          (1024, 768): pb.FRAME_SIZE_XGA, (1280, 1024): pb.FRAME_SIZE_SXGA, (1600, 1200): pb.FRAME_SIZE_UXGA}


def frame_size_of(width: int, height: int) -> int:
    """The OV2640 frame size of these dimensions, or UNSPECIFIED for any other size."""
    return _SIZES.get((width, height), pb.FRAME_SIZE_UNSPECIFIED)


def camera_to_pb(camera: CameraStatus) -> pb.Camera:
    return pb.Camera(
        camera_id=camera.camera_id, state=pb.CameraState.Value(f"CAMERA_STATE_{camera.state}"),
        source_kind=pb.SourceKind.Value(f"SOURCE_KIND_{camera.source_kind}"),
        firmware_version=camera.firmware_version, pairing_code=camera.pairing_code, address=camera.address[:128],
        fps=camera.fps, last_frame_age_ms=camera.last_frame_age_ms, frames_received=camera.frames_received,
        frames_dropped=camera.frames_dropped, frames_corrupt=camera.frames_corrupt,
        frames_oversized=camera.frames_oversized, last_seen_at=to_timestamp(camera.last_seen_at),
        stream_settings=camera.stream_settings.to_pb() if camera.stream_settings else None,
        repair_code=camera.repair_code)
