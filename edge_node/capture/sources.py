"""Pull sources: MJPEG/JPEG over HTTP, USB/RTSP through OpenCV, a folder of images replayed."""
from __future__ import annotations

import logging
import threading
import time
import urllib.request
from pathlib import Path
from typing import Callable

import cv2

from edge_node.capture.mjpeg import boundary_of, iter_parts
from edge_node.common.errors import InvalidArgument

log = logging.getLogger(__name__)

MJPEG, VIDEO, FOLDER = "MJPEG", "VIDEO", "FOLDER"
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png")
# Deliver(jpeg) for a frame, Deliver(None) for one refused as oversized.
Deliver = Callable[[bytes | None], None]


def source_kind(url: str) -> str:
    """MJPEG for http(s)://, VIDEO for rtsp://, rtmp:// and video:<index|device>, FOLDER for folder:<path>."""
    scheme = url.partition(":")[0].lower()
    if scheme in ("http", "https"):
        return MJPEG
    if scheme in ("rtsp", "rtsps", "rtmp", "video"):
        return VIDEO
    if scheme == "folder":
        return FOLDER
    raise InvalidArgument(f"source {url!r}: use http(s)://…, rtsp://…, video:0, video:/dev/video0 or folder:/path")


class PullSource:
    """A thread reading one source and delivering JPEG frames; reconnects with backoff."""

    def __init__(self, camera_id: str, url: str, deliver: Deliver, fps: float, max_bytes: int) -> None:
        self.camera_id = camera_id
        self.url = url
        self.kind = source_kind(url)
        self._deliver = deliver
        self._interval = 1.0 / fps
        self._max_bytes = max_bytes
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"source-{camera_id}", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(5)

    def _run(self) -> None:
        read = {MJPEG: self._read_http, VIDEO: self._read_video, FOLDER: self._read_folder}[self.kind]
        failures = 0
        while not self._stop.is_set():
            try:
                ok = read()
            except Exception as exc:  # noqa: BLE001 - a source failure is retried, never fatal
                log.warning("camera %s: source %s failed: %s", self.camera_id, self.url, exc)
                ok = False
            failures = 0 if ok else failures + 1
            if failures:
                self._stop.wait(min(30.0, 0.25 * 2 ** min(failures, 7)))

    def _read_http(self) -> bool:
        """Read a multipart MJPEG stream, or poll a single-JPEG URL at the pull fps; True if frames came."""
        got = False
        with urllib.request.urlopen(self.url, timeout=10) as response:  # noqa: S310 - admin-configured URL
            boundary = boundary_of(response.headers.get("Content-Type", ""))
            if boundary is None:
                self._deliver(self._limited(response.read(self._max_bytes + 1)))
                return self._poll_http()
            for part in iter_parts(response, boundary, self._max_bytes):
                self._deliver(part)
                got = True
                if self._stop.is_set():
                    break
        return got

    def _poll_http(self) -> bool:
        while not self._stop.wait(self._interval):
            with urllib.request.urlopen(self.url, timeout=10) as response:  # noqa: S310
                self._deliver(self._limited(response.read(self._max_bytes + 1)))
        return True

    def _limited(self, data: bytes) -> bytes | None:
        return None if len(data) > self._max_bytes else data

    def _read_video(self) -> bool:
        target = self.url.partition(":")[2] if self.url.startswith("video:") else self.url
        capture = cv2.VideoCapture(int(target) if target.isdigit() else target)
        try:
            if not capture.isOpened():
                raise OSError("cannot open the video source")
            next_at = 0.0
            while not self._stop.is_set():
                if not capture.grab():
                    return next_at > 0
                now = time.monotonic()
                if now < next_at:
                    continue
                next_at = now + self._interval
                ok, image = capture.retrieve()
                if ok:
                    ok, jpeg = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, 90])
                    self._deliver(self._limited(jpeg.tobytes()) if ok else b"")
            return True
        finally:
            capture.release()

    def _read_folder(self) -> bool:
        folder = Path(self.url.partition(":")[2]).expanduser()
        files = sorted(p for p in folder.rglob("*") if p.suffix.lower() in IMAGE_SUFFIXES)
        if not files:
            raise OSError(f"no .jpg/.png images in {folder}")
        for path in files:
            if self._stop.wait(self._interval):
                break
            data = path.read_bytes()
            if path.suffix.lower() == ".png":
                image = cv2.imread(str(path), cv2.IMREAD_COLOR)
                data = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, 90])[1].tobytes() if image is not None else b""
            self._deliver(self._limited(data))
        return True
