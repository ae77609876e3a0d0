"""[kiosk] configuration: where the kiosk page is served and which camera it shows."""
from __future__ import annotations

from dataclasses import dataclass

from edge_node.common.addresses import check_listen
from edge_node.common.errors import InvalidArgument


@dataclass(frozen=True)
class KioskConfig:
    enabled: bool = True
    # HOST:PORT of the kiosk's HTTP server; keep it on loopback unless a tablet on the LAN shows it.
    listen: str = "127.0.0.1:8090"
    # Camera shown in the preview and whose results the banner shows; empty means the first camera.
    camera_id: str = ""
    # Frames per second of the MJPEG preview.
    preview_fps: float = 8.0
    # Seconds a result stays on the banner.
    banner_seconds: float = 5.0

    def validate(self) -> None:
        check_listen("kiosk.listen", self.listen)
        if not 0.5 <= self.preview_fps <= 30:
            raise InvalidArgument("kiosk.preview_fps must be between 0.5 and 30")
        if not 1 <= self.banner_seconds <= 60:
            raise InvalidArgument("kiosk.banner_seconds must be between 1 and 60")
