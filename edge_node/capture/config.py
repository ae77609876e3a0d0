"""The `[capture]` configuration section."""
from __future__ import annotations

from dataclasses import dataclass

from edge_node.common.addresses import check_listen
from edge_node.common.errors import InvalidArgument

LIVE_KINDS = ("MATCH", "UNKNOWN", "SPOOF", "LOW_QUALITY", "NO_FACE")


@dataclass(frozen=True)
class CaptureConfig:
    enabled: bool = True
    # HTTP/1.1 ingest for the camera firmware (Connect unary: POST /edge.capture.v1.CaptureService/<Method>).
    listen: str = "0.0.0.0:8080"
    # Pull sources, "ID=URL": http(s)://…/stream or …/capture (MJPEG / JPEG), rtsp://…, video:0 or
    # video:/dev/video0 (OpenCV), folder:/path (images replayed at pull_fps).
    sources: tuple[str, ...] = ()
    pull_fps: float = 10.0
    # Frames (JPEG bytes) above this are refused and counted.
    max_frame_bytes: int = 512 * 1024
    # What a pushing camera is told to stream (StreamSettings in HelloResponse).
    stream_fps: int = 10
    stream_jpeg_quality: int = 12
    # Frame size asked for in CaptureHighQuality: VGA, SVGA, XGA, SXGA or UXGA.
    hq_frame_size: str = "VGA"
    hq_jpeg_quality: int = 10
    # How long a PENDING camera waits between Hellos.
    pending_retry_ms: int = 3000
    # Trigger: the face box is at least this fraction of the frame width, its centre inside the central
    # guide_fraction of the frame, and it moved less than stable_shift (of the box width) for stable_frames.
    min_face_fraction: float = 0.15
    guide_fraction: float = 0.6
    stable_frames: int = 3
    stable_shift: float = 0.15
    # A face at least quick_face_fraction of the frame width is close and sharp enough to capture after
    # quick_stable_frames (it saves a frame time of the walk-up).
    quick_face_fraction: float = 0.25
    quick_stable_frames: int = 2
    # After a result, trigger again only once the face was gone for leave_frames frames or after
    # cooldown_seconds (retry_seconds after LOW_QUALITY/NO_FACE, which logged nothing).
    leave_frames: int = 5
    cooldown_seconds: float = 10.0
    retry_seconds: float = 1.0
    # An HQ frame not received within this is given up (the trigger re-arms).
    hq_timeout_seconds: float = 3.0
    # The burst: up to burst_frames stream frames with a well-placed face, at most burst_max_age_seconds
    # old, are decided on together with the HQ frame (0 decides on the HQ frame alone).
    burst_frames: int = 2
    burst_max_age_seconds: float = 1.5
    # A person recognised again at the same camera within this many seconds of their last sighting there
    # (standing there, or passing again) is told "already recorded": no second punch, no snapshot.
    linger_seconds: float = 120.0
    # How long the camera shows a result.
    result_ms: int = 1500
    # Steer each push camera's exposure for the face seen in its stream (edge_node/capture/exposure.py).
    exposure_control: bool = True
    # Parallel YuNet sessions for stream-frame detection.
    detect_workers: int = 2
    # HQ frames of these results are kept under <data_dir>/snapshots;
    # empty keeps none.
    snapshot_kinds: tuple[str, ...] = ("SPOOF", "UNKNOWN")
    snapshot_retention_days: float = 7.0
    # Advertise _edge-node._tcp over mDNS (needs the optional zeroconf package).
    mdns: bool = True

    def validate(self) -> None:
        check_listen("capture.listen", self.listen)
        for source in self.sources:
            if "=" not in source:
                raise InvalidArgument(f"capture.sources: {source!r} must be ID=URL")
        if not 1024 <= self.max_frame_bytes <= 16 * 1024 * 1024:
            raise InvalidArgument("capture.max_frame_bytes must be between 1024 and 16777216")
        if not 1 <= self.stream_fps <= 30 or not 0.1 <= self.pull_fps <= 60:
            raise InvalidArgument("capture.stream_fps must be 1-30 and capture.pull_fps 0.1-60")
        if not 4 <= self.stream_jpeg_quality <= 63 or not 4 <= self.hq_jpeg_quality <= 63:
            raise InvalidArgument("capture jpeg qualities must be between 4 and 63")
        if self.hq_frame_size.upper() not in ("VGA", "SVGA", "XGA", "SXGA", "UXGA"):
            raise InvalidArgument("capture.hq_frame_size must be VGA, SVGA, XGA, SXGA or UXGA")
        if not 0.0 < self.min_face_fraction < 1.0 or not 0.0 < self.guide_fraction <= 1.0:
            raise InvalidArgument("capture.min_face_fraction and capture.guide_fraction must be in (0, 1]")
        if not 0.0 < self.quick_face_fraction < 1.0 or not 1 <= self.quick_stable_frames <= 100:
            raise InvalidArgument("capture.quick_face_fraction must be in (0, 1) and capture.quick_stable_frames 1-100")
        if not 1 <= self.stable_frames <= 100 or not 1 <= self.leave_frames <= 1000:
            raise InvalidArgument("capture.stable_frames must be 1-100 and capture.leave_frames 1-1000")
        if not 0 <= self.burst_frames <= 8 or not 0 < self.burst_max_age_seconds <= 10:
            raise InvalidArgument("capture.burst_frames must be 0-8 and capture.burst_max_age_seconds in (0, 10]")
        if self.linger_seconds < 0:
            raise InvalidArgument("capture.linger_seconds must not be negative")
        if not 1 <= self.detect_workers <= 16:
            raise InvalidArgument("capture.detect_workers must be between 1 and 16")
        unknown = set(self.snapshot_kinds) - set(LIVE_KINDS)
        if unknown:
            raise InvalidArgument(f"capture.snapshot_kinds: unknown {sorted(unknown)}; use {', '.join(LIVE_KINDS)}")
        if self.snapshot_retention_days < 0 or self.cooldown_seconds < 0 or self.retry_seconds < 0:
            raise InvalidArgument("capture retention/cooldown values must not be negative")
