"""What a push camera is told to stream: frame size, frame rate and JPEG quality, checked and stored per camera."""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass

from edge_node.capture.config import CaptureConfig
from edge_node.common.errors import InvalidArgument
from edge_node.gen.edge.capture.v1 import capture_pb2 as pb

FRAME_SIZES = ("QVGA", "VGA", "SVGA", "XGA", "SXGA", "UXGA")


@dataclass(frozen=True)
class StreamSettings:
    frame_size: str  # one of FRAME_SIZES
    fps: int  # 1-30
    jpeg_quality: int  # OV2640: 4 (best) - 63 (worst)

    def validate(self) -> "StreamSettings":
        if self.frame_size not in FRAME_SIZES:
            raise InvalidArgument(f"settings.frame_size must be one of {', '.join(FRAME_SIZES)}")
        if not 1 <= self.fps <= 30:
            raise InvalidArgument(f"settings.fps must be between 1 and 30 (got {self.fps})")
        if not 4 <= self.jpeg_quality <= 63:
            raise InvalidArgument(f"settings.jpeg_quality must be between 4 (best) and 63 (got {self.jpeg_quality})")
        return self

    def to_json(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, text: str) -> "StreamSettings | None":
        return cls(**json.loads(text)) if text else None

    @classmethod
    def from_pb(cls, message: pb.StreamSettings) -> "StreamSettings":
        """Checked settings from a request; an unset frame size is refused like any other bad value."""
        name = pb.FrameSize.Name(message.frame_size).removeprefix("FRAME_SIZE_") \
            if message.frame_size in pb.FrameSize.values() else ""
        return cls(name, message.fps, message.jpeg_quality).validate()

    def to_pb(self) -> pb.StreamSettings:
        return pb.StreamSettings(frame_size=pb.FrameSize.Value(f"FRAME_SIZE_{self.frame_size}"), fps=self.fps,
                                 jpeg_quality=self.jpeg_quality)


def effective_settings(own: StreamSettings | None, config: CaptureConfig) -> StreamSettings:
    """A camera's own settings, else the [capture] defaults."""
    return own if own is not None else StreamSettings("QVGA", config.stream_fps, config.stream_jpeg_quality)
